/** Runs the first ```ts example of `<dir>/README.md`; resolves to its source. */
export declare function runReadmeExample(dir: string): Promise<string>;
