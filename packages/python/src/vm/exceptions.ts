// The built-in exceptions whose C structs add fields after BaseException's: SystemExit's
// `code`, StopIteration's `value`, AttributeError's `obj` and `name`, ImportError's `msg`,
// `name` and `path`, NameError's `name`, OSError's errno, strerror and file names, and
// SyntaxError's location. Each field is a member attribute, counts in `sys.getsizeof`, and is
// visited by the collector before BaseException's own fields, as the family's traverse
// function does; each family's `__init__` fills its fields from the arguments as CPython 3.11's
// does, and its `__str__` reads them.

import type { Ref } from "@mm/runtime";
import type { Protocols } from "./host.js";
import { Exc } from "./layouts.js";
import { syntaxErrorReport } from "./traceback.js";
import type { PyType } from "./types.js";

/** A family of built-in exceptions sharing one C struct that extends BaseException's. */
export interface ExceptionFamily {
  /** The built-in class whose struct adds the fields; its subclasses share them. */
  readonly root: string;
  /**
   * The fields' attribute names in the struct's order, which is also its traverse order: the
   * field named at index `i` lives at `Exc.basicSize + 8 * i`.
   */
  readonly members: readonly string[];
  /** Bytes after the members that hold no reference (OSError's `written` count). */
  readonly extraBytes: number;
  /** The keyword arguments `__init__` accepts (BaseException's accepts none). */
  readonly keywords: readonly string[];
}

/** The families, one per struct of `Objects/exceptions.c` that adds fields. */
export const EXCEPTION_FAMILIES: readonly ExceptionFamily[] = [
  { root: "SystemExit", members: ["code"], extraBytes: 0, keywords: [] },
  { root: "StopIteration", members: ["value"], extraBytes: 0, keywords: [] },
  // PyBaseExceptionGroupObject's msg and excs, read-only members named message and exceptions.
  {
    root: "BaseExceptionGroup",
    members: ["message", "exceptions"],
    extraBytes: 0,
    keywords: [],
  },
  { root: "AttributeError", members: ["obj", "name"], extraBytes: 0, keywords: ["name", "obj"] },
  {
    root: "ImportError",
    members: ["msg", "name", "path"],
    extraBytes: 0,
    keywords: ["name", "path"],
  },
  { root: "NameError", members: ["name"], extraBytes: 0, keywords: ["name"] },
  {
    root: "OSError",
    members: ["errno", "strerror", "filename", "filename2"],
    extraBytes: 8,
    keywords: [],
  },
  {
    root: "SyntaxError",
    members: [
      "msg",
      "filename",
      "lineno",
      "offset",
      "end_lineno",
      "end_offset",
      "text",
      "print_file_and_line",
    ],
    extraBytes: 0,
    keywords: [],
  },
];

const familiesByRoot = new Map(EXCEPTION_FAMILIES.map((f) => [f.root, f]));

/** The family of the built-in exception class named `name` with base `base`, if any. */
export function builtinFamily(
  name: string,
  baseFamily: ExceptionFamily | undefined,
): ExceptionFamily | undefined {
  return familiesByRoot.get(name) ?? baseFamily;
}

/** The family whose fields instances of `t` have (found along its bases), if any. */
export function familyOf(t: PyType): ExceptionFamily | undefined {
  for (let c: PyType | null = t; c; c = c.base) {
    if (c.heap) continue;
    const f = familiesByRoot.get(c.name);
    if (f) return f;
  }
  return undefined;
}

/** The offset of `family`'s field `name`, or -1 when it has none by that name. */
export function memberOffset(family: ExceptionFamily | undefined, name: string): number {
  const i = family ? family.members.indexOf(name) : -1;
  return i < 0 ? -1 : Exc.basicSize + 8 * i;
}

/** The instance size of `family`'s struct (without the GC head). */
export function familyBasicSize(family: ExceptionFamily | undefined): number {
  return family ? Exc.basicSize + 8 * family.members.length + family.extraBytes : Exc.basicSize;
}

/** The reference fields the collector visits, in the family's traverse order, then BaseException's. */
export function exceptionRefs(family: ExceptionFamily | undefined): number[] {
  const own = family ? family.members.map((_, i) => Exc.basicSize + 8 * i) : [];
  return [...own, Exc.dict, Exc.args, Exc.notes, Exc.traceback, Exc.cause, Exc.context];
}

/**
 * The check `__init__` makes of its keywords: BaseException's takes none, the families with
 * keyword fields take only those (named after the family's root, as CPython's parsers are).
 * @throws TypeError, with CPython's wording
 */
