// @mm/python: Python 3.11 programs on @mm/runtime.

export type * as ast from "./syntax/ast.js";
export type { SyntaxErrorType } from "./syntax/errors.js";
export { PySyntaxError } from "./syntax/errors.js";
export { parse } from "./syntax/parse.js";
