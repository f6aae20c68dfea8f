// `open()` and the `io` module, after CPython 3.11's Modules/_io: a text file is an
// `_io.TextIOWrapper` (192 bytes, 208 with the GC head) over an `_io.BufferedReader`,
// `BufferedWriter` or `BufferedRandom` (152 bytes and a PyMem buffer of `st_blksize` bytes,
// which `sys.getsizeof` counts and tracemalloc traces, freed when the file closes) over an
// `_io.FileIO` (48 bytes) whose `__dict__` holds its name. Each object holds what CPython's
// does (the wrapper its buffer, encoding and errors strings, the raw file and a dict with
// `mode`; the buffered object its raw file), so refcounts, `gc.get_referents` and sizes agree.
// A file object's finalizer (iobase_finalize) closes it when its last reference goes, or when
// the collector finds it in a cycle. The bytes move through the interpreter's file system
// (files.ts): the host's real files in the CLI, files in memory elsewhere.
// `io.StringIO` and `io.BytesIO` keep their text in JavaScript, with CPython's sizes.

import type { NativeType, Ref } from "@mm/runtime";
import type { CodeUnit } from "../compile/code.js";
import { deserializeCode } from "../compile/serialize.js";
import { findCodec } from "./codecs-core.js";
import { Raised } from "./errors.js";
import { type FileSystem, FileSystemError, MEMORY_BLKSIZE, MemoryFileSystem } from "./files.js";
import type { Host, Protocols } from "./host.js";
import { IO_COMPILED } from "./io.compiled.js";
import { ModuleObj } from "./layouts.js";
import { installOsExtras } from "./os-extras.js";
import { abspath, basename, dirname, normpath, splitext, splitPath } from "./posixpath.js";
import { precompileSource, pythonModule } from "./python-module.js";
import type { BuiltinFn, PyType } from "./types.js";

/** `fileio` (48 bytes, 64 with the GC head): the descriptor and flags are JavaScript-side. */
export const FileIOObj = { dict: 40, basicSize: 48 } as const;

/**
 * `buffered` (152 bytes, 168 with the GC head): the raw file, the instance dict, the buffer (a
 * PyMem block, u32) and its size; `sys.getsizeof` adds the size while the buffer exists.
 */
export const BufferedObj = {
  raw: 16,
  dict: 24,
  buffer: 40,
  bufferSize: 48,
  basicSize: 152,
} as const;

/**
 * `textio` (192 bytes, 208 with the GC head), its references in textiowrapper_traverse's
 * order: buffer, encoding, encoder, decoder, readnl, decoded_chars, pending_bytes, snapshot,
 * errors, raw, dict.
 */
export const TextIOObj = {
  buffer: 16,
  encoding: 24,
  encoder: 32,
  decoder: 40,
  readnl: 48,
  decodedChars: 56,
  pendingBytes: 64,
  snapshot: 72,
  errors: 80,
  raw: 88,
  dict: 96,
  basicSize: 192,
} as const;

/** `stringio` (120 bytes, 136 with the GC head) and `bytesio` (64 bytes, 80). */
const StringIOObj = { dict: 96, basicSize: 120 } as const;
const BytesIOObj = { dict: 40, basicSize: 64 } as const;

/** `io.DEFAULT_BUFFER_SIZE`. */
export const DEFAULT_BUFFER_SIZE = 8192;
/** How many bytes a text file decodes at a time (`_CHUNK_SIZE`). */
const CHUNK_SIZE = 8192;

/** What the file objects use of a `TextDecoder`. */
interface Decoder {
  decode(input: Uint8Array, options?: { stream?: boolean }): string;
}

interface RawState {
  fd: number;
  readable: boolean;
  writable: boolean;
  appending: boolean;
  created: boolean;
  closed: boolean;
  closefd: boolean;
  pos: number;
  /**
   * For `sys.stdin`'s, `sys.stdout`'s and `sys.stderr`'s FileIO: the interpreter's stream its
   * bytes come from or go to.
   */
  console?: "stdin" | "stdout" | "stderr";
  /** Their decoder (a character may arrive split across writes). */
  consoleDecoder?: Decoder;
}

type BufferedKind = "BufferedReader" | "BufferedWriter" | "BufferedRandom";

interface BufferedState {
  readonly kind: BufferedKind;
  readonly raw: Ref;
  /** Bytes read ahead from the raw file, and how many of them were consumed. */
  rbuf: Uint8Array;
  rpos: number;
  /** Bytes written and not yet handed to the raw file. */
  wbuf: Uint8Array[];
  wlen: number;
  readonly size: number;
}

interface TextState {
  readonly buffer: Ref;
  readonly readable: boolean;
  readonly writable: boolean;
  /** `newline`: null for universal newlines. */
  readonly newline: string | null;
  readonly lineBuffering: boolean;
  /** `write_through`: only the console streams of an unbuffered run have it. */
  readonly writeThrough: boolean;
  /** Text decoded and not yet returned (newlines untranslated). */
  pending: string;
  decoder: Decoder;
  /** Bytes fed to the decoder that it holds back (an incomplete character). */
  held: number;
  eof: boolean;
  /**
   * Encoded text written and not yet handed to the buffer (`pending_bytes`, up to a chunk):
   * lost if the buffer closes first, as when the collector finalizes the buffer of a
   * wrapper in a cycle before the wrapper.
   */
  out: Uint8Array[];
  outLen: number;
}

interface MemState {
  text: string;
  data: Uint8Array;
  length: number;
  /** The allocated length of the bytes buffer (BytesIO's resize_buffer rule). */
  alloc: number;
  pos: number;
  closed: boolean;
  /**
   * Whether the buffer is a bytes object the program holds too (the initial bytes, or what
   * getvalue() returned whole): `sys.getsizeof` leaves it out until a write copies it.
   */
  shared: boolean;
}

const utf8 = new TextEncoder();

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Everything `read` gives, 64 KiB at a time, until it gives nothing (its end). */
function readToEnd(read: (max: number) => Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const chunk = read(65536);
    if (chunk.length === 0) break;
    parts.push(chunk);
    total += chunk.length;
  }
  return concat(parts, total);
}

/** The io machinery of one interpreter, made at the first `open()` or `import io`. */
const machines = new WeakMap<Protocols, IoTypes>();

/** The io types of `b`'s interpreter (made once). */
export function ioTypes(b: Protocols): IoTypes {
  let m = machines.get(b);
  if (!m) {
    m = new IoTypes(b);
    machines.set(b, m);
  }
  return m;
}

/** The `io` module (a new reference). */
export function ioModule(b: Protocols): Ref {
  return ioTypes(b).module();
}

/** The builtin `open()`. */
export const openBuiltin =
  (b: Protocols): BuiltinFn =>
  (a, kw) =>
    ioTypes(b).open(a, kw);

/**
 * Where `print()` without `file=` writes when it is not the interpreter's stdout: the object
 * a program assigned to `sys.stdout` (borrowed), or 0.
 */
export function printTarget(b: Protocols, file: Ref): Ref {
  const py = b.vm.py;
  let target = file;
  if (!target) {
    const sys = b.modules.get("sys");
    if (!sys) return 0;
    target = py.dictGet(py.getRef(sys, ModuleObj.dict), py.constant("stdout"));
    if (!target) {
      // Not in sys's dict yet: the console's own; taken out by the program: lost.
      if (!machines.get(b)?.consolePlaced) return 0;
      b.vm.raise("RuntimeError", "lost sys.stdout");
    }
  }
  const io = machines.get(b);
  if (io && target === io.stdout) {
    // The original sys.stdout: print's own path to the same output.
    if (io.closed(target)) b.vm.raise("ValueError", "I/O operation on closed file.");
    return 0;
  }
  return target;
}

/** The names of `sys`'s console streams, which {@link sysStream} makes. */
export const CONSOLE_NAMES = [
  "stdin",
  "stdout",
  "stderr",
  "__stdin__",
  "__stdout__",
  "__stderr__",
] as const;

const consoleNames: ReadonlySet<string> = new Set(CONSOLE_NAMES);

/**
 * `sys.stdin`, `sys.stdout`, `sys.stderr` and their `__stdin__`/`__stdout__`/`__stderr__` twins, made when the program
 * first reads one (a new reference), or 0 for any other name.
 */
export function sysStream(b: Protocols, sys: Ref, name: string): Ref {
  if (!consoleNames.has(name)) return 0;
  const py = b.vm.py;
  ioTypes(b).placeConsole(sys);
  const v = py.dictGet(py.getRef(sys, ModuleObj.dict), py.constant(name));
  return v ? py.newRef(v) : 0;
}

/**
 * What python3's own `sys.stdout` keeps of the text written to it before it reaches the file
 * (textio.c's `pending_bytes`), as heap objects: the first write's str itself (an ASCII str of
 * at most a chunk; other text as its UTF-8 bytes), from the second write a list of the pieces,
 * handed on when 8 KiB are pending, at a newline when the stream is line-buffered (stdout is a
 * terminal), at `flush()` and at exit; at every write when it writes through (an unbuffered
 * run, `PYTHONUNBUFFERED`). The text itself goes out through the interpreter's output at once,
 * in order.
 */
export class ConsolePending {
  readonly #b: Protocols;
  /** Which stream: its text goes to the interpreter's stdout or stderr. */
  readonly stream: "stdout" | "stderr";
  /** Whether the stream is line-buffered: stderr always, stdout on a terminal (buffered runs). */
  readonly lineBuffered: boolean;
  /** Whether every write is handed on at once (`write_through`: an unbuffered run). */
  readonly writeThrough: boolean;
  /** `pending_bytes`: 0, a str or bytes, or a list of them (owned). */
  #pending: Ref = 0;
  /** `pending_bytes_count`. */
  #count = 0;