export function checkExceptionKeywords(
  b: Protocols,
  t: PyType,
  kwargs: ReadonlyMap<string, Ref> | null,
): void {
  if (!kwargs || kwargs.size === 0) return;
  const family = familyOf(t);
  if (!family || family.keywords.length === 0)
    b.vm.raise("TypeError", `${t.name}() takes no keyword arguments`);
  for (const k of kwargs.keys())
    if (!family.keywords.includes(k))
      b.vm.raise("TypeError", `'${k}' is an invalid keyword argument for ${family.root}()`);
}

/**
 * The family's `__init__` after BaseException's has set `args` to the positional arguments:
 * fills the fields from them and from the keywords (checked by {@link checkExceptionKeywords}).
 * @throws TypeError for a SyntaxError location that is not a 4 to 6 item sequence
 */
export function initExceptionFields(
  b: Protocols,
  exc: Ref,
  t: PyType,
  args: readonly Ref[],
  kwargs: ReadonlyMap<string, Ref> | null,
): void {
  const family = familyOf(t);
  if (!family) return;
  const py = b.vm.py;
  const set = (name: string, value: Ref) => py.setRef(exc, memberOffset(family, name), value);
  switch (family.root) {
    case "SystemExit":
      // SystemExit_init: one argument is the code, several are the code as a tuple.
      if (args.length === 1) set("code", args[0]!);
      else if (args.length > 1) set("code", py.getRef(exc, Exc.args));
      break;
    case "StopIteration":
      set("value", args[0] ?? py.none);
      break;
    case "ImportError":
      if (args.length === 1) set("msg", args[0]!);
      break;
    case "OSError":
      initOSError(b, exc, args, set);
      break;
    case "SyntaxError":
      initSyntaxError(b, args, set);
      break;
  }
  if (kwargs) for (const [k, v] of kwargs) set(k, v);
}

/** oserror_init: two to five arguments are errno, strerror, filename, (winerror,) filename2. */
function initOSError(
  b: Protocols,
  exc: Ref,
  args: readonly Ref[],
  set: (name: string, value: Ref) => void,
): void {
  if (args.length < 2 || args.length > 5) return;
  const py = b.vm.py;
  set("errno", args[0]!);
  set("strerror", args[1]!);
  const filename = args[2];
  if (filename === undefined || filename === py.none) return;
  set("filename", filename);
  const filename2 = args[4];
  if (filename2 !== undefined && filename2 !== py.none) set("filename2", filename2);
  // The file names (and Windows' error code) leave `args`, which keeps errno and strerror.
  py.takeRef(exc, Exc.args, py.tuple(args.slice(0, 2)));
}

/** SyntaxError_init: the message, then a (filename, lineno, offset, text[, end_lineno, end_offset]) sequence. */
function initSyntaxError(
  b: Protocols,
  args: readonly Ref[],
  set: (name: string, value: Ref) => void,
): void {
  const py = b.vm.py;
  if (args.length >= 1) set("msg", args[0]!);
  if (args.length !== 2) return;
  const info = b.collect(args[1]!);
  try {
    if (info.length < 4)
      b.vm.raise("TypeError", `function takes at least 4 arguments (${info.length} given)`);
    if (info.length > 6)
      b.vm.raise("TypeError", `function takes at most 6 arguments (${info.length} given)`);
    const names = ["filename", "lineno", "offset", "text", "end_lineno", "end_offset"];
    for (let i = 0; i < info.length; i++) set(names[i]!, info[i]!);
  } finally {
    for (const v of info) py.decref(v);
  }
}

/**
 * How a traceback ends for a SyntaxError (print_exception's parse_syntax_error): the place
 * (`File "name", line N`), the offending text with carets when the exception has it, then the
 * type and `msg` rather than `str()`; undefined for an exception of another family.
 */
