// The corpus's programs and its list of programs that do not agree with python3 yet, for the
// tests that run the corpus.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** The corpus folder. */
export const corpusRoot = join(import.meta.dirname, "..", "corpus");

/** Programs that differ from python3 today, with the reason (corpus/pending.json). */
export const pending = JSON.parse(
  readFileSync(join(corpusRoot, "pending.json"), "utf8"),
) as Readonly<Record<string, string>>;

/** Every program of the corpus, as a path relative to it, in a stable order. */
export function corpusPrograms(dir = corpusRoot): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...corpusPrograms(path));
    else if (name.endsWith(".py")) out.push(relative(corpusRoot, path));
  }
  return out;
}

/** The text of a corpus program. */
export function programSource(program: string): string {
  return readFileSync(join(corpusRoot, program), "utf8");
}
