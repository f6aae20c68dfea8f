// @mm/python: Python 3.11 programs on @mm/runtime.

export type * as ast from "./syntax/ast.js";
