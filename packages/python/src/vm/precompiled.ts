// The modules written in Python whose code is compiled ahead of time (scripts/precompile.ts
// writes each one's <name>.compiled.ts), with the stored units, so a test can compare each
// with a fresh compile of its source.

import { ABC_COMPILED } from "./abc.compiled.js";
import { precompiledAbc } from "./abc.js";
import { ATEXIT_COMPILED } from "./atexit.compiled.js";
import { precompiledAtexit } from "./atexit.js";
import { BISECT_COMPILED } from "./bisect.compiled.js";
import { precompiledBisect } from "./bisect.js";
import { CODECS_COMPILED } from "./codecs.compiled.js";
import { precompiledCodecs } from "./codecs.js";
import { COLLECTIONS_COMPILED } from "./collections.compiled.js";
import { precompiledCollections } from "./collections.js";
import { COLLECTIONS_ABC_COMPILED } from "./collections-abc.compiled.js";
import { precompiledCollectionsAbc } from "./collections-abc.js";
import { CONTEXTLIB_COMPILED } from "./contextlib.compiled.js";
import { precompiledContextlib } from "./contextlib.js";
import { COPY_COMPILED } from "./copy.compiled.js";
import { precompiledCopy } from "./copy.js";
import { COPYREG_COMPILED } from "./copyreg.compiled.js";
import { precompiledCopyreg } from "./copyreg.js";
import { DATACLASSES_COMPILED } from "./dataclasses.compiled.js";
import { precompiledDataclasses } from "./dataclasses.js";
import { ENUM_COMPILED } from "./enum.compiled.js";
import { precompiledEnum } from "./enum.js";
import { FRACTIONS_COMPILED } from "./fractions.compiled.js";
import { precompiledFractions } from "./fractions.js";
import { FUNCTOOLS_COMPILED } from "./functools.compiled.js";
import { precompiledFunctools } from "./functools.js";
import { HEAPQ_COMPILED } from "./heapq.compiled.js";
import { precompiledHeapq } from "./heapq.js";
import { IO_COMPILED } from "./io.compiled.js";
import { precompiledIo } from "./io.js";
import { ITERTOOLS_COMPILED } from "./itertools.compiled.js";
import { precompiledItertools } from "./itertools.js";
import { JSON_COMPILED } from "./json.compiled.js";
import { precompiledJson } from "./json.js";
import { KEYWORD_COMPILED } from "./keyword.compiled.js";
import { precompiledKeyword } from "./keyword.js";
import { NUMBERS_COMPILED } from "./numbers.compiled.js";
import { precompiledNumbers } from "./numbers.js";
import { OPERATOR_COMPILED } from "./operator.compiled.js";
import { precompiledOperator } from "./operator.js";
import { PPRINT_COMPILED } from "./pprint.compiled.js";
import { precompiledPprint } from "./pprint.js";
import { RANDOM_COMPILED } from "./random.compiled.js";
import { precompiledRandom } from "./random.js";
import { RE_COMPILED } from "./re-module.compiled.js";
import { precompiledRe } from "./re-module.js";
import { REPRLIB_COMPILED } from "./reprlib.compiled.js";
import { precompiledReprlib } from "./reprlib.js";
import { STRING_COMPILED } from "./string.compiled.js";
import { precompiledString } from "./string.js";
import { STRUCT_COMPILED } from "./struct.compiled.js";
import { precompiledStruct } from "./struct.js";
import { TEXTWRAP_COMPILED } from "./textwrap.compiled.js";
import { precompiledTextwrap } from "./textwrap.js";
import { TRACEBACK_COMPILED } from "./traceback-module.compiled.js";
import { precompiledTraceback } from "./traceback-module.js";
import { TRACEMALLOC_COMPILED } from "./tracemalloc.compiled.js";
import { precompiledTracemalloc } from "./tracemalloc.js";
import { TYPES_COMPILED } from "./types-module.compiled.js";
import { precompiledTypes } from "./types-module.js";
import { TYPING_COMPILED } from "./typing.compiled.js";
import { precompiledTyping } from "./typing.js";
import { WARNINGS_COMPILED } from "./warnings.compiled.js";
import { precompiledWarnings } from "./warnings.js";
import { WEAKREF_COMPILED } from "./weakref.compiled.js";
import { precompiledWeakref } from "./weakref.js";

/** One precompiled module: its name, the constant its file exports, the stored and fresh units. */
export interface PrecompiledModule {
  readonly name: string;
  readonly constant: string;
  readonly stored: string;
  readonly compile: () => string;
}