  constructor(
    b: Protocols,
    stream: "stdout" | "stderr",
    lineBuffered: boolean,
    writeThrough = false,
  ) {
    this.#b = b;
    this.stream = stream;
    this.lineBuffered = lineBuffered;
    this.writeThrough = writeThrough;
    // The stream holds what is pending: a root for tracing collectors (and leak counts).
    b.vm.py.addRoots(() => (this.#pending ? [this.#pending] : []));
  }

  /**
   * `_io_TextIOWrapper_write_impl` on python3's stdout: `text` (a str, stolen; `value` its
   * characters) joins what is pending.
   */
  write(text: Ref, value: string): void {
    const b = this.#b;
    const py = b.vm.py;
    if (this.stream === "stdout") b.write(value);
    else {
      b.flush();
      b.vm.io.stderr(value);
    }
    let piece = text;
    let n = value.length;
    // An ASCII str of at most a chunk is kept as it is; other text is encoded to bytes.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII is \x00-\x7f
    if (n > CHUNK_SIZE || !/^[\x00-\x7f]*$/.test(value)) {
      const data = utf8.encode(value);
      try {
        piece = b.bytesType.make(data);
      } finally {
        py.decref(text);
      }
      n = data.length;
    }
    if (this.#pending && this.#count + n > CHUNK_SIZE) {
      // Never more than a chunk joined: what is pending goes first.
      this.flush();
      this.#pending = piece;
    } else if (!this.#pending) {
      this.#count = 0;
      this.#pending = piece;
    } else if (b.vm.kindOf(this.#pending) !== "list" || b.vm.typeOf(this.#pending).subtype) {
      const list = py.list([this.#pending, piece]);
      py.decref(this.#pending);
      py.decref(piece);
      this.#pending = list;
    } else {
      py.append(this.#pending, piece);
      py.decref(piece);
    }
    this.#count += n;
    if (
      this.#count >= CHUNK_SIZE ||
      this.writeThrough ||
      (this.lineBuffered && (value.includes("\n") || value.includes("\r")))
    )
      this.flush();
  }

  /**
   * `_textiowrapper_writeflush`: the pending pieces are joined into one bytes object for the
   * buffer (a temporary here: the text is already out) and released; a single bytes piece is
   * handed on as it is.
   */
  flush(): void {
    const pending = this.#pending;
    if (!pending) return;
    const b = this.#b;
    const py = b.vm.py;
    const joined =
      b.vm.kindOf(pending) === "bytes" ? 0 : b.bytesType.make(new Uint8Array(this.#count));
    this.#pending = 0;
    this.#count = 0;
    py.decref(pending);
    if (joined) py.decref(joined);
  }
}

/** The pending text of each interpreter's stdout and stderr. */
const consoleBuffers = new WeakMap<Protocols, { stdout: ConsolePending; stderr: ConsolePending }>();

/** The pending text of `b`'s interpreter's stdout or stderr (made at the first use). */
export function consolePending(b: Protocols, stream: "stdout" | "stderr"): ConsolePending {
  let p = consoleBuffers.get(b);
  if (!p) {
    const unbuffered = b.vm.io.unbuffered === true;
    p = {
      stdout: new ConsolePending(
        b,
        "stdout",
        !unbuffered && b.vm.io.stdoutIsTerminal === true,
        unbuffered,
      ),
      stderr: new ConsolePending(b, "stderr", !unbuffered, unbuffered),
    };
    consoleBuffers.set(b, p);
  }
  return p[stream];
}

/** The pending text of `b`'s interpreter's stdout. */
export function stdoutPending(b: Protocols): ConsolePending {
  return consolePending(b, "stdout");
}

/** The interpreters whose `print` has parsed its arguments once. */
const printParsers = new WeakSet<Protocols>();

/**
 * 3.11's `print` parses its arguments with a static `_PyArg_Parser` whose keyword names tuple
 * (`('sep', 'end', 'file', 'flush')`, a tracked 4-tuple) is made at the first call and kept
 * for good: one block and one `gc.get_count()` step at a program's first print.
 */
export function printParsed(b: Protocols): void {
  if (printParsers.has(b)) return;
  printParsers.add(b);
  const py = b.vm.py;
  b.vm.keep(py.tuple(["sep", "end", "file", "flush"].map((k) => py.constant(k))));
}

/**
 * `PyFile_WriteObject(v, file, Py_PRINT_RAW)` (`repr`: with flags 0), as `print` and
 * `sys.displayhook` write each piece: `file.write` is
 * looked up first (a bound method made for this one call: on python3's own `sys.stdout` a
 * 72-byte tracked builtin method, so a piece of a print can start an automatic collection
 * before its text is out), then `str(v)`, the call, and both released. `file` 0 is python3's
 * own `sys.stdout`, whose write keeps the text pending as textio does.
 */
export function writePiece(b: Protocols, file: Ref, v: Ref, repr = false): void {
  const vm: Host = b.vm;
  const py = vm.py;
  const writer = b.getAttr(file || ioTypes(b).consoleStreams().stdout, "write");
  try {
    const value = repr ? py.str(b.reprOf(v)) : b.strObject(v);
    if (!file) stdoutPending(b).write(value, py.strValue(value));
    else {
      try {
        py.decref(vm.call(writer, [value]));
      } finally {
        py.decref(value);
      }
    }
  } finally {
    py.decref(writer);
  }
}

/**
 * `input(prompt)` as 3.11's `builtin_input_impl` runs it without a terminal: `sys.stdin`,
 * `sys.stdout` and `sys.stderr` looked up, stderr flushed, `fileno()` asked of stdin (an error
 * there is cleared), the prompt written to stdout as print writes a piece and stdout flushed
 * (errors of both flushes cleared), then `PyFile_GetLine(stdin, -1)`: its `readline()`, an
 * `EOFError` for an empty line, and the line without its newline (a new str).
 */
export const inputBuiltin =
  (b: Protocols): BuiltinFn =>
  (args, kw) => {
    const vm: Host = b.vm;
    const py = vm.py;
    if (kw && kw.size > 0) vm.raise("TypeError", "input() takes no keyword arguments");
    if (args.length > 1)
      vm.raise("TypeError", `input expected at most 1 argument, got ${args.length}`);
    const sys = b.modules.get("sys");
    const stream = (name: string): Ref => {
      const o = sys ? py.dictGet(py.getRef(sys, ModuleObj.dict), py.constant(name)) : 0;
      if (!o || o === py.none) vm.raise("RuntimeError", `input(): lost sys.${name}`);
      return o;
    };
    const fin = stream("stdin");
    const fout = stream("stdout");
    const ferr = stream("stderr");
    const callCleared = (o: Ref, name: string): void => {
      try {
        const f = b.getAttr(o, name);
        try {
          py.decref(vm.call(f, []));
        } finally {
          py.decref(f);
        }
      } catch (error) {
        if (!(error instanceof Raised)) throw error;
        py.decref(error.exc);
      }
    };
    callCleared(ferr, "flush");
    callCleared(fin, "fileno");
    if (args.length === 1) writePiece(b, printTarget(b, fout), args[0]!);
    callCleared(fout, "flush");
    const readline = b.getAttr(fin, "readline");
    let line: Ref;
    try {
      line = vm.call(readline, []);
    } finally {
      py.decref(readline);
    }
    const kind = vm.kindOf(line);
    if (kind !== "str" && kind !== "bytes") {
      py.decref(line);
      vm.raise("TypeError", "object.readline() returned non-string");
    }
    const n = b.len(line);
    if (n === 0) {
      py.decref(line);
      vm.raise("EOFError", "EOF when reading a line");
    }
    if (kind !== "str") {
      // A bytes line loses its newline too (a new bytes object of one byte less).
      const data = b.bytesType.data(line);
      if (data[data.length - 1] !== 10) return line;
      const shorter = b.bytes(data.subarray(0, data.length - 1));
      py.decref(line);
      return shorter;
    }
    const text = py.strValue(line);
    if (!text.endsWith("\n")) return line;
    py.decref(line);
    return py.str(text.slice(0, -1));
  };

/**
 * `PyFile_WriteString(text, file)`: the text as a new str (one character: the shared one),
 * written as {@link writePiece} writes.
 */
export function writeString(b: Protocols, file: Ref, text: string): void {
  const py = b.vm.py;
  const s = py.str(text);
  try {
    writePiece(b, file, s);
  } finally {
    py.decref(s);
  }
}

/**
 * `print(*args, sep=sep, end=end, file=file)` as 3.11's builtin_print writes it: each argument,
 * the separators and the end through {@link writePiece}; `sep` and `end` 0 are the default
 * `" "` and `"\n"`; `file` 0 is python3's own `sys.stdout`.
 */
export function printTo(
  b: Protocols,
  file: Ref,
  args: readonly Ref[],
  sep: Ref,
  end: Ref,
  flush: boolean,
): void {
  const vm: Host = b.vm;
  const py = vm.py;
  for (let i = 0; i < args.length; i++) {
    if (i > 0) {
      if (sep) writePiece(b, file, sep);
      else writeString(b, file, " ");
    }
    writePiece(b, file, args[i]!);
  }
  if (end) writePiece(b, file, end);
  else writeString(b, file, "\n");
  if (flush && file) {
    // PyObject_CallMethodNoArgs: a method of the class is called without a bound method.
    const method = b.lookupMethod(file, "flush");
    const f = method || b.getAttr(file, "flush");
    try {
      py.decref(vm.call(f, method ? [file] : []));
    } finally {
      py.decref(f);
    }
  }
}

/** The Python part of the `io` module. */
const IO_SOURCE = `"""The io module: open(), the file classes, StringIO and BytesIO."""


class UnsupportedOperation(OSError, ValueError):
    pass
`;

/** The file name the module's code carries. */
const IO_FILENAME = "<io>";

/** The module's Python part compiled (read at the first use). */
let compiled: CodeUnit | undefined;

/** The Python part compiled and serialized, as scripts/precompile.ts stores it in io.compiled.ts. */
export function precompiledIo(): string {
  return precompileSource(IO_SOURCE, IO_FILENAME);
}

/** The file types and their methods. */
export class IoTypes {
  readonly #b: Protocols;
  readonly #vm: Host;
  /** The file system `open()` reaches. */
  readonly fs: FileSystem;
  readonly #raw = new Map<Ref, RawState>();
  readonly #buffered = new Map<Ref, BufferedState>();
  readonly #text = new Map<Ref, TextState>();
  readonly #mem = new Map<Ref, MemState>();
  readonly fileIO: PyType;
  readonly reader: PyType;
  readonly writer: PyType;
  readonly random: PyType;
  readonly textIO: PyType;
  readonly stringIO: PyType;
  readonly bytesIO: PyType;
  readonly #unsupported: PyType;
  #module: Ref = 0;
  /** The console's stdout once made (borrowed once `sys` holds it), 0 after it died. */
  #stdout: Ref = 0;
  #stderr: Ref = 0;
  /** Whether the console's streams were made. */
  #consoleMade = false;
  /** Whether `sys`'s dict holds the console's stdout and stderr (see {@link placeConsole}). */
  #consolePlaced = false;

  constructor(b: Protocols) {
    this.#b = b;
    const vm: Host = b.vm;
    this.#vm = vm;
    const py = vm.py;
    this.fs = vm.io.files ?? new MemoryFileSystem();
    // The module's Python part: io.UnsupportedOperation, a class deriving from OSError and
    // ValueError.
    compiled ??= deserializeCode(IO_COMPILED);
    this.#module = vm.keep(
      pythonModule(b, { name: "io", filename: IO_FILENAME, source: IO_SOURCE }, compiled),
    );
    const ns = py.getRef(this.#module, ModuleObj.dict);
    this.#unsupported = b.typeFromObject(py.dictGet(ns, py.constant("UnsupportedOperation")));

    const rawNative = py.defineType({
      name: "FileIO",
      basicSize: FileIOObj.basicSize,
      container: true,
      weakrefable: true,
      refs: [FileIOObj.dict],
      finalize: (o) => this.#finalize(o),
      onFree: (o) => {
        this.#raw.delete(o);
      },
    });
    const bufferedNative = (name: BufferedKind): NativeType =>
      py.defineType({
        name,
        basicSize: BufferedObj.basicSize,
        container: true,
        weakrefable: true,
        refs: [BufferedObj.raw, BufferedObj.dict],
        sizeOf: (o) =>
          BufferedObj.basicSize +
          (this.#u32(o, BufferedObj.buffer) ? this.#u32(o, BufferedObj.bufferSize) : 0),
        finalize: (o) => this.#finalize(o),
        onFree: (o) => {
          py.memFree(this.#u32(o, BufferedObj.buffer));
          this.#set(o, BufferedObj.buffer, 0);
          this.#buffered.delete(o);
        },
      });
    const textNative = py.defineType({
      name: "TextIOWrapper",
      basicSize: TextIOObj.basicSize,
      container: true,
      weakrefable: true,
      refs: [
        TextIOObj.buffer,
        TextIOObj.encoding,
        TextIOObj.encoder,
        TextIOObj.decoder,
        TextIOObj.readnl,
        TextIOObj.decodedChars,
        TextIOObj.pendingBytes,
        TextIOObj.snapshot,
        TextIOObj.errors,
        TextIOObj.raw,
        TextIOObj.dict,
      ],
      finalize: (o) => this.#finalize(o),
      onFree: (o) => {
        this.#text.delete(o);
        // The console's stdout, which only sys held (the program dropped sys.stdout and
        // sys.__stdout__): print then finds sys.stdout or says it lost it.
        if (o === this.#stdout) this.#stdout = 0;
      },
    });
    const memNative = (name: string, basicSize: number, dict: number, bytes: boolean) =>
      py.defineType({
        name,
        basicSize,
        container: true,
        weakrefable: true,
        refs: [dict],
        sizeOf: (o) => {
          const s = this.#mem.get(o);
          // bytesio_sizeof counts its bytes object (33 + its allocated length).
          return (
            basicSize + (bytes && s && s.alloc > 0 && !s.closed && !s.shared ? 33 + s.alloc : 0)
          );
        },
        onFree: (o) => {
          this.#mem.delete(o);
        },
      });
    const attrs = (dictAt: number, own: (o: Ref, name: string) => Ref) => ({
      getattr: (o: Ref, name: string): Ref => {
        const v = own(o, name);
        if (v) return v;
        const d = py.getRef(o, dictAt);
        if (name === "__dict__") return py.newRef(this.#dict(o, dictAt));
        const found = d ? py.dictGet(d, py.constant(name)) : 0;
        return found ? py.newRef(found) : 0;
      },
    });
    this.fileIO = b.newNativeType("FileIO", rawNative, "_io", {
      repr: (o) => this.#rawRepr(o),
      ...attrs(FileIOObj.dict, (o, n) => this.#rawAttr(o, n)),
    });
    const bufferedSlots = {
      repr: (o: Ref) => `<_io.${vm.typeOf(o).name} name=${this.#nameRepr(o)}>`,
      next: (o: Ref) => this.#nextLine(o),
      ...attrs(BufferedObj.dict, (o, n) => this.#bufferedAttr(o, n)),
    };
    this.reader = b.newNativeType(
      "BufferedReader",
      bufferedNative("BufferedReader"),
      "_io",
      bufferedSlots,
    );
    this.writer = b.newNativeType(
      "BufferedWriter",
      bufferedNative("BufferedWriter"),
      "_io",
      bufferedSlots,
    );
    this.random = b.newNativeType(
      "BufferedRandom",
      bufferedNative("BufferedRandom"),
      "_io",
      bufferedSlots,
    );
    this.textIO = b.newNativeType("TextIOWrapper", textNative, "_io", {
      repr: (o) => this.#textRepr(o),
      next: (o) => this.#nextLine(o),
      ...attrs(TextIOObj.dict, (o, n) => this.#textAttr(o, n)),
    });
    this.stringIO = b.newNativeType(
      "StringIO",
      memNative("StringIO", StringIOObj.basicSize, StringIOObj.dict, false),
      "_io",
      {
        next: (o) => this.#nextLine(o),
        ...attrs(StringIOObj.dict, (o, n) => this.#memAttr(o, n)),
      },
    );
    this.bytesIO = b.newNativeType(
      "BytesIO",
      memNative("BytesIO", BytesIOObj.basicSize, BytesIOObj.dict, true),
      "_io",
      {
        next: (o) => this.#nextLine(o),
        ...attrs(BytesIOObj.dict, (o, n) => this.#memAttr(o, n)),
      },
    );
    for (const [t, at] of [
      [this.fileIO, FileIOObj.dict],
      [this.reader, BufferedObj.dict],
      [this.writer, BufferedObj.dict],
      [this.random, BufferedObj.dict],
      [this.textIO, TextIOObj.dict],
      [this.stringIO, StringIOObj.dict],
      [this.bytesIO, BytesIOObj.dict],
    ] as const) {
      t.setattro = (o, name, value) => {
        if (name === "closed" || name === "name" || name === "mode" || name === "buffer")
          vm.raise(
            "AttributeError",
            `attribute '${name}' of '_io.${t.name}' objects is not writable`,
          );
        const d = this.#dict(o, at);
        if (value === 0) {
          if (!py.dictGet(d, py.constant(name)))
            vm.raise("AttributeError", `'_io.${t.name}' object has no attribute '${name}'`);
          py.delItem(d, py.constant(name));
        } else b.setStr(d, name, value);
      };
    }
    this.#installMethods();
    for (const t of [
      this.fileIO,
      this.reader,
      this.writer,
      this.random,
      this.textIO,
      this.stringIO,
      this.bytesIO,
    ])
      for (const name of t.methods.keys()) b.lookupType(t, name);
    for (const t of [
      this.fileIO,
      this.reader,
      this.writer,
      this.random,
      this.textIO,
      this.stringIO,
      this.bytesIO,
    ])
      b.setStr(ns, t.name, t.object);
    const size = py.int(DEFAULT_BUFFER_SIZE);
    b.setStr(ns, "DEFAULT_BUFFER_SIZE", size);
    py.decref(size);
    const open = b.newBuiltin("open", (a, kw) => this.open(a, kw), 0, this.#module);
    b.setStr(ns, "open", open);
    py.decref(open);
    for (const [name, v] of [
      ["SEEK_SET", 0],
      ["SEEK_CUR", 1],
      ["SEEK_END", 2],
    ] as const) {
      const n = py.int(v);
      b.setStr(ns, name, n);
      py.decref(n);
    }
  }

  /** The `io` module (a new reference). */
  module(): Ref {
    return this.#vm.py.newRef(this.#module);
  }

  #u32(o: Ref, at: number): number {
    return this.#vm.py.memory.u32[(o + at) >>> 2]!;
  }

  #set(o: Ref, at: number, v: number): void {
    this.#vm.py.memory.u32[(o + at) >>> 2] = v;
  }

  /** The instance dict at `at`, made when first needed (borrowed). */
  #dict(o: Ref, at: number): Ref {
    const py = this.#vm.py;
    let d = py.getRef(o, at);
    if (!d) {
      d = py.dict();
      py.takeRef(o, at, d);
    }
    return d;
  }

  // ------------------------------------------------------------------ errors

  #unsupportedError(message: string): never {
    throw new Raised(this.#vm.newException(this.#unsupported, [message]));
  }

  /** The OSError subclass CPython raises for a failed call, with errno, message and file name. */
  #osError(error: unknown, filename?: Ref): never {
    if (!(error instanceof FileSystemError)) throw error;
    const vm: Host = this.#vm;
    const py = vm.py;
    const byCode: Record<string, string> = {
      ENOENT: "FileNotFoundError",
      EEXIST: "FileExistsError",
      EISDIR: "IsADirectoryError",
      ENOTDIR: "NotADirectoryError",
      EACCES: "PermissionError",
      EPERM: "PermissionError",
    };
    const type = vm.types[byCode[error.code] ?? "OSError"]!;
    const args = [py.int(error.errno), py.str(error.message)];
    if (filename) args.push(py.newRef(filename));
    const exc = vm.newExceptionWithArgs(type, args);
    for (const a of args) py.decref(a);
    throw new Raised(exc);
  }

  /** `f()`, a failed file system call raised as the OSError CPython raises for it. */
  fsCall<T>(f: () => T, filename?: Ref): T {
    try {
      return f();
    } catch (error) {
      return this.#osError(error, filename);
    }
  }

  // ------------------------------------------------------------------ open()

  /** `open(file, mode='r', buffering=-1, encoding=None, errors=None, newline=None, closefd=True)`. */
  open(args: readonly Ref[], kw: ReadonlyMap<string, Ref> | null): Ref {
    const vm: Host = this.#vm;
    const py = vm.py;
    const names = [
      "file",
      "mode",
      "buffering",
      "encoding",
      "errors",
      "newline",
      "closefd",
      "opener",
    ];
    if (args.length > names.length)
      vm.raise("TypeError", `open() takes at most 8 arguments (${args.length} given)`);
    const got = new Map<string, Ref>();
    for (const [i, a] of args.entries()) got.set(names[i]!, a);
    for (const [k, v] of kw ?? []) {
      const i = names.indexOf(k);
      if (i < 0) vm.raise("TypeError", `open() got an unexpected keyword argument '${k}'`);
      if (i < args.length)
        vm.raise("TypeError", `argument for open() given by name ('${k}') and position (${i + 1})`);
      got.set(k, v);
    }
    const file = got.get("file");
    if (file === undefined)
      vm.raise("TypeError", "open() missing required argument 'file' (pos 1)");
    const optStr = (name: string): string | null => {
      const v = got.get(name);
      if (v === undefined || v === py.none) return null;
      if (vm.kindOf(v) !== "str")
        vm.raise(
          "TypeError",
          `open() argument '${name}' must be str or None, not ${vm.typeOf(v).name}`,
        );
      return py.strValue(v);
    };
    const modeRef = got.get("mode");
    if (modeRef !== undefined && vm.kindOf(modeRef) !== "str")
      vm.raise("TypeError", `open() argument 'mode' must be str, not ${vm.typeOf(modeRef).name}`);
    const mode = modeRef === undefined ? "r" : py.strValue(modeRef);
    const bufRef = got.get("buffering");
    let buffering = -1;
    if (bufRef !== undefined) {
      const k = vm.kindOf(bufRef);
      if (k !== "int" && k !== "bool")
        vm.raise(
          "TypeError",
          `'${vm.typeOf(bufRef).name}' object cannot be interpreted as an integer`,
        );
      buffering = Number(vm.intOf(bufRef));
    }
    const encoding = optStr("encoding");
    const errors = optStr("errors");
    const newline = optStr("newline");
    const closefd = got.has("closefd") ? this.#b.truth(got.get("closefd")!) : true;
    const opener = got.get("opener");
    if (opener !== undefined && opener !== py.none)
      vm.raise("ValueError", "open() with an opener is not supported");
    const fk = vm.kindOf(file);
    if (fk !== "str")
      vm.raise(
        "TypeError",
        fk === "int" || fk === "bool"
          ? "open() of a file descriptor is not supported"
          : `expected str, bytes or os.PathLike object, not ${vm.typeOf(file).name}`,
      );

    // _io_open_impl's checks of the mode, in its order.
    const seen = new Set<string>();
    for (const c of mode) {
      if (!"rwxab+t".includes(c) || seen.has(c)) vm.raise("ValueError", `invalid mode: '${mode}'`);
      seen.add(c);
    }
    const creating = seen.has("x");
    const reading = seen.has("r");
    const writing = seen.has("w");
    const appending = seen.has("a");
    const updating = seen.has("+");
    const text = seen.has("t");
    const binary = seen.has("b");
    if (text && binary) vm.raise("ValueError", "can't have text and binary mode at once");
    if (Number(creating) + Number(reading) + Number(writing) + Number(appending) > 1)
      vm.raise("ValueError", "must have exactly one of create/read/write/append mode");
    if (binary && encoding !== null)
      vm.raise("ValueError", "binary mode doesn't take an encoding argument");
    if (binary && errors !== null)
      vm.raise("ValueError", "binary mode doesn't take an errors argument");
    if (binary && newline !== null)
      vm.raise("ValueError", "binary mode doesn't take a newline argument");
    if (binary && buffering === 1) {
      // CPython warns (RuntimeWarning) and uses the default buffer size.
      buffering = -1;
    }
    if (!(creating || reading || writing || appending))
      vm.raise(
        "ValueError",
        "Must have exactly one of create/read/write/append mode and at most one plus",
      );
    if (newline !== null && !["", "\n", "\r", "\r\n"].includes(newline))
      vm.raise("ValueError", `illegal newline value: ${newline}`);
    // Any of utf-8's names (`UTF8`, `u8`…); files of other codecs are not supported.
    if (encoding !== null && findCodec(encoding)?.id !== "utf_8")
      vm.raise("LookupError", `unknown encoding: ${encoding}`);
    if (errors !== null && errors !== "strict")
      vm.raise("LookupError", `unknown error handler name '${errors}'`);

    const raw = this.#openRaw(
      file,
      {
        read: reading || updating,
        write: writing || creating || appending || updating,
        create: writing || creating || appending,
        truncate: writing,
        exclusive: creating,
        append: appending,
      },
      closefd,
    );
    try {
      let lineBuffering = false;
      if (buffering === 1) {
        lineBuffering = true;
        buffering = -1;
      }
      if (buffering < 0) {
        const blk = this.fsCall(() => this.fs.fstat(this.#raw.get(raw)!.fd).blksize, file);
        buffering = blk > 1 ? blk : DEFAULT_BUFFER_SIZE;
      }
      if (buffering === 0) {
        if (binary) return raw;
        vm.raise("ValueError", "can't have unbuffered text I/O");
      }
      const kind: BufferedKind = updating
        ? "BufferedRandom"
        : creating || writing || appending
          ? "BufferedWriter"
          : "BufferedReader";
      const buffer = this.#newBuffered(kind, raw, buffering);
      py.decref(raw);
      if (binary) return buffer;
      try {
        return this.#newText(buffer, raw, mode, encoding ?? "UTF-8", newline, lineBuffering);
      } finally {
        py.decref(buffer);
      }
    } catch (error) {
      if (this.#raw.has(raw) && py.refcount(raw) > 0) {
        // A failure after the raw file opened closes it, as open() does.
        this.#rawClose(raw);
      }
      throw error;
    }
  }

  #openRaw(file: Ref, flags: Parameters<FileSystem["open"]>[1], closefd: boolean): Ref {
    const vm: Host = this.#vm;
    const py = vm.py;
    const path = py.strValue(file);
    if (path.includes("\0")) vm.raise("ValueError", "embedded null character");
    const fd = this.fsCall(() => this.fs.open(path, flags), file);
    const o = py.allocate(this.fileIO.native!);
    this.#raw.set(o, {
      fd,
      readable: flags.read,
      writable: flags.write,
      appending: flags.append,
      created: flags.exclusive,
      closed: false,
      closefd,
      pos: 0,
    });
    // fileio_init sets `name`, and an appending file starts at its end.
    this.#b.setStr(this.#dict(o, FileIOObj.dict), "name", file);
    if (flags.append) this.#raw.get(o)!.pos = this.fsCall(() => this.fs.fstat(fd).size, file);
    return o;
  }

  #newBuffered(kind: BufferedKind, raw: Ref, size: number): Ref {
    const py = this.#vm.py;
    const t =
      kind === "BufferedReader"
        ? this.reader
        : kind === "BufferedWriter"
          ? this.writer
          : this.random;
    const o = py.allocate(t.native!);
    py.setRef(o, BufferedObj.raw, raw);
    this.#set(o, BufferedObj.bufferSize, size);
    this.#set(o, BufferedObj.buffer, py.memMalloc(size));
    this.#buffered.set(o, {
      kind,
      raw,
      rbuf: new Uint8Array(0),
      rpos: 0,
      wbuf: [],
      wlen: 0,
      size,
    });
    return o;
  }

  #newText(
    buffer: Ref,
    raw: Ref,
    mode: string,
    encoding: string,
    newline: string | null,
    lineBuffering: boolean,
    writeThrough = false,
    errors = "strict",
  ): Ref {
    const py = this.#vm.py;
    const o = py.allocate(this.textIO.native!);
    py.setRef(o, TextIOObj.buffer, buffer);
    py.takeRef(o, TextIOObj.encoding, py.str(encoding));
    py.takeRef(o, TextIOObj.errors, py.str(errors));
    py.setRef(o, TextIOObj.raw, raw);
    const r = this.#raw.get(raw)!;
    this.#text.set(o, {
      buffer,
      readable: r.readable,
      writable: r.writable,
      newline,
      lineBuffering,
      writeThrough,
      pending: "",
      decoder: new TextDecoder("utf-8", { fatal: true }),
      held: 0,
      eof: false,
      out: [],
      outLen: 0,
    });
    this.#b.setStr(this.#dict(o, TextIOObj.dict), "mode", 0, mode);
    return o;
  }

  // ------------------------------------------------------------------ attributes

  #rawMode(r: RawState): string {
    if (r.created) return r.readable ? "xb+" : "xb";
    if (r.appending) return r.readable ? "ab+" : "ab";
    if (r.readable) return r.writable ? "rb+" : "rb";
    return "wb";
  }

  #nameRepr(o: Ref): string {
    const vm: Host = this.#vm;
    const raw = this.#buffered.get(o)?.raw ?? this.#text.get(o)?.buffer ?? o;
    const inner = this.#buffered.get(raw)?.raw ?? raw;
    const d = vm.py.getRef(inner, FileIOObj.dict);
    const name = d ? vm.py.dictGet(d, vm.py.constant("name")) : 0;
    return name ? this.#b.reprOf(name) : "''";
  }

  #rawRepr(o: Ref): string {
    const r = this.#raw.get(o)!;
    if (r.closed) return "<_io.FileIO [closed]>";
    return `<_io.FileIO name=${this.#nameRepr(o)} mode='${this.#rawMode(r)}' closefd=${r.closefd ? "True" : "False"}>`;
  }

  #textRepr(o: Ref): string {
    const py = this.#vm.py;
    const d = py.getRef(o, TextIOObj.dict);
    const mode = d ? py.dictGet(d, py.constant("mode")) : 0;
    const enc = this.#b.reprOf(py.getRef(o, TextIOObj.encoding));
    return `<_io.TextIOWrapper name=${this.#nameRepr(o)}${mode ? ` mode=${this.#b.reprOf(mode)}` : ""} encoding=${enc}>`;
  }

  #rawAttr(o: Ref, name: string): Ref {
    const py = this.#vm.py;
    const r = this.#raw.get(o)!;
    switch (name) {
      case "closed":
        return py.bool(r.closed);
      case "mode":
        return py.str(this.#rawMode(r));
      case "closefd":
        return py.bool(r.closefd);
      default:
        return 0;
    }
  }

  #bufferedAttr(o: Ref, name: string): Ref {
    const py = this.#vm.py;
    const s = this.#buffered.get(o)!;
    switch (name) {
      case "raw":
        return py.newRef(s.raw);
      case "closed":
        return py.bool(this.#raw.get(s.raw)!.closed);
      case "name":
      case "mode":
        return this.#b.getAttr(s.raw, name);
      default:
        return 0;
    }
  }

  #textAttr(o: Ref, name: string): Ref {
    const py = this.#vm.py;
    const s = this.#text.get(o)!;
    switch (name) {
      case "buffer":
        return py.newRef(s.buffer);
      case "closed":
        return this.#b.getAttr(s.buffer, "closed");
      case "name":
        return this.#b.getAttr(s.buffer, "name");
      case "encoding":
        return py.newRef(py.getRef(o, TextIOObj.encoding));
      case "errors":
        return py.newRef(py.getRef(o, TextIOObj.errors));
      case "line_buffering":
        return py.bool(s.lineBuffering);
      case "write_through":
        return py.bool(s.writeThrough);
      case "newlines":
        return py.newRef(py.none);
      default:
        return 0;
    }
  }

  #memAttr(o: Ref, name: string): Ref {
    const py = this.#vm.py;
    const s = this.#mem.get(o);
    if (!s) return 0;
    if (name === "closed") return py.bool(s.closed);
    if (name === "line_buffering" && this.#vm.typeOf(o) === this.stringIO) {
      this.#memCheck(s);
      return py.bool(false);
    }
    return 0;
  }

  // ------------------------------------------------------------------ raw files

  #rawState(o: Ref): RawState {
    const r = this.#raw.get(o)!;
    if (r.closed) this.#vm.raise("ValueError", "I/O operation on closed file");
    return r;
  }

  #rawRead(o: Ref, n: number): Uint8Array {
    const r = this.#rawState(o);
    if (!r.readable) this.#unsupportedError("File not open for reading");
    if (r.console === "stdin") return this.#consoleRead(n);
    const read = (max: number) => {
      const data = this.fsCall(() => this.fs.read(r.fd, max, r.pos));
      r.pos += data.length;
      return data;
    };
    return n < 0 ? readToEnd(read) : read(n);
  }

