// The `keyword` module: Python 3.11's keywords and soft keywords, and the tests for them.

import type { Ref } from "@mm/runtime";
import type { CodeUnit } from "../compile/code.js";
import { deserializeCode } from "../compile/serialize.js";
import type { Protocols } from "./host.js";
import { KEYWORD_COMPILED } from "./keyword.compiled.js";
import { precompileSource, pythonModule } from "./python-module.js";

/** The module's Python source. */
const SOURCE = `"""Keywords (from "Grammar/python.gram"): iskeyword(s) and issoftkeyword(s) tell whether a
string is one, kwlist and softkwlist list them."""

__all__ = ["iskeyword", "issoftkeyword", "kwlist", "softkwlist"]

kwlist = [
    'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class',
    'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global',
    'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return',
    'try', 'while', 'with', 'yield',
]

softkwlist = ['_', 'case', 'match']

_keywords = frozenset(kwlist)
_soft_keywords = frozenset(softkwlist)


def iskeyword(s, /):
    """Whether s is a keyword."""
    return s in _keywords


def issoftkeyword(s, /):
    """Whether s is a soft keyword."""
    return s in _soft_keywords
`;

/** The file name the module's code and tracebacks carry. */
const FILENAME = "<keyword>";

/** The module's code, shared by every interpreter (read at the first import). */
let compiled: CodeUnit | undefined;

/**
 * The module's source compiled and serialized: what scripts/precompile.ts stores in
 * keyword.compiled.ts.
 */
export function precompiledKeyword(): string {
  return precompileSource(SOURCE, FILENAME);
}

/** The `keyword` module (a new reference): its Python source run in its namespace. */
export function keywordModule(b: Protocols): Ref {
  compiled ??= deserializeCode(KEYWORD_COMPILED);
  return pythonModule(b, { name: "keyword", filename: FILENAME, source: SOURCE }, compiled);
}