/** Every precompiled module. */
export const precompiledModules: readonly PrecompiledModule[] = [
  {
    name: "weakref",
    constant: "WEAKREF_COMPILED",
    stored: WEAKREF_COMPILED,
    compile: precompiledWeakref,
  },
  {
    name: "collections",
    constant: "COLLECTIONS_COMPILED",
    stored: COLLECTIONS_COMPILED,
    compile: precompiledCollections,
  },
  {
    name: "collections-abc",
    constant: "COLLECTIONS_ABC_COMPILED",
    stored: COLLECTIONS_ABC_COMPILED,
    compile: precompiledCollectionsAbc,
  },
  { name: "copy", constant: "COPY_COMPILED", stored: COPY_COMPILED, compile: precompiledCopy },
  {
    name: "copyreg",
    constant: "COPYREG_COMPILED",
    stored: COPYREG_COMPILED,
    compile: precompiledCopyreg,
  },
  {
    name: "contextlib",
    constant: "CONTEXTLIB_COMPILED",
    stored: CONTEXTLIB_COMPILED,
    compile: precompiledContextlib,
  },
  {
    name: "dataclasses",
    constant: "DATACLASSES_COMPILED",
    stored: DATACLASSES_COMPILED,
    compile: precompiledDataclasses,
  },
  { name: "enum", constant: "ENUM_COMPILED", stored: ENUM_COMPILED, compile: precompiledEnum },
  { name: "abc", constant: "ABC_COMPILED", stored: ABC_COMPILED, compile: precompiledAbc },
  {
    name: "re-module",
    constant: "RE_COMPILED",
    stored: RE_COMPILED,
    compile: precompiledRe,
  },
  {
    name: "textwrap",
    constant: "TEXTWRAP_COMPILED",
    stored: TEXTWRAP_COMPILED,
    compile: precompiledTextwrap,
  },
  {
    name: "codecs",
    constant: "CODECS_COMPILED",
    stored: CODECS_COMPILED,
    compile: precompiledCodecs,
  },
  {
    name: "warnings",
    constant: "WARNINGS_COMPILED",
    stored: WARNINGS_COMPILED,
    compile: precompiledWarnings,
  },
  {
    name: "numbers",
    constant: "NUMBERS_COMPILED",
    stored: NUMBERS_COMPILED,
    compile: precompiledNumbers,
  },
  {
    name: "fractions",
    constant: "FRACTIONS_COMPILED",
    stored: FRACTIONS_COMPILED,
    compile: precompiledFractions,
  },
  {
    name: "reprlib",
    constant: "REPRLIB_COMPILED",
    stored: REPRLIB_COMPILED,
    compile: precompiledReprlib,
  },
  {
    name: "traceback-module",
    constant: "TRACEBACK_COMPILED",
    stored: TRACEBACK_COMPILED,
    compile: precompiledTraceback,
  },
  {
    name: "typing",
    constant: "TYPING_COMPILED",
    stored: TYPING_COMPILED,
    compile: precompiledTyping,
  },
  {
    name: "tracemalloc",
    constant: "TRACEMALLOC_COMPILED",
    stored: TRACEMALLOC_COMPILED,
    compile: precompiledTracemalloc,
  },
  {
    name: "functools",
    constant: "FUNCTOOLS_COMPILED",
    stored: FUNCTOOLS_COMPILED,
    compile: precompiledFunctools,
  },
  {
    name: "itertools",
    constant: "ITERTOOLS_COMPILED",
    stored: ITERTOOLS_COMPILED,
    compile: precompiledItertools,
  },
  { name: "io", constant: "IO_COMPILED", stored: IO_COMPILED, compile: precompiledIo },
  { name: "json", constant: "JSON_COMPILED", stored: JSON_COMPILED, compile: precompiledJson },
  {
    name: "random",
    constant: "RANDOM_COMPILED",
    stored: RANDOM_COMPILED,
    compile: precompiledRandom,
  },
  { name: "heapq", constant: "HEAPQ_COMPILED", stored: HEAPQ_COMPILED, compile: precompiledHeapq },
  {
    name: "bisect",
    constant: "BISECT_COMPILED",
    stored: BISECT_COMPILED,
    compile: precompiledBisect,
  },
  {
    name: "pprint",
    constant: "PPRINT_COMPILED",
    stored: PPRINT_COMPILED,
    compile: precompiledPprint,
  },
  {
    name: "operator",
    constant: "OPERATOR_COMPILED",
    stored: OPERATOR_COMPILED,
    compile: precompiledOperator,
  },
  {
    name: "keyword",
    constant: "KEYWORD_COMPILED",
    stored: KEYWORD_COMPILED,
    compile: precompiledKeyword,
  },
  {
    name: "string",
    constant: "STRING_COMPILED",
    stored: STRING_COMPILED,
    compile: precompiledString,
  },
  {
    name: "types-module",
    constant: "TYPES_COMPILED",
    stored: TYPES_COMPILED,
    compile: precompiledTypes,
  },
  {
    name: "atexit",
    constant: "ATEXIT_COMPILED",
    stored: ATEXIT_COMPILED,
    compile: precompiledAtexit,
  },
  {
    name: "struct",
    constant: "STRUCT_COMPILED",
    stored: STRUCT_COMPILED,
    compile: precompiledStruct,
  },
];