  /** Up to `n` bytes of the interpreter's standard input (all that is left for `n < 0`). */
  #consoleRead(n: number): Uint8Array {
    const read = this.#vm.io.stdin;
    if (read === undefined || n === 0) return new Uint8Array(0);
    // Text written to the console's files is out before the program waits for input.
    this.#b.flush();
    return n > 0 ? read(n) : readToEnd(read);
  }

  #rawWrite(o: Ref, data: Uint8Array): number {
    const r = this.#rawState(o);
    if (!r.writable) this.#unsupportedError("File not open for writing");
    if (r.console) {
      const text = r.consoleDecoder!.decode(data, { stream: true });
      if (r.console === "stdout") this.#b.write(text);
      else {
        this.#b.flush();
        this.#vm.io.stderr(text);
      }
      return data.length;
    }
    const n = this.fsCall(() => this.fs.write(r.fd, data, r.pos));
    r.pos = r.appending ? this.fsCall(() => this.fs.fstat(r.fd).size) : r.pos + n;
    return n;
  }

  #rawSeek(o: Ref, offset: number, whence: number): number {
    const r = this.#rawState(o);
    const base =
      whence === 0 ? 0 : whence === 1 ? r.pos : this.fsCall(() => this.fs.fstat(r.fd).size);
    const to = base + offset;
    if (to < 0) this.#osError(new FileSystemError("EINVAL"));
    r.pos = to;
    return to;
  }

  #rawClose(o: Ref): void {
    const r = this.#raw.get(o)!;
    if (r.closed) return;
    r.closed = true;
    if (r.closefd) this.fsCall(() => this.fs.close(r.fd));
  }

  // ------------------------------------------------------------------ buffered files

  #bufState(o: Ref, op?: string): BufferedState {
    const s = this.#buffered.get(o)!;
    if (this.#raw.get(s.raw)!.closed)
      this.#vm.raise("ValueError", op ? `${op} of closed file` : "I/O operation on closed file");
    return s;
  }

  #bufFlush(s: BufferedState): void {
    if (s.wlen === 0) return;
    const data = concat(s.wbuf, s.wlen);
    s.wbuf = [];
    s.wlen = 0;
    this.#rawWrite(s.raw, data);
  }

  /** Drops what was read ahead, moving the raw file back to the logical position. */
  #bufUnread(s: BufferedState): void {
    const ahead = s.rbuf.length - s.rpos;
    if (ahead > 0) this.#raw.get(s.raw)!.pos -= ahead;
    s.rbuf = new Uint8Array(0);
    s.rpos = 0;
  }

  #bufTell(s: BufferedState): number {
    return this.#raw.get(s.raw)!.pos - (s.rbuf.length - s.rpos) + s.wlen;
  }

  #bufRead(o: Ref, n: number): Uint8Array {
    const s = this.#bufState(o, "read");
    if (s.kind === "BufferedWriter") this.#unsupportedError("read");
    this.#bufFlush(s);
    const have = s.rbuf.subarray(s.rpos);
    if (n >= 0 && have.length >= n) {
      s.rpos += n;
      return have.slice(0, n);
    }
    const rest = this.#rawRead(s.raw, n < 0 ? -1 : n - have.length);
    s.rbuf = new Uint8Array(0);
    s.rpos = 0;
    return concat([have, rest], have.length + rest.length);
  }

  #bufReadline(o: Ref, limit: number): Uint8Array {
    const s = this.#bufState(o, "readline");
    if (s.kind === "BufferedWriter") this.#unsupportedError("readline");
    this.#bufFlush(s);
    const parts: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      if (s.rpos >= s.rbuf.length) {
        s.rbuf = this.#rawRead(s.raw, s.size);
        s.rpos = 0;
        if (s.rbuf.length === 0) break;
      }
      const have = s.rbuf.subarray(s.rpos);
      let end = have.indexOf(10);
      end = end < 0 ? have.length : end + 1;
      if (limit >= 0) end = Math.min(end, limit - total);
      parts.push(have.slice(0, end));
      total += end;
      s.rpos += end;
      if (have[end - 1] === 10 || (limit >= 0 && total >= limit)) break;
    }
    return concat(parts, total);
  }

  #bufWrite(o: Ref, data: Uint8Array): number {
    const s = this.#bufState(o, "write");
    if (s.kind === "BufferedReader") this.#unsupportedError("write");
    this.#bufUnread(s);
    s.wbuf.push(data.slice());
    s.wlen += data.length;
    if (s.wlen >= s.size || this.#raw.get(s.raw)!.console) this.#bufFlush(s);
    return data.length;
  }

  #bufSeek(o: Ref, offset: number, whence: number): number {
    const s = this.#bufState(o, "seek");
    this.#bufFlush(s);
    if (whence === 1) offset += this.#bufTell(s);
    this.#bufUnread(s);
    return this.#rawSeek(s.raw, offset, whence === 1 ? 0 : whence);
  }

  #bufClose(o: Ref): void {
    const py = this.#vm.py;
    const s = this.#buffered.get(o)!;
    if (this.#raw.get(s.raw)!.closed) return;
    try {
      this.#bufFlush(s);
    } finally {
      this.#rawClose(s.raw);
      // buffered_close frees the buffer once the raw file is closed.
      py.memFree(this.#u32(o, BufferedObj.buffer));
      this.#set(o, BufferedObj.buffer, 0);
    }
  }

  // ------------------------------------------------------------------ text files

  #textState(o: Ref): TextState {
    const s = this.#text.get(o)!;
    const b = this.#buffered.get(s.buffer)!;
    if (this.#raw.get(b.raw)!.closed) this.#vm.raise("ValueError", "I/O operation on closed file.");
    return s;
  }

  /** Reads and decodes one more chunk; false at the end of the file. */
  #textFill(s: TextState): boolean {
    if (s.eof) return false;
    const bytes = this.#bufRead(s.buffer, CHUNK_SIZE);
    let text: string;
    try {
      text = s.decoder.decode(bytes, { stream: bytes.length > 0 });
    } catch {
      this.#vm.raise("UnicodeDecodeError", "'utf-8' codec can't decode the file's bytes");
    }
    s.held += bytes.length - utf8Length(text);
    if (bytes.length === 0) {
      s.eof = true;
      s.held = 0;
    }
    s.pending += text;
    return bytes.length > 0 || text.length > 0;
  }

  #textReadable(o: Ref): TextState {
    const s = this.#textState(o);
    if (!s.readable) this.#unsupportedError("not readable");
    // Text written before is handed to the buffer first.
    this.#textWriteFlush(s);
    this.#bufFlush(this.#buffered.get(s.buffer)!);
    return s;
  }

  /** `_textiowrapper_writeflush`: the pending encoded text goes to the buffer. */
  #textWriteFlush(s: TextState): void {
    if (s.outLen === 0) return;
    const data = concat(s.out, s.outLen);
    s.out = [];
    s.outLen = 0;
    this.#bufWrite(s.buffer, data);
  }

  /** Takes up to `n` characters (all, for a negative `n`) from the decoded text, newlines translated. */
  #textRead(o: Ref, n: number): string {
    const s = this.#textReadable(o);
    if (n < 0) {
      while (this.#textFill(s));
      const all = s.pending;
      s.pending = "";
      return s.newline === null ? all.replace(/\r\n?/g, "\n") : all;
    }
    let out = "";
    let count = 0;
    let i = 0;
    while (count < n) {
      if (
        i >= s.pending.length ||
        (s.newline === null && i + 1 >= s.pending.length && s.pending[i] === "\r")
      ) {
        if (!s.eof && this.#textFill(s)) continue;
        if (i >= s.pending.length) break;
      }
      const c = s.pending.charCodeAt(i);
      if (s.newline === null && c === 13) {
        out += "\n";
        i += s.pending.charCodeAt(i + 1) === 10 ? 2 : 1;
      } else if (c >= 0xd800 && c <= 0xdbff) {
        out += s.pending.slice(i, i + 2);
        i += 2;
      } else {
        out += s.pending[i];
        i++;
      }
      count++;
    }
    s.pending = s.pending.slice(i);
    return out;
  }

  #textReadline(o: Ref, limit: number): string {
    const s = this.#textReadable(o);
    for (;;) {
      const p = s.pending;
      let end = -1;
      let next = -1;
      if (s.newline === null || s.newline === "") {
        const m = /\r\n|\r|\n/.exec(p);
        if (m) {
          // A \r at the end may begin a \r\n: read on before deciding.
          if (m[0] === "\r" && m.index === p.length - 1 && !s.eof) {
            if (this.#textFill(s)) continue;
          }
          end = m.index;
          next = m.index + m[0].length;
        }
      } else {
        const at = p.indexOf(s.newline);
        if (at >= 0) {
          end = at;
          next = at + s.newline.length;
        }
      }
      if (end < 0 && !s.eof && this.#textFill(s)) continue;
      let line: string;
      if (end < 0) {
        line = p;
        s.pending = "";
      } else {
        line = p.slice(0, end) + (s.newline === null ? "\n" : p.slice(end, next));
        s.pending = p.slice(next);
      }
      if (limit >= 0 && [...line].length > limit) {
        const chars = [...line];
        const kept = chars.slice(0, limit).join("");
        // What the limit leaves goes back, untranslated when it was a newline.
        const back = chars.slice(limit).join("");
        s.pending =
          (end >= 0 && s.newline === null ? back.replace(/\n$/, p.slice(end, next)) : back) +
          s.pending;
        return kept;
      }
      return line;
    }
  }

  #textWrite(o: Ref, text: string): number {
    const s = this.#textState(o);
    if (!s.writable) this.#unsupportedError("not writable");
    const out =
      s.newline !== null && s.newline !== "" && s.newline !== "\n"
        ? text.replaceAll("\n", s.newline)
        : text;
    // What was read ahead is dropped, as textiowrapper_write resets its decoder.
    s.pending = "";
    s.held = 0;
    s.eof = false;
    s.decoder = new TextDecoder("utf-8", { fatal: true });
    const bytes = utf8.encode(out);
    const needFlush = s.lineBuffering && (text.includes("\n") || text.includes("\r"));
    if (s.outLen + bytes.length > CHUNK_SIZE) this.#textWriteFlush(s);
    s.out.push(bytes);
    s.outLen += bytes.length;
    // The console streams write through, so that their text and print()'s keep their order.
    const through = needFlush || this.#consoleText(s);
    if (s.outLen >= CHUNK_SIZE || through) this.#textWriteFlush(s);
    if (through) this.#bufFlush(this.#buffered.get(s.buffer)!);
    return [...text].length;
  }

  /** Which of the console's streams `o` (a FileIO, a buffered object or a wrapper) is over. */
  #consoleOf(o: Ref): RawState["console"] {
    const text = this.#text.get(o);
    const buffered = this.#buffered.get(text ? text.buffer : o);
    return this.#raw.get(buffered ? buffered.raw : o)?.console;
  }

  #consoleText(s: TextState): boolean {
    return this.#raw.get(this.#buffered.get(s.buffer)!.raw)!.console !== undefined;
  }

  /**
   * `sys.stdout` and `sys.stderr` (borrowed), made at their first use with `sys.stdin`: a TextIOWrapper
   * (encoding utf-8, mode `w`) over a BufferedWriter over a FileIO of descriptor 1 or 2 named
   * `<stdout>`/`<stderr>`, whose bytes go to the interpreter's own output streams. The
   * interpreter holds stdout until `sys` does ({@link placeConsole}): stdout is 0 once the
   * program has dropped it.
   */
  consoleStreams(): { stdout: Ref; stderr: Ref } {
    if (!this.#consoleMade) {
      this.#consoleMade = true;
      // create_stdio's order: descriptor 0, 1, then 2. sys alone holds stdin, as in python3
      // (`sys.stdin` and `sys.__stdin__`); the interpreter keeps stdout until sys's entries
      // are made, and stderr for good.
      const py = this.#vm.py;
      const stdin = this.#consoleInput();
      const sys = this.#b.modules.get("sys");
      if (sys) {
        const ns = py.getRef(sys, ModuleObj.dict);
        this.#b.setStr(ns, "__stdin__", stdin);
        this.#b.setStr(ns, "stdin", stdin);
        py.decref(stdin);
      } else this.#vm.keep(stdin);
      this.#stdout = this.#vm.keep(this.#consoleStream("stdout", 1));
      this.#stderr = this.#vm.keep(this.#consoleStream("stderr", 2));
    }
    return { stdout: this.#stdout, stderr: this.#stderr };
  }

  /** The original `sys.stdout` when it has been made and is alive, else 0. */
  get stdout(): Ref {
    return this.#stdout;
  }

  /** Whether {@link placeConsole} has put the console's streams in `sys`. */
  get consolePlaced(): boolean {
    return this.#consolePlaced;
  }

  /**
   * Puts `__stdout__` and `__stderr__`, and `stdout` and `stderr` where the program set none, in
   * `sys`'s dict (`sys`'s first read of a console name), once. The console's stdout is then
   * held by those two entries alone, as python3's is (`sys.getrefcount(sys.stdout)` 3), and dies
   * when the program drops both; stderr stays held by the interpreter too, as python3's (4).
   */
  placeConsole(sys: Ref): void {
    if (this.#consolePlaced) return;
    this.#consolePlaced = true;
    const py = this.#vm.py;
    const { stdout, stderr } = this.consoleStreams();
    const ns = py.getRef(sys, ModuleObj.dict);
    for (const [key, v] of [
      ["__stdout__", stdout],
      ["__stderr__", stderr],
    ] as const) {
      this.#b.setStr(ns, key, v);
      if (!py.dictGet(ns, py.constant(key.slice(2, -2)))) this.#b.setStr(ns, key.slice(2, -2), v);
    }
    this.#vm.unkeep(stdout);
  }

  /**
   * `sys.stdin`: a TextIOWrapper (mode `r`, newline `\n`, errors `surrogateescape`) over a
   * BufferedReader over a FileIO of descriptor 0 named `<stdin>`, whose bytes come from the
   * interpreter's input ({@link InterpreterIO.stdin}).
   */
  #consoleInput(): Ref {
    const py = this.#vm.py;
    const raw = py.allocate(this.fileIO.native!);
    this.#raw.set(raw, {
      fd: 0,
      readable: true,
      writable: false,
      appending: false,
      created: false,
      closed: false,
      closefd: false,
      pos: 0,
      console: "stdin",
    });
    this.#b.setStr(this.#dict(raw, FileIOObj.dict), "name", 0, "<stdin>");
    const buffer = this.#newBuffered("BufferedReader", raw, MEMORY_BLKSIZE);
    py.decref(raw);
    const text = this.#newText(buffer, raw, "r", "utf-8", "\n", false, false, "surrogateescape");
    py.decref(buffer);
    return text;
  }

  #consoleStream(kind: "stdout" | "stderr", fd: number): Ref {
    const py = this.#vm.py;
    const raw = py.allocate(this.fileIO.native!);
    this.#raw.set(raw, {
      fd,
      readable: false,
      writable: true,
      appending: false,
      created: false,
      closed: false,
      closefd: false,
      pos: 0,
      console: kind,
      consoleDecoder: new TextDecoder("utf-8"),
    });
    this.#b.setStr(this.#dict(raw, FileIOObj.dict), "name", 0, `<${kind}>`);
    const buffer = this.#newBuffered("BufferedWriter", raw, MEMORY_BLKSIZE);
    py.decref(raw);
    const pending = consolePending(this.#b, kind);
    const text = this.#newText(
      buffer,
      raw,
      "w",
      "utf-8",
      null,
      pending.lineBuffered,
      pending.writeThrough,
      kind === "stdout" ? "surrogateescape" : "backslashreplace",
    );
    py.decref(buffer);
    return text;
  }

  #textTell(o: Ref): number {
    const s = this.#textState(o);
    this.#textWriteFlush(s);
    const b = this.#buffered.get(s.buffer)!;
    return this.#bufTell(b) - utf8Length(s.pending) - s.held;
  }

  #textSeek(o: Ref, cookie: number, whence: number): number {
    const s = this.#textState(o);
    const vm: Host = this.#vm;
    if (whence === 1 && cookie !== 0) this.#unsupportedError("can't do nonzero cur-relative seeks");
    if (whence === 2 && cookie !== 0) this.#unsupportedError("can't do nonzero end-relative seeks");
    if (whence < 0 || whence > 2)
      vm.raise("ValueError", `invalid whence (${whence}, should be 0, 1 or 2)`);
    if (whence === 0 && cookie < 0) vm.raise("ValueError", `negative seek position ${cookie}`);
    this.#textWriteFlush(s);
    const target = whence === 1 ? this.#textTell(o) : cookie;
    s.pending = "";
    s.held = 0;
    s.eof = false;
    s.decoder = new TextDecoder("utf-8", { fatal: true });
    return this.#bufSeek(s.buffer, target, whence === 1 ? 0 : whence);
  }

  #textClose(o: Ref): void {
    const s = this.#text.get(o)!;
    const b = this.#buffered.get(s.buffer)!;
    if (this.#raw.get(b.raw)!.closed) return;
    try {
      this.#textWriteFlush(s);
    } finally {
      this.#bufClose(s.buffer);
    }
  }

  // ------------------------------------------------------------------ StringIO and BytesIO

  #memCheck(s: MemState | undefined): MemState {
    if (!s || s.closed) this.#vm.raise("ValueError", "I/O operation on closed file.");
    return s;
  }

  #newMem(t: PyType, args: readonly Ref[], kw: ReadonlyMap<string, Ref> | null): Ref {
    const vm: Host = this.#vm;
    const py = vm.py;
    const bytes = t === this.bytesIO;
    const init = args[0] ?? kw?.get(bytes ? "initial_bytes" : "initial_value");
    const s: MemState = {
      text: "",
      data: new Uint8Array(0),
      length: 0,
      alloc: 0,
      pos: 0,
      closed: false,
      shared: false,
    };
    if (init !== undefined && init !== py.none) {
      if (bytes) {
        if (vm.kindOf(init) !== "bytes")
          vm.raise("TypeError", `a bytes-like object is required, not '${vm.typeOf(init).name}'`);
        s.data = this.#b.bytesType.data(init).slice();
        s.length = s.alloc = s.data.length;
        s.shared = s.length > 0;
      } else {
        if (vm.kindOf(init) !== "str")
          vm.raise("TypeError", `initial_value must be str or None, not ${vm.typeOf(init).name}`);
        s.text = py.strValue(init);
      }
    }
    const o = py.allocate(t.native!);
    this.#mem.set(o, s);
    return o;
  }

  #memWrite(o: Ref, v: Ref): number {
    const vm: Host = this.#vm;
    const py = vm.py;
    const s = this.#memCheck(this.#mem.get(o));
    if (vm.typeOf(o) === this.stringIO) {
      if (vm.kindOf(v) !== "str")
        vm.raise("TypeError", `string argument expected, got '${vm.typeOf(v).name}'`);
      const chars = [...s.text];
      const add = [...py.strValue(v)];
      while (chars.length < s.pos) chars.push("\0");
      chars.splice(s.pos, add.length, ...add);
      s.text = chars.join("");
      s.pos += add.length;
      return add.length;
    }
    if (vm.kindOf(v) !== "bytes")
      vm.raise("TypeError", `a bytes-like object is required, not '${vm.typeOf(v).name}'`);
    const data = this.#b.bytesType.data(v);
    const end = s.pos + data.length;
    if (s.shared) {
      // unshare_buffer: a copy of exactly the size needed.
      s.alloc = Math.max(end, s.length);
      const copy = new Uint8Array(s.alloc);
      copy.set(s.data.subarray(0, s.length));
      s.data = copy;
      s.shared = false;
    }
    if (end > s.alloc) {
      // resize_buffer's growth rule.
      const size = end;
      let alloc = s.alloc;
      if (size < alloc / 2) alloc = size + 1;
      else if (size <= alloc * 1.125) alloc = size + (size >> 3) + (size < 9 ? 3 : 6);
      else alloc = size + 1;
      const grown = new Uint8Array(alloc);
      grown.set(s.data.subarray(0, s.length));
      s.data = grown;
      s.alloc = alloc;
    }
    if (s.pos > s.length) s.data.fill(0, s.length, s.pos);
    s.data.set(data, s.pos);
    s.pos = end;
    s.length = Math.max(s.length, end);
    return data.length;
  }

  #memRead(o: Ref, n: number, line: boolean): Ref {
    const vm: Host = this.#vm;
    const py = vm.py;
    const s = this.#memCheck(this.#mem.get(o));
    if (vm.typeOf(o) === this.stringIO) {
      const chars = [...s.text];
      let end = n < 0 ? chars.length : Math.min(chars.length, s.pos + n);
      if (line) {
        const at = chars.indexOf("\n", s.pos);
        if (at >= 0 && at < end) end = at + 1;
      }
      const out = chars.slice(Math.min(s.pos, chars.length), end).join("");
      s.pos = Math.max(s.pos, end);
      return py.str(out);
    }
    let end = n < 0 ? s.length : Math.min(s.length, s.pos + n);
    if (line) {
      const at = s.data.subarray(0, s.length).indexOf(10, s.pos);
      if (at >= 0 && at < end) end = at + 1;
    }
    const out = s.data.slice(Math.min(s.pos, s.length), Math.max(end, s.pos));
    s.pos = Math.max(s.pos, end);
    return this.#b.bytes(out);
  }

  // ------------------------------------------------------------------ shared

  /** iobase_finalize: a file still open is closed before it dies (errors are unraisable). */
  #finalize(o: Ref): void {
    // A collector that frees a cycle's objects in its own order may have freed the layers
    // below: a layer whose state is gone has nothing left to close.
    const t = this.#vm.typeOf(o);
    const live = (buffer: Ref) => {
      const bs = this.#buffered.get(buffer);
      return bs !== undefined && this.#raw.has(bs.raw);
    };
    if (t === this.textIO) {
      const s = this.#text.get(o);
      if (s && live(s.buffer)) this.#textClose(o);
    } else if (t === this.fileIO) {
      if (this.#raw.has(o)) this.#rawClose(o);
    } else if (live(o)) this.#bufClose(o);
  }

  /** Whether file object `o` is closed. */
  closed(o: Ref): boolean {
    return this.#closed(o);
  }

  #closed(o: Ref): boolean {
    const t = this.#vm.typeOf(o);
    if (t === this.fileIO) return this.#raw.get(o)!.closed;
    if (t === this.textIO) return this.#closed(this.#text.get(o)!.buffer);
    const m = this.#mem.get(o);
    if (m) return m.closed;
    return this.#raw.get(this.#buffered.get(o)!.raw)!.closed;
  }

  #close(o: Ref): void {
    const t = this.#vm.typeOf(o);
    if (t === this.fileIO) this.#rawClose(o);
    else if (t === this.textIO) this.#textClose(o);
    else if (this.#mem.has(o)) this.#mem.get(o)!.closed = true;
    else this.#bufClose(o);
  }

  /** `next(f)`: the next line (a new reference), or 0 at the end. */
  #nextLine(o: Ref): Ref {
    const py = this.#vm.py;
    const line = this.#readline(o, -1);
    if (py.len(line) === 0) {
      py.decref(line);
      return 0;
    }
    return line;
  }

  #readline(o: Ref, limit: number): Ref {
    const vm: Host = this.#vm;
    const t = vm.typeOf(o);
    if (t === this.textIO) return vm.py.str(this.#textReadline(o, limit));
    if (this.#mem.has(o)) return this.#memRead(o, limit, true);
    if (t === this.fileIO) {
      // RawIOBase.readline: a byte at a time.
      const out: number[] = [];
      while (limit < 0 || out.length < limit) {
        const b = this.#rawRead(o, 1);
        if (b.length === 0) break;
        out.push(b[0]!);
        if (b[0] === 10) break;
      }
      return this.#b.bytes(Uint8Array.from(out));
    }
    return this.#b.bytes(this.#bufReadline(o, limit));
  }

  #installMethods(): void {
    const vm: Host = this.#vm;
    const py = vm.py;
    const b = this.#b;
    const none = () => py.newRef(py.none);
    const sizeArg = (v: Ref | undefined, fn: string): number => {
      if (v === undefined || v === py.none) return -1;
      const k = vm.kindOf(v);
      if (k !== "int" && k !== "bool")
        vm.raise("TypeError", `argument should be integer or None, not '${vm.typeOf(v).name}'`);
      void fn;
      return Number(vm.intOf(v));
    };
    const intArg = (v: Ref | undefined, dflt: number): number => {
      if (v === undefined) return dflt;
      const k = vm.kindOf(v);
      if (k !== "int" && k !== "bool")
        vm.raise("TypeError", `'${vm.typeOf(v).name}' object cannot be interpreted as an integer`);
      return Number(vm.intOf(v));
    };
    const bytesArg = (v: Ref | undefined): Uint8Array => {
      if (v === undefined) vm.raise("TypeError", "write() takes exactly one argument (0 given)");
      if (vm.kindOf(v) !== "bytes")
        vm.raise("TypeError", `a bytes-like object is required, not '${vm.typeOf(v).name}'`);
      return b.bytesType.data(v);
    };
    const all = [
      this.fileIO,
      this.reader,
      this.writer,
      this.random,
      this.textIO,
      this.stringIO,
      this.bytesIO,
    ];
    const checkOpen = (o: Ref) => {
      if (this.#closed(o)) vm.raise("ValueError", "I/O operation on closed file.");
    };
    // IOBase's methods, on every file type.
    for (const t of all) {
      const m = t.methods;
      m.set("__enter__", (a) => {
        checkOpen(a[0]!);
        return py.newRef(a[0]!);
      });
      m.set("__exit__", (a) => {
        py.decref(this.#callMethod(a[0]!, "close"));
        return none();
      });
      m.set("__iter__", (a) => {
        checkOpen(a[0]!);
        return py.newRef(a[0]!);
      });
      m.set("__next__", (a) => {
        const line = this.#nextLine(a[0]!);
        return line || vm.raise("StopIteration");
      });
      m.set("close", (a) => {
        this.#close(a[0]!);
        return none();
      });
      m.set("readline", (a, kw) =>
        this.#readline(a[0]!, sizeArg(a[1] ?? kw?.get("size"), "readline")),
      );
      m.set("readlines", (a, kw) => {
        const hint = sizeArg(a[1] ?? kw?.get("hint"), "readlines");
        const lines: Ref[] = [];
        let total = 0;
        for (;;) {
          const line = this.#nextLine(a[0]!);
          if (!line) break;
          lines.push(line);
          total += py.len(line);
          if (hint > 0 && total >= hint) break;
        }
        const l = py.list(lines);
        for (const x of lines) py.decref(x);
        return l;
      });
      m.set("writelines", (a) => {
        checkOpen(a[0]!);
        const it = b.iter(a[1]!);
        try {
          for (;;) {
            const line = b.next(it);
            if (!line) break;
            try {
              py.decref(this.#callMethod(a[0]!, "write", line));
            } finally {
              py.decref(line);
            }
          }
        } finally {
          py.decref(it);
        }
        return none();
      });
      m.set("isatty", (a) => {
        checkOpen(a[0]!);
        // The console's files are terminals when the host says so; other files never are.
        const io = this.#vm.io;
        switch (this.#consoleOf(a[0]!)) {
          case "stdin":
            return py.bool(io.stdinIsTerminal === true);
          case "stdout":
            return py.bool(io.stdoutIsTerminal === true);
          case "stderr":
            return py.bool(io.stderrIsTerminal === true);
          default:
            return py.bool(false);
        }
      });
      m.set("flush", (a) => {
        const o = a[0]!;
        checkOpen(o);
        const ts = this.#text.get(o);
        if (o === this.#stdout || o === this.#stderr)
          consolePending(this.#b, o === this.#stdout ? "stdout" : "stderr").flush();
        if (ts) this.#textWriteFlush(ts);
        const bs = this.#buffered.get(ts ? ts.buffer : o);
        if (bs) this.#bufFlush(bs);
        // What reached the console's file is at the host's output now, as at python3's fd.
        if (o === this.#stdout) this.#b.flush();
        return none();
      });
      m.set("readable", (a) => {
        const o = a[0]!;
        if (this.#mem.has(o)) {
          this.#memCheck(this.#mem.get(o));
          return py.bool(true);
        }
        if (this.#closed(o)) vm.raise("ValueError", "I/O operation on closed file");
        const raw = this.#rawOf(o);
        const ts = this.#text.get(o);
        return py.bool(ts ? ts.readable : this.#raw.get(raw)!.readable);
      });
      m.set("writable", (a) => {
        const o = a[0]!;
        if (this.#mem.has(o)) {
          this.#memCheck(this.#mem.get(o));
          return py.bool(true);
        }
        if (this.#closed(o)) vm.raise("ValueError", "I/O operation on closed file");
        return py.bool(this.#raw.get(this.#rawOf(o))!.writable);
      });
      m.set("seekable", (a) => {
        const o = a[0]!;
        if (this.#mem.has(o)) {
          this.#memCheck(this.#mem.get(o));
          return py.bool(true);
        }
        if (this.#closed(o)) vm.raise("ValueError", "I/O operation on closed file");
        return py.bool(true);
      });
      if (!this.#isMemType(t))
        m.set("fileno", (a) => {
          const o = a[0]!;
          if (this.#closed(o)) vm.raise("ValueError", "I/O operation on closed file");
          return py.int(this.#raw.get(this.#rawOf(o))!.fd);
        });
    }
    // FileIO.
    {
      const m = this.fileIO.methods;
      m.set("read", (a, kw) =>
        b.bytes(this.#rawRead(a[0]!, sizeArg(a[1] ?? kw?.get("size"), "read"))),
      );
      m.set("readall", (a) => b.bytes(this.#rawRead(a[0]!, -1)));
      m.set("write", (a) => py.intFromSsize(this.#rawWrite(a[0]!, bytesArg(a[1]))));
      m.set("seek", (a, kw) =>
        py.int(
          this.#rawSeek(
            a[0]!,
            intArg(a[1] ?? kw?.get("pos"), 0),
            intArg(a[2] ?? kw?.get("whence"), 0),
          ),
        ),
      );
      m.set("tell", (a) => py.int(this.#rawState(a[0]!).pos));
    }
    // BufferedReader, BufferedWriter, BufferedRandom.
    for (const t of [this.reader, this.writer, this.random]) {
      const m = t.methods;
      if (t !== this.writer) {
        m.set("read", (a, kw) =>
          b.bytes(this.#bufRead(a[0]!, sizeArg(a[1] ?? kw?.get("size"), "read"))),
        );
        m.set("read1", (a, kw) =>
          b.bytes(this.#bufRead(a[0]!, sizeArg(a[1] ?? kw?.get("size"), "read1"))),
        );
        m.set("peek", (a) => {
          const s = this.#bufState(a[0]!, "peek");
          this.#bufFlush(s);
          if (s.rpos >= s.rbuf.length) {
            s.rbuf = this.#rawRead(s.raw, s.size);
            s.rpos = 0;
          }
          return b.bytes(s.rbuf.slice(s.rpos));
        });
      } else {
        m.set("read", () => this.#unsupportedError("read"));
      }
      if (t !== this.reader)
        m.set("write", (a) => py.intFromSsize(this.#bufWrite(a[0]!, bytesArg(a[1]))));
      else m.set("write", () => this.#unsupportedError("write"));
      m.set("seek", (a, kw) => {
        const whence = intArg(a[2] ?? kw?.get("whence"), 0);
        if (whence < 0 || whence > 2) vm.raise("ValueError", `whence value ${whence} unsupported`);
        return py.int(this.#bufSeek(a[0]!, intArg(a[1] ?? kw?.get("target"), 0), whence));
      });
      m.set("tell", (a) => {
        const o = a[0]!;
        if (this.#closed(o)) vm.raise("ValueError", "I/O operation on closed file");
        return py.int(this.#bufTell(this.#buffered.get(o)!));
      });
    }
    // TextIOWrapper.
    {
      const m = this.textIO.methods;
      m.set("read", (a, kw) =>
        py.str(this.#textRead(a[0]!, sizeArg(a[1] ?? kw?.get("size"), "read"))),
      );
      m.set("write", (a) => {
        const v = a[1];
        if (v === undefined) vm.raise("TypeError", "write() takes exactly one argument (0 given)");
        if (vm.kindOf(v) !== "str")
          vm.raise("TypeError", `write() argument must be str, not ${vm.typeOf(v).name}`);
        const value = py.strValue(v);
        if (a[0] === this.#stdout || a[0] === this.#stderr) {
          // python3's own streams keep the str (or its bytes) pending, as print does.
          this.#textState(a[0]!);
          consolePending(this.#b, a[0] === this.#stdout ? "stdout" : "stderr").write(
            py.newRef(v),
            value,
          );
          return py.intFromSsize([...value].length);
        }
        return py.intFromSsize(this.#textWrite(a[0]!, value));
      });
      m.set("tell", (a) => py.int(this.#textTell(a[0]!)));
      m.set("seek", (a, kw) =>
        py.int(
          this.#textSeek(
            a[0]!,
            intArg(a[1] ?? kw?.get("cookie"), 0),
            intArg(a[2] ?? kw?.get("whence"), 0),
          ),
        ),
      );
      m.set("detach", () => vm.raise("ValueError", "detach() is not supported"));
    }
    // StringIO and BytesIO.
    for (const t of [this.stringIO, this.bytesIO]) {
      const m = t.methods;
      m.set("__new__", (a, kw) => this.#newMem(t, a, kw));
      m.set("write", (a) =>
        py.intFromSsize(
          this.#memWrite(
            a[0]!,
            a[1] ?? vm.raise("TypeError", "write() takes exactly one argument (0 given)"),
          ),
        ),
      );
      m.set("read", (a, kw) =>
        this.#memRead(a[0]!, sizeArg(a[1] ?? kw?.get("size"), "read"), false),
      );
      m.set("getvalue", (a) => {
        const s = this.#memCheck(this.#mem.get(a[0]!));
        return t === this.stringIO ? py.str(s.text) : b.bytes(s.data.slice(0, s.length));
      });
      m.set("tell", (a) => py.intFromSsize(this.#memCheck(this.#mem.get(a[0]!)).pos));
      m.set("seek", (a) => {
        const s = this.#memCheck(this.#mem.get(a[0]!));
        const pos = intArg(a[1], 0);
        const whence = intArg(a[2], 0);
        if (whence < 0 || whence > 2)
          vm.raise("ValueError", `Invalid whence (${whence}, should be 0, 1 or 2)`);
        if (whence === 0 && pos < 0) vm.raise("ValueError", `negative seek value ${pos}`);
        if (t === this.stringIO && whence !== 0 && pos !== 0)
          vm.raise(
            "OSError",
            whence === 1
              ? "Can't do nonzero cur-relative seeks"
              : "Can't do nonzero end-relative seeks",
          );
        const len = t === this.stringIO ? [...s.text].length : s.length;
        s.pos = Math.max(0, whence === 0 ? pos : whence === 1 ? s.pos + pos : len + pos);
        return py.int(s.pos);
      });
    }
  }

  #isMemType(t: PyType): boolean {
    return t === this.stringIO || t === this.bytesIO;
  }

  /** The FileIO under a file object. */
  #rawOf(o: Ref): Ref {
    const ts = this.#text.get(o);
    const bo = ts ? ts.buffer : o;
    return this.#buffered.get(bo)?.raw ?? bo;
  }

  /** `o.name(*args)` (a new reference). */
  #callMethod(o: Ref, name: string, ...args: Ref[]): Ref {
    const py = this.#vm.py;
    const f = this.#b.getAttr(o, name);
    try {
      return this.#vm.call(f, args);
    } finally {
      py.decref(f);
    }
  }
}

/**
 * A small `os`: `remove`/`unlink`, `getcwd`, `sep`, and `os.path` with `exists`, `isfile`,
 * `isdir`, `getsize` and `join` over the interpreter's file system, and the string functions
 * (`basename`, `dirname`, `split`, `splitext`, `normpath`, `abspath`, `isabs`) (a new reference).
 */
export function osModule(b: Protocols): Ref {
  const vm: Host = b.vm;
  const py = vm.py;
  const io = ioTypes(b);
  const m = b.newModule("os");
  const path = b.newModule("posixpath");
  const define = (mod: Ref, name: string, fn: BuiltinFn) => {
    const o = b.newBuiltin(name, fn, 0, mod);
    b.setStr(py.getRef(mod, ModuleObj.dict), name, o);
    py.decref(o);
  };
  const pathArg = (fn: string, v: Ref | undefined): string => {
    if (v === undefined) vm.raise("TypeError", `${fn}() missing required argument 'path' (pos 1)`);
    if (vm.kindOf(v) !== "str")
      vm.raise(
        "TypeError",
        `${fn}: path should be string, bytes or os.PathLike, not ${vm.typeOf(v).name}`,
      );
    return py.strValue(v);
  };
  for (const name of ["remove", "unlink"])
    define(m, name, (a) => {
      const p = pathArg(name, a[0]);
      io.fsCall(() => io.fs.remove(p), a[0]);
      return py.newRef(py.none);
    });
  define(m, "getcwd", () => py.str(io.fs.cwd()));
  const stat = (p: string) => {
    try {
      return io.fs.stat(p);
    } catch (error) {
      if (error instanceof FileSystemError) return undefined;
      throw error;
    }
  };
  define(path, "exists", (a) => py.bool(stat(pathArg("exists", a[0])) !== undefined));
  define(path, "isfile", (a) => py.bool(stat(pathArg("isfile", a[0]))?.directory === false));
  define(path, "isdir", (a) => py.bool(stat(pathArg("isdir", a[0]))?.directory === true));
  define(path, "join", (a) => {
    let out = "";
    for (const v of a) {
      const part = pathArg("join", v);
      if (part.startsWith("/")) out = part;
      else out = out === "" || out.endsWith("/") ? out + part : `${out}/${part}`;
    }
    return py.str(out);
  });
  const text = (name: string, f: (p: string) => string) =>
    define(path, name, (a) => py.str(f(pathArg(name, a[0]))));
  const pair = (name: string, f: (p: string) => [string, string]) =>
    define(path, name, (a) => {
      const parts = f(pathArg(name, a[0])).map((x) => py.str(x));
      const t = py.tuple(parts);
      for (const x of parts) py.decref(x);
      return t;
    });
  text("basename", basename);
  text("dirname", dirname);
  text("normpath", normpath);
  text("abspath", (p) => abspath(p, io.fs.cwd()));
  pair("split", splitPath);
  pair("splitext", splitext);
  define(path, "isabs", (a) => py.bool(pathArg("isabs", a[0]).startsWith("/")));
  define(path, "getsize", (a) => {
    const p = pathArg("getsize", a[0]);
    return py.int(io.fsCall(() => io.fs.stat(p), a[0]).size);
  });
  b.setStr(py.getRef(m, ModuleObj.dict), "path", path);
  py.decref(path);
  b.setStr(py.getRef(m, ModuleObj.dict), "sep", 0, "/");
  installOsExtras(b, m);
  return m;
}