export function syntaxErrorTail(b: Protocols, exc: Ref, typeName: string): string | undefined {
  const vm = b.vm;
  const family = familyOf(vm.typeOf(exc));
  if (family?.root !== "SyntaxError") return undefined;
  const py = vm.py;
  const get = (name: string) => py.getRef(exc, memberOffset(family, name));
  const int = (o: Ref, missing: number) =>
    o && vm.kindOf(o) === "int" ? Number(vm.intOf(o)) : missing;
  const filenameRef = get("filename");
  const filename =
    filenameRef && vm.kindOf(filenameRef) === "str" ? py.strValue(filenameRef) : "<string>";
  const textRef = get("text");
  const text =
    textRef && vm.kindOf(textRef) === "str" ? py.strValue(textRef).replace(/\n$/, "") : undefined;
  const line = int(get("lineno"), 0);
  const msgRef = get("msg");
  const message = msgRef ? b.strOf(msgRef) : "";
  return syntaxErrorReport(filename, line, int(get("offset"), -1), text, typeName, message, {
    endLine: int(get("end_lineno"), line),
    endCol: int(get("end_offset"), 0),
  });
}

/**
 * `str(exc)` for the families that define their own `__str__`, or undefined to use
 * BaseException's (the args).
 */
export function familyStr(b: Protocols, exc: Ref, t: PyType): string | undefined {
  const family = familyOf(t);
  if (!family) return undefined;
  const py = b.vm.py;
  const get = (name: string) => py.getRef(exc, memberOffset(family, name));
  switch (family.root) {
    case "BaseExceptionGroup": {
      // BaseExceptionGroup_str: the message and the count of members.
      const n = py.items(get("exceptions")).length;
      return `${b.strOf(get("message"))} (${n} sub-exception${n > 1 ? "s" : ""})`;
    }
    case "ImportError": {
      // ImportError_str: the message when it is an exact str.
      const msg = get("msg");
      if (msg && b.vm.kindOf(msg) === "str" && !b.vm.typeOf(msg).heap) return py.strValue(msg);
      return undefined;
    }
    case "OSError": {
      const errno = get("errno");
      const strerror = get("strerror");
      const filename = get("filename");
      if (filename) {
        const head = `[Errno ${b.strOf(errno || py.none)}] ${b.strOf(strerror || py.none)}`;
        const filename2 = get("filename2");
        if (filename2) return `${head}: ${b.reprOf(filename)} -> ${b.reprOf(filename2)}`;
        return `${head}: ${b.reprOf(filename)}`;
      }
      if (errno && strerror) return `[Errno ${b.strOf(errno)}] ${b.strOf(strerror)}`;
      return undefined;
    }
    case "SyntaxError": {
      // SyntaxError_str: the message, then the file's base name and the line when known.
      const msg = b.strOf(get("msg") || py.none);
      const filenameRef = get("filename");
      const filename =
        filenameRef && b.vm.kindOf(filenameRef) === "str"
          ? py.strValue(filenameRef).replace(/^.*\//, "")
          : undefined;
      const lineno = get("lineno");
      const line =
        lineno && b.vm.kindOf(lineno) === "int" && !b.vm.typeOf(lineno).heap
          ? b.strOf(lineno)
          : undefined;
      if (filename !== undefined && line !== undefined) return `${msg} (${filename}, line ${line})`;
      if (filename !== undefined) return `${msg} (${filename})`;
      if (line !== undefined) return `${msg} (line ${line})`;
      return msg;
    }
    default:
      return undefined;
  }
}

/** The OSError subclass for each errno (Linux's numbers), as OSError's constructor maps them. */
const OSERROR_SUBCLASSES: ReadonlyMap<number, string> = new Map([
  [11, "BlockingIOError"], // EAGAIN, EWOULDBLOCK
  [114, "BlockingIOError"], // EALREADY
  [115, "BlockingIOError"], // EINPROGRESS
  [10, "ChildProcessError"], // ECHILD
  [32, "BrokenPipeError"], // EPIPE
  [108, "BrokenPipeError"], // ESHUTDOWN
  [103, "ConnectionAbortedError"], // ECONNABORTED
  [111, "ConnectionRefusedError"], // ECONNREFUSED
  [104, "ConnectionResetError"], // ECONNRESET
  [17, "FileExistsError"], // EEXIST
  [2, "FileNotFoundError"], // ENOENT
  [21, "IsADirectoryError"], // EISDIR
  [20, "NotADirectoryError"], // ENOTDIR
  [4, "InterruptedError"], // EINTR
  [13, "PermissionError"], // EACCES
  [1, "PermissionError"], // EPERM
  [3, "ProcessLookupError"], // ESRCH
  [110, "TimeoutError"], // ETIMEDOUT
]);

/** The name of the OSError subclass `OSError(errno, …)` makes, if that errno has one. */
export function osErrorSubclass(errno: bigint): string | undefined {
  return errno >= 0n && errno < 1024n ? OSERROR_SUBCLASSES.get(Number(errno)) : undefined;
}
