// The `json` module, as CPython 3.11 builds it: Lib/json's Python layer (JSONEncoder,
// JSONDecoder, JSONDecodeError, dumps/dump/loads/load and the pure-Python `_make_iterencode`
// that `indent=` and `dump()` run) as Python code run over the interpreter, over natives that do
// what Modules/_json.c does in C:
//
// - the scanner (`make_scanner`): one native call per document, building the parsed tree in
//   CPython's order: a dict made empty and filled key by key (or a list of pairs for
//   `object_pairs_hook`), lists appended to one item at a time, each object key looked up in a
//   memo dict the scanner keeps (`PyDict_SetDefault(memo, key, key)`), so that equal keys of
//   one document are one str object; the memo is cleared when the call ends. Strings are new
//   objects (the cached empty and one-character Latin-1 strs aside), ints and floats are made
//   from their text (small ints cached), NaN/Infinity go through `parse_constant`.
// - the one-shot encoder (`make_encoder`, used by `dumps` without `indent`): one native call
//   that collects the text's pieces as strs in a list, joined at the end (3.11's `_PyAccu`),
//   with the same markers dict (keys are the containers' ids) and the same errors as C.
// - `encode_basestring` and `encode_basestring_ascii`.
//
// Nesting counts toward the recursion limit as C's `_Py_EnterRecursiveCall` does, with its
// messages ("… while decoding a JSON array from a unicode string").

import type { Ref } from "@mm/runtime";
import type { CodeUnit } from "../compile/code.js";
import { deserializeCode } from "../compile/serialize.js";
import { floatRepr } from "../text/float.js";
import { intFromStr, intToDecimal } from "../text/int.js";
import { Raised } from "./errors.js";
import type { Host, Protocols } from "./host.js";
import { JSON_COMPILED } from "./json.compiled.js";
import { Builtin } from "./layouts.js";
import { precompileSource, pythonModule } from "./python-module.js";
import type { BuiltinFn } from "./types.js";

/** The module's Python source. */
const SOURCE = `"""Reading and writing JSON text: dumps/dump turn Python values into it, loads/load back."""

__version__ = "2.0.9"
__all__ = ["dump", "dumps", "load", "loads", "JSONDecoder", "JSONDecodeError", "JSONEncoder"]

NaN = float("nan")
PosInf = float("inf")
NegInf = float("-inf")
INFINITY = PosInf

try:
    _BYTES = (bytes, bytearray)
except NameError:
    _BYTES = (bytes,)

_CONSTANTS = {"-Infinity": NegInf, "Infinity": PosInf, "NaN": NaN}

encode_basestring = _encode_basestring
encode_basestring_ascii = _encode_basestring_ascii


class JSONDecodeError(ValueError):
    """The ValueError for text that is not JSON: the bare message (msg), the text (doc), the
    index where reading stopped (pos), and its line and column counted from 1."""
    __module__ = "json.decoder"

    def __init__(self, msg, doc, pos):
        lineno = doc.count("\\n", 0, pos) + 1
        colno = pos - doc.rfind("\\n", 0, pos)
        errmsg = "%s: line %d column %d (char %d)" % (msg, lineno, colno, pos)
        ValueError.__init__(self, errmsg)
        self.msg = msg
        self.doc = doc
        self.pos = pos
        self.lineno = lineno
        self.colno = colno

    def __reduce__(self):
        return self.__class__, (self.msg, self.doc, self.pos)


class JSONDecoder(object):
    """Turns JSON text into dicts, lists, strs, ints, floats, bools and None."""
    __module__ = "json.decoder"

    def __init__(self, *, object_hook=None, parse_float=None, parse_int=None,
                 parse_constant=None, strict=True, object_pairs_hook=None):
        self.object_hook = object_hook
        self.parse_float = parse_float or float
        self.parse_int = parse_int or int
        self.parse_constant = parse_constant or _CONSTANTS.__getitem__
        self.strict = strict
        self.object_pairs_hook = object_pairs_hook
        self.memo = {}
        self.scan_once = _make_scanner(self, JSONDecodeError)

    def decode(self, s):
        """The value of the JSON document that is all of str s (whitespace aside)."""
        obj, end = self.raw_decode(s, idx=_skip_whitespace(s, 0))
        end = _skip_whitespace(s, end)
        if end != len(s):
            raise JSONDecodeError("Extra data", s, end)
        return obj

    def raw_decode(self, s, idx=0):
        """The value of the document starting at s[idx], and the index after it."""
        try:
            obj, end = self.scan_once(s, idx)
        except StopIteration as err:
            raise JSONDecodeError("Expecting value", s, err.value) from None
        return obj, end


class JSONEncoder(object):
    """Turns dicts, lists, tuples, strs, numbers, bools and None into JSON text; subclasses
    may override default() for other objects."""
    __module__ = "json.encoder"
    item_separator = ", "
    key_separator = ": "

    def __init__(self, *, skipkeys=False, ensure_ascii=True, check_circular=True,
                 allow_nan=True, sort_keys=False, indent=None, separators=None,
                 default=None):
        """The options of dumps(), keyword-only."""
        self.skipkeys = skipkeys
        self.ensure_ascii = ensure_ascii
        self.check_circular = check_circular
        self.allow_nan = allow_nan
        self.sort_keys = sort_keys
        self.indent = indent
        if separators is not None:
            self.item_separator, self.key_separator = separators
        elif indent is not None:
            self.item_separator = ","
        if default is not None:
            self.default = default

    def default(self, o):
        """What to write for an object JSON has no form for: here, a TypeError."""
        raise TypeError(f"Object of type {o.__class__.__name__} is not JSON serializable")

    def encode(self, o):
        """The JSON text of o, as one str."""
        if isinstance(o, str):
            if self.ensure_ascii:
                return encode_basestring_ascii(o)
            return encode_basestring(o)
        chunks = self.iterencode(o, _one_shot=True)
        if not isinstance(chunks, (list, tuple)):
            chunks = list(chunks)
        return "".join(chunks)

    def iterencode(self, o, _one_shot=False):
        """The JSON text of o in pieces, as an iterable of strs."""
        markers = {} if self.check_circular else None
        _encoder = encode_basestring_ascii if self.ensure_ascii else encode_basestring

        def floatstr(o, allow_nan=self.allow_nan, _repr=float.__repr__, _inf=INFINITY,
                     _neginf=-INFINITY):
            if o != o:
                text = "NaN"
            elif o == _inf:
                text = "Infinity"
            elif o == _neginf:
                text = "-Infinity"
            else:
                return _repr(o)
            if not allow_nan:
                raise ValueError("Out of range float values are not JSON compliant: " + repr(o))
            return text

        if _one_shot and self.indent is None:
            _iterencode = _make_encoder(
                markers, self.default, _encoder, self.indent, self.key_separator,
                self.item_separator, self.sort_keys, self.skipkeys, self.allow_nan)
        else:
            _iterencode = _make_iterencode(
                markers, self.default, _encoder, self.indent, floatstr, self.key_separator,
                self.item_separator, self.sort_keys, self.skipkeys, _one_shot)
        return _iterencode(o, 0)


def _make_iterencode(markers, _default, _encoder, _indent, _floatstr, _key_separator,
                     _item_separator, _sort_keys, _skipkeys, _one_shot, ValueError=ValueError,
                     dict=dict, float=float, id=id, int=int, isinstance=isinstance, list=list,
                     str=str, tuple=tuple, _intstr=int.__repr__):
    # The encoder CPython runs in Python (indent=, dump(), iterencode()): three generators that
    # call each other as deep as the data nests, yielding the same pieces in the same order as
    # CPython's, and holding the same closure cells.
    if _indent is not None and not isinstance(_indent, str):
        _indent = " " * _indent

    def _iterencode_list(lst, _current_indent_level):
        if not lst:
            yield "[]"
            return
        if markers is not None:
            markerid = id(lst)
            if markerid in markers:
                raise ValueError("Circular reference detected")
            markers[markerid] = lst
        head = "["
        if _indent is None:
            newline_indent = None
            between = _item_separator
        else:
            _current_indent_level += 1
            newline_indent = "\\n" + _indent * _current_indent_level
            between = _item_separator + newline_indent
            head += newline_indent
        # Scalars are written with the separator (or the opening) before them in one piece.
        first = True
        for value in lst:
            if first:
                first = False
            else:
                head = between
            if isinstance(value, str):
                yield head + _encoder(value)
            elif value is None:
                yield head + "null"
            elif value is True:
                yield head + "true"
            elif value is False:
                yield head + "false"
            elif isinstance(value, int):
                yield head + _intstr(value)
            elif isinstance(value, float):
                yield head + _floatstr(value)
            else:
                yield head
                if isinstance(value, (list, tuple)):
                    yield from _iterencode_list(value, _current_indent_level)
                elif isinstance(value, dict):
                    yield from _iterencode_dict(value, _current_indent_level)
                else:
                    yield from _iterencode(value, _current_indent_level)
        if newline_indent is not None:
            _current_indent_level -= 1
            yield "\\n" + _indent * _current_indent_level
        yield "]"
        if markers is not None:
            del markers[markerid]

    def _iterencode_dict(dct, _current_indent_level):
        if not dct:
            yield "{}"
            return
        if markers is not None:
            markerid = id(dct)
            if markerid in markers:
                raise ValueError("Circular reference detected")
            markers[markerid] = dct
        yield "{"
        if _indent is None:
            newline_indent = None
            between = _item_separator
        else:
            _current_indent_level += 1
            newline_indent = "\\n" + _indent * _current_indent_level
            between = _item_separator + newline_indent
            yield newline_indent
        first = True
        items = sorted(dct.items()) if _sort_keys else dct.items()
        for key, value in items:
            # Keys become strs as the C encoder makes them; bool is tested before int.
            if isinstance(key, str):
                pass
            elif isinstance(key, float):
                key = _floatstr(key)
            elif key is True:
                key = "true"
            elif key is False:
                key = "false"
            elif key is None:
                key = "null"
            elif isinstance(key, int):
                key = _intstr(key)
            elif _skipkeys:
                continue
            else:
                raise TypeError(f"keys must be str, int, float, bool or None, "
                                f"not {key.__class__.__name__}")
            if first:
                first = False
            else:
                yield between
            yield _encoder(key)
            yield _key_separator
            if isinstance(value, str):
                yield _encoder(value)
            elif value is None:
                yield "null"
            elif value is True:
                yield "true"
            elif value is False:
                yield "false"
            elif isinstance(value, int):
                yield _intstr(value)
            elif isinstance(value, float):
                yield _floatstr(value)
            elif isinstance(value, (list, tuple)):
                yield from _iterencode_list(value, _current_indent_level)
            elif isinstance(value, dict):
                yield from _iterencode_dict(value, _current_indent_level)
            else:
                yield from _iterencode(value, _current_indent_level)
        if newline_indent is not None:
            _current_indent_level -= 1
            yield "\\n" + _indent * _current_indent_level
        yield "}"
        if markers is not None:
            del markers[markerid]

    def _iterencode(o, _current_indent_level):
        if isinstance(o, str):
            yield _encoder(o)
        elif o is None:
            yield "null"
        elif o is True:
            yield "true"
        elif o is False:
            yield "false"
        elif isinstance(o, int):
            yield _intstr(o)
        elif isinstance(o, float):
            yield _floatstr(o)
        elif isinstance(o, (list, tuple)):
            yield from _iterencode_list(o, _current_indent_level)
        elif isinstance(o, dict):
            yield from _iterencode_dict(o, _current_indent_level)
        else:
            # Anything else is what default() turns it into, watched for cycles meanwhile.
            if markers is not None:
                markerid = id(o)
                if markerid in markers:
                    raise ValueError("Circular reference detected")
                markers[markerid] = o
            o = _default(o)
            yield from _iterencode(o, _current_indent_level)
            if markers is not None:
                del markers[markerid]

    return _iterencode


_default_encoder = JSONEncoder()
_default_decoder = JSONDecoder()

# The submodules CPython's json package imports, with what programs reach through them.
decoder.JSONDecoder = JSONDecoder
decoder.JSONDecodeError = JSONDecodeError
decoder.NaN = NaN
decoder.PosInf = PosInf
decoder.NegInf = NegInf
encoder.JSONEncoder = JSONEncoder
encoder.encode_basestring = encode_basestring
encoder.encode_basestring_ascii = encode_basestring_ascii
encoder.INFINITY = INFINITY


def dump(obj, fp, *, skipkeys=False, ensure_ascii=True, check_circular=True, allow_nan=True,
         cls=None, indent=None, separators=None, default=None, sort_keys=False, **kw):
    """Writes the JSON text of obj to fp, one piece per fp.write() call."""
    if (not skipkeys and ensure_ascii and check_circular and allow_nan and cls is None
            and indent is None and separators is None and default is None
            and not sort_keys and not kw):
        iterable = _default_encoder.iterencode(obj)
    else:
        if cls is None:
            cls = JSONEncoder
        iterable = cls(skipkeys=skipkeys, ensure_ascii=ensure_ascii,
                       check_circular=check_circular, allow_nan=allow_nan, indent=indent,
                       separators=separators, default=default, sort_keys=sort_keys,
                       **kw).iterencode(obj)
    for chunk in iterable:
        fp.write(chunk)


def dumps(obj, *, skipkeys=False, ensure_ascii=True, check_circular=True, allow_nan=True,
          cls=None, indent=None, separators=None, default=None, sort_keys=False, **kw):
    """The JSON text of obj, as one str."""
    if (not skipkeys and ensure_ascii and check_circular and allow_nan and cls is None
            and indent is None and separators is None and default is None
            and not sort_keys and not kw):
        return _default_encoder.encode(obj)
    if cls is None:
        cls = JSONEncoder
    return cls(skipkeys=skipkeys, ensure_ascii=ensure_ascii, check_circular=check_circular,
               allow_nan=allow_nan, indent=indent, separators=separators, default=default,
               sort_keys=sort_keys, **kw).encode(obj)


def detect_encoding(b):
    bstartswith = b.startswith
    if bstartswith((b"\\x00\\x00\\xfe\\xff", b"\\xff\\xfe\\x00\\x00")):
        return "utf-32"
    if bstartswith((b"\\xfe\\xff", b"\\xff\\xfe")):
        return "utf-16"
    if bstartswith(b"\\xef\\xbb\\xbf"):
        return "utf-8-sig"
    if len(b) >= 4:
        # JSON text starts with an ASCII character: where its zero bytes fall tells the width
        # and the byte order.
        if not b[0]:
            return "utf-16-be" if b[1] else "utf-32-be"
        if not b[1]:
            return "utf-16-le" if b[2] or b[3] else "utf-32-le"
    elif len(b) == 2:
        if not b[0]:
            return "utf-16-be"
        if not b[1]:
            return "utf-16-le"
    return "utf-8"


def load(fp, *, cls=None, object_hook=None, parse_float=None, parse_int=None,
         parse_constant=None, object_pairs_hook=None, **kw):
    """The value of the JSON document fp.read() returns."""
    return loads(fp.read(), cls=cls, object_hook=object_hook, parse_float=parse_float,
                 parse_int=parse_int, parse_constant=parse_constant,
                 object_pairs_hook=object_pairs_hook, **kw)


def loads(s, *, cls=None, object_hook=None, parse_float=None, parse_int=None,
          parse_constant=None, object_pairs_hook=None, **kw):
    """The value of the JSON document s (a str, or bytes in UTF-8, UTF-16 or UTF-32)."""
    if isinstance(s, str):
        if s.startswith("\\ufeff"):
            raise JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", s, 0)
    else:
        if not isinstance(s, _BYTES):
            raise TypeError(f"the JSON object must be str, bytes or bytearray, "
                            f"not {s.__class__.__name__}")
        encoding = detect_encoding(s)
        if encoding == "utf-8":
            s = s.decode(encoding, "surrogatepass")
        else:
            s = _decode_wide(bytes(s), encoding)

    if (cls is None and object_hook is None and parse_int is None and parse_float is None
            and parse_constant is None and object_pairs_hook is None and not kw):
        return _default_decoder.decode(s)
    if cls is None:
        cls = JSONDecoder
    if object_hook is not None:
        kw["object_hook"] = object_hook
    if object_pairs_hook is not None:
        kw["object_pairs_hook"] = object_pairs_hook
    if parse_float is not None:
        kw["parse_float"] = parse_float
    if parse_int is not None:
        kw["parse_int"] = parse_int
    if parse_constant is not None:
        kw["parse_constant"] = parse_constant
    return cls(**kw).decode(s)
`;

/** The file name the module's code and tracebacks carry. */
const FILENAME = "<json>";

/** The module's code, shared by every interpreter (read at the first import). */
let compiled: CodeUnit | undefined;

/**
 * The module's source compiled and serialized: what scripts/precompile.ts stores in
 * json.compiled.ts (the interpreter loads that rather than compiling the source at each import).
 */
export function precompiledJson(): string {
  return precompileSource(SOURCE, FILENAME);
}

/**
 * The `json` module (a new reference): the natives standing for `_json`'s C code defined, then
 * its Python source run in its namespace.
 */
export function jsonModule(b: Protocols): Ref {
  compiled ??= deserializeCode(JSON_COMPILED);
  const natives = new JsonNatives(b);
  const py = b.vm.py;
  const decoder = b.newModule("json.decoder");
  const encoder = b.newModule("json.encoder");
  try {
    return pythonModule(
      b,
      {
        name: "json",
        filename: FILENAME,
        source: SOURCE,
        values: { decoder, encoder },
        natives: {
          _decode_wide: (a) => natives.decodeWide(a),
          _encode_basestring: (a) => natives.encodeBasestring(a, false),
          _encode_basestring_ascii: (a) => natives.encodeBasestring(a, true),
          _skip_whitespace: (a) => natives.skipWhitespace(a),
          _make_scanner: (a) => natives.makeScanner(a),
          _make_encoder: (a) => natives.makeEncoder(a),
        },
      },
      compiled,
    );
  } finally {
    py.decref(decoder);
    py.decref(encoder);
  }
}

// The scanner's state tuple (what `make_scanner` reads from its context), by field.
const S_STRICT = 0;
const S_OBJECT_HOOK = 1;
const S_PAIRS_HOOK = 2;
const S_PARSE_FLOAT = 3;
const S_PARSE_INT = 4;
const S_PARSE_CONSTANT = 5;
const S_MEMO = 6;
const S_ERROR = 7;

// The encoder's state tuple (`make_encoder`'s arguments), by field.
const E_MARKERS = 0;
const E_DEFAULT = 1;
const E_ENCODER = 2;
const E_INDENT = 3;
const E_KEY_SEP = 4;
const E_ITEM_SEP = 5;
const E_SORT_KEYS = 6;
const E_SKIPKEYS = 7;
const E_ALLOW_NAN = 8;

const HEX = "0123456789abcdef";

/** How many pieces \`_PyAccu\` keeps before joining them. */
const ACCU_SMALL_MAX = 100000;

/** The bytes an `re` match object of a pattern without groups takes (with its GC head). */
const MATCH_OBJECT_BYTES = 120;
/** The data stack `_sre` allocates for matching CPython's `WHITESPACE` pattern. */
const SRE_DATA_STACK_BYTES = 1094;

/**
 * `PyLong_FromSsize_t(n)` (a new reference): an int of as many digits as `n` needs (28 bytes for
 * one), where the runtime's int of a JavaScript number is what `PyLong_FromLong` makes.
 */
function intOf(py: Host["py"], n: number): Ref {
  return py.int(BigInt(n));
}

/** Whether `c` is JSON whitespace (space, tab, newline, carriage return). */
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** The text of `s` between double quotes with JSON's escapes; non-ASCII escaped with `ascii`. */
export function jsonQuote(s: string, ascii: boolean): string {
  let out = '"';
  let from = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c && (c < 0x7f || !ascii)) continue;
    if (i > from) out += s.slice(from, i);
    from = i + 1;
    switch (c) {
      case 0x22:
        out += '\\"';
        break;
      case 0x5c:
        out += "\\\\";
        break;
      case 0x08:
        out += "\\b";
        break;
      case 0x0c:
        out += "\\f";
        break;
      case 0x0a:
        out += "\\n";
        break;
      case 0x0d:
        out += "\\r";
        break;
      case 0x09:
        out += "\\t";
        break;
      default:
        // A surrogate pair of the JavaScript string is one code point above U+FFFF, which
        // CPython writes as the same two \\u escapes.
        out += `\\u${HEX[(c >> 12) & 15]}${HEX[(c >> 8) & 15]}${HEX[(c >> 4) & 15]}${HEX[c & 15]}`;
    }
  }
  if (from === 0) return `"${s}"`;
  if (from < n) out += s.slice(from);
  return `${out}"`;
}

/** The natives of one interpreter's `json` module. */
class JsonNatives {
  readonly #b: Protocols;
  readonly #vm: Host;
  /** The builtin-function entries every scanner and every encoder object share. */
  #scannerId = -1;
  #encoderId = -1;
  /** `encode_basestring` and `encode_basestring_ascii` (borrowed from the module), once seen. */
  #quote: Ref = 0;
  #quoteAscii: Ref = 0;

  constructor(b: Protocols) {
    this.#b = b;
    this.#vm = b.vm;
  }

  /** `encode_basestring(s)` / `encode_basestring_ascii(s)`. */
  encodeBasestring(a: readonly Ref[], ascii: boolean): Ref {
    const vm = this.#vm;
    const name = ascii ? "encode_basestring_ascii" : "encode_basestring";
    if (a.length !== 1)
      vm.raise("TypeError", `${name}() takes exactly one argument (${a.length} given)`);
    const s = a[0]!;
    if (vm.kindOf(s) !== "str")
      vm.raise("TypeError", `first argument must be a string, not ${vm.typeOf(s).name}`);
    return vm.py.str(jsonQuote(vm.py.strValue(s), ascii));
  }

  /**
   * `data.decode(encoding, "surrogatepass")` for the encodings `detect_encoding` finds besides
   * UTF-8: UTF-8 after a byte order mark, UTF-16 and UTF-32 (after a byte order mark, or of the
   * order the name says).
   */
  decodeWide(a: readonly Ref[]): Ref {
    const vm = this.#vm;
    const data = this.#b.bytesType.data(a[0]!);
    let encoding = vm.py.strValue(a[1]!);
    let at = 0;
    const fail = (): never =>
      vm.raise("UnicodeDecodeError", `'${encoding}' codec can't decode the document's bytes`);
    if (encoding === "utf-8-sig") {
      const body = data.subarray(3);
      try {
        return vm.py.str(new TextDecoder("utf-8", { fatal: true }).decode(body));
      } catch {
        return fail();
      }
    }
    const wide = encoding.startsWith("utf-32") ? 4 : 2;
    if (encoding === "utf-16" || encoding === "utf-32") {
      // The byte order mark says the order, and is dropped.
      const little = data[0] === 0xff;
      encoding = `${encoding}-${little ? "le" : "be"}`;
      at = wide;
    }
    const little = encoding.endsWith("-le");
    if ((data.length - at) % wide !== 0) fail();
    let out = "";
    for (let i = at; i < data.length; i += wide) {
      let c = 0;
      for (let k = 0; k < wide; k++) c |= data[i + (little ? k : wide - 1 - k)]! << (8 * k);
      c >>>= 0;
      if (c > 0x10ffff) fail();
      out += wide === 2 ? String.fromCharCode(c) : String.fromCodePoint(c);
    }
    return vm.py.str(out);
  }

  /** `WHITESPACE.match(s, idx).end()`: the index of the first non-whitespace from `idx`. */
  skipWhitespace(a: readonly Ref[]): Ref {
    const vm = this.#vm;
    const s = a[0]!;
    if (vm.kindOf(s) !== "str")
      vm.raise("TypeError", `expected string or bytes-like object, got '${vm.typeOf(s).name}'`);
    const py = vm.py;
    const view = new TextView(py.strValue(s));
    let i = Number(vm.intOf(a[1]!));
    while (i < view.length && isSpace(view.at(i))) i++;
    // What CPython's \`WHITESPACE.match(s, idx)\` allocates meanwhile: the regular expression
    // engine's data stack (1094 bytes, freed when the match ends) and the 120-byte match object
    // (freed once its end() is read).
    const match = py.memMalloc(MATCH_OBJECT_BYTES);
    py.memFree(py.memMalloc(SRE_DATA_STACK_BYTES));
    py.memFree(match);
    return intOf(py, i);
  }

  /** A builtin object of entry `id` bound to `self` (a new reference). */
  #bound(id: number, self: Ref): Ref {
    const py = this.#vm.py;
    const o = py.allocate(this.#vm.native.builtin);
    py.setRef(o, Builtin.self, self);
    py.memory.u32[(o + Builtin.id) >>> 2] = id;
    return o;
  }

  /** A builtin-function entry taking its state tuple first. */
  #entry(name: string, fn: BuiltinFn): number {
    const fns = this.#vm.builtinFns;
    fns.push({ name, fn, self: true });
    return fns.length - 1;
  }

  /**
   * `make_scanner(context)`: what the context says (strict, the hooks and parsers) and a memo
   * dict, held by a callable `scan_once(string, idx)`.
   */
  makeScanner(a: readonly Ref[]): Ref {
    const b = this.#b;
    const py = this.#vm.py;
    const ctx = a[0]!;
    const fields: Ref[] = [];
    try {
      const strict = b.getAttr(ctx, "strict");
      const truth = b.truth(strict);
      py.decref(strict);
      fields.push(py.bool(truth));
      for (const name of [
        "object_hook",
        "object_pairs_hook",
        "parse_float",
        "parse_int",
        "parse_constant",
      ])
        fields.push(b.getAttr(ctx, name));
      fields.push(py.dict());
      fields.push(py.newRef(a[1]!));
      const state = py.tuple(fields);
      if (this.#scannerId < 0)
        this.#scannerId = this.#entry("scan_once", (args) => this.#scan(args));
      const o = this.#bound(this.#scannerId, state);
      py.decref(state);
      return o;
    } finally {
      for (const f of fields) py.decref(f);
    }
  }

  #scan(args: readonly Ref[]): Ref {
    const vm = this.#vm;
    const py = vm.py;
    if (args.length !== 3)
      vm.raise("TypeError", `scan_once() takes exactly 2 arguments (${args.length - 1} given)`);
    const state = py.items(args[0]!);
    const s = args[1]!;
    if (vm.kindOf(s) !== "str")
      vm.raise("TypeError", `first argument must be a string, not ${vm.typeOf(s).name}`);
    const idx = Number(vm.intOf(args[2]!));
    const scanner = new Scanner(this.#b, state, s);
    const memo = state[S_MEMO]!;
    let value: Ref;
    try {
      value = scanner.scanOnce(idx);
    } finally {
      py.dictClear(memo);
    }
    const end = intOf(py, scanner.next);
    const t = py.tuple([value, end]);
    py.decref(value);
    py.decref(end);
    return t;
  }

  /** `make_encoder(markers, default, encoder, indent, key_separator, item_separator, …)`. */
  makeEncoder(a: readonly Ref[]): Ref {
    const vm = this.#vm;
    const py = vm.py;
    if (a.length !== 9)
      vm.raise("TypeError", `make_encoder() takes exactly 9 arguments (${a.length} given)`);
    const markers = a[0]!;
    if (markers !== py.none && vm.kindOf(markers) !== "dict")
      vm.raise(
        "TypeError",
        `make_encoder() argument 1 must be dict or None, not ${vm.typeOf(markers).name}`,
      );
    for (const i of [4, 5])
      if (vm.kindOf(a[i]!) !== "str")
        vm.raise(
          "TypeError",
          `make_encoder() argument ${i + 1} must be str, not ${vm.typeOf(a[i]!).name}`,
        );
    const flags = [6, 7, 8].map((i) => py.bool(vm.truth(a[i]!)));
    const state = py.tuple([...a.slice(0, 6), ...flags]);
    for (const f of flags) py.decref(f);
    if (this.#encoderId < 0)
      this.#encoderId = this.#entry("_iterencode", (args) => this.#encode(args));
    const o = this.#bound(this.#encoderId, state);
    py.decref(state);
    return o;
  }

  #encode(args: readonly Ref[]): Ref {
    const vm = this.#vm;
    const py = vm.py;
    if (args.length !== 3)
      vm.raise("TypeError", `_iterencode() takes exactly 2 arguments (${args.length - 1} given)`);
    const state = py.items(args[0]!);
    if (this.#quote === 0) {
      const m = this.#b.modules.get("json");
      if (m) {
        this.#quote = this.#b.getAttr(m, "encode_basestring");
        this.#quoteAscii = this.#b.getAttr(m, "encode_basestring_ascii");
        // The module holds them; these stay borrowed.
        py.decref(this.#quote);
        py.decref(this.#quoteAscii);
      }
    }
    const encoder = new Encoder(this.#b, state, this.#quote, this.#quoteAscii);
    try {
      encoder.encode(args[1]!);
    } catch (error) {
      encoder.destroy();
      throw error;
    }
    return encoder.finish();
  }
}

const SURROGATES = /[\ud800-\udfff]/;

/** A str's text read by code point index, whether or not it has characters above U+FFFF. */
class TextView {
  readonly text: string;
  readonly length: number;
  /** For text with characters above U+FFFF: the UTF-16 offset of each code point (and the end). */
  readonly #offsets: Uint32Array | null;

  constructor(text: string) {
    this.text = text;
    let astral = false;
    if (!SURROGATES.test(text)) {
      this.#offsets = null;
      this.length = text.length;
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          astral = true;
          break;
        }
      }
    }
    if (!astral) {
      this.#offsets = null;
      this.length = text.length;
      return;
    }
    const offsets: number[] = [];
    for (let i = 0; i < text.length; i++) {
      offsets.push(i);
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) i++;
      }
    }
    this.length = offsets.length;
    offsets.push(text.length);
    this.#offsets = Uint32Array.from(offsets);
  }

  /** The code point at index `i` (0 ≤ i < length). */
  at(i: number): number {
    const o = this.#offsets;
    return o === null ? this.text.charCodeAt(i) : this.text.codePointAt(o[i]!)!;
  }

  /** The text of code points `from` to `to`. */
  slice(from: number, to: number): string {
    const o = this.#offsets;
    return o === null ? this.text.slice(from, to) : this.text.slice(o[from], o[to]);
  }
}

/** Enters one level of nesting as `_Py_EnterRecursiveCall(where)` does. */
function enterNesting(vm: Host, where: string): void {
  try {
    vm.py.enterCall();
  } catch (error) {
    if (error instanceof Error && error.name === "RecursionError")
      vm.raise("RecursionError", `maximum recursion depth exceeded${where}`);
    throw error;
  }
}

const DECODING_OBJECT = " while decoding a JSON object from a unicode string";
const DECODING_ARRAY = " while decoding a JSON array from a unicode string";
const ENCODING = " while encoding a JSON object";

/** One `scan_once` call of `_json.c`'s scanner over one document. */
class Scanner {
  readonly #vm: Host;
  readonly #state: readonly Ref[];
  readonly #pystr: Ref;
  readonly #view: TextView;
  readonly #strict: boolean;
  readonly #hasPairsHook: boolean;
  readonly #hasObjectHook: boolean;
  readonly #customFloat: boolean;
  readonly #customInt: boolean;
  /** The index after what the last scan read (`*next_idx_ptr`). */
  next = -1;

  constructor(b: Protocols, state: readonly Ref[], pystr: Ref) {
    this.#vm = b.vm;
    this.#state = state;
    this.#pystr = pystr;
    this.#view = new TextView(b.vm.py.strValue(pystr));
    const none = b.vm.py.none;
    this.#strict = state[S_STRICT] === b.vm.trueRef;
    this.#hasPairsHook = state[S_PAIRS_HOOK] !== none;
    this.#hasObjectHook = state[S_OBJECT_HOOK] !== none;
    this.#customFloat = state[S_PARSE_FLOAT] !== b.vm.types.float!.object;
    this.#customInt = state[S_PARSE_INT] !== b.vm.types.int!.object;
  }

  /** `raise_errmsg`: JSONDecodeError(msg, the document, pos). */
  #fail(msg: string, pos: number): never {
    const py = this.#vm.py;
    const m = py.str(msg);
    const p = py.int(pos);
    let exc: Ref;
    try {
      exc = this.#vm.call(this.#state[S_ERROR]!, [m, this.#pystr, p]);
    } finally {
      py.decref(m);
      py.decref(p);
    }
    throw new Raised(exc);
  }

  /** StopIteration(idx): no value starts at `idx`. */
  #stop(idx: number): never {
    const vm = this.#vm;
    const v = vm.py.int(idx);
    const exc = vm.newExceptionWithArgs(vm.types.StopIteration!, [v]);
    vm.py.decref(v);
    throw new Raised(exc);
  }

  #skip(idx: number): number {
    const view = this.#view;
    while (idx < view.length && isSpace(view.at(idx))) idx++;
    return idx;
  }

  /** `scan_once_unicode`: the value starting at `idx` (a new reference). */
  scanOnce(idx: number): Ref {
    const vm = this.#vm;
    const py = vm.py;
    const view = this.#view;
    const length = view.length;
    if (idx < 0) vm.raise("ValueError", "idx cannot be negative");
    if (idx >= length) this.#stop(idx);
    const c = view.at(idx);
    switch (c) {
      case 0x22: // "
        return this.#scanString(idx + 1);
      case 0x7b: // {
        enterNesting(vm, DECODING_OBJECT);
        try {
          return this.#parseObject(idx + 1);
        } finally {
          py.leaveCall();
        }
      case 0x5b: // [
        enterNesting(vm, DECODING_ARRAY);
        try {
          return this.#parseArray(idx + 1);
        } finally {
          py.leaveCall();
        }
      case 0x6e: // n
        if (this.#word(idx, "null")) {
          this.next = idx + 4;
          return py.newRef(py.none);
        }
        break;
      case 0x74: // t
        if (this.#word(idx, "true")) {
          this.next = idx + 4;
          return py.bool(true);
        }
        break;
      case 0x66: // f
        if (this.#word(idx, "false")) {
          this.next = idx + 5;
          return py.bool(false);
        }
        break;
      case 0x4e: // N
        if (this.#word(idx, "NaN")) return this.#constant("NaN", idx);
        break;
      case 0x49: // I
        if (this.#word(idx, "Infinity")) return this.#constant("Infinity", idx);
        break;
      case 0x2d: // -
        if (this.#word(idx, "-Infinity")) return this.#constant("-Infinity", idx);
        break;
    }
    return this.#matchNumber(idx);
  }

  /** Whether `word` is at `idx`, with at least one character after it for "null", "true"… */
  #word(idx: number, word: string): boolean {
    const view = this.#view;
    // _json.c asks for `idx + len - 1 < length`: the word must fit.
    if (idx + word.length - 1 >= view.length) return false;
    for (let k = 1; k < word.length; k++) if (view.at(idx + k) !== word.charCodeAt(k)) return false;
    return true;
  }

  /** `parse_constant(name)` for NaN, Infinity or -Infinity at `idx`. */
  #constant(name: string, idx: number): Ref {
    const py = this.#vm.py;
    const r = this.#vm.call(this.#state[S_PARSE_CONSTANT]!, [py.constant(name)]);
    this.next = idx + name.length;
    return r;
  }

  /** `scanstring_unicode`: the str whose text starts after the quote at `end - 1`. */
  #scanString(end: number): Ref {
    const view = this.#view;
    const len = view.length;
    const strict = this.#strict;
    const begin = end - 1;
    let out: string | null = null;
    for (;;) {
      // Up to the closing quote or the next escape.
      let next = end;
      let c = 0;
      for (; next < len; next++) {
        c = view.at(next);
        if (c === 0x22 || c === 0x5c) break;
        if (c <= 0x1f && strict) this.#fail("Invalid control character at", next);
      }
      if (next >= len) this.#fail("Unterminated string starting at", begin);
      if (c === 0x22 && out === null) {
        this.next = next + 1;
        return this.#vm.py.str(view.slice(end, next));
      }
      if (next !== end) out = (out ?? "") + view.slice(end, next);
      next++;
      if (c === 0x22) {
        end = next;
        break;
      }
      if (next === len) this.#fail("Unterminated string starting at", begin);
      c = view.at(next);
      if (c !== 0x75) {
        // A one-character escape.
        end = next + 1;
        switch (c) {
          case 0x22:
          case 0x5c:
          case 0x2f:
            break;
          case 0x62:
            c = 0x08;
            break;
          case 0x66:
            c = 0x0c;
            break;
          case 0x6e:
            c = 0x0a;
            break;
          case 0x72:
            c = 0x0d;
            break;
          case 0x74:
            c = 0x09;
            break;
          default:
            this.#fail("Invalid \\escape", end - 2);
        }
        out = (out ?? "") + String.fromCharCode(c);
        continue;
      }
      // \uXXXX, and a second one after a high surrogate.
      next++;
      end = next + 4;
      if (end >= len) this.#fail("Invalid \\uXXXX escape", next - 1);
      c = this.#hex4(next, end);
      if (c >= 0xd800 && c <= 0xdbff && end + 6 < len) {
        if (view.at(end) === 0x5c && view.at(end + 1) === 0x75) {
          const c2 = this.#hex4(end + 2, end + 6);
          if (c2 >= 0xdc00 && c2 <= 0xdfff) {
            c = 0x10000 + (((c - 0xd800) << 10) | (c2 - 0xdc00));
            end += 6;
          }
        }
      }
      out = (out ?? "") + String.fromCodePoint(c);
    }
    this.next = end;
    return this.#vm.py.str(out ?? "");
  }

  /** The four hex digits from `from` to `to` (an error at `to - 5`, the `u`, otherwise). */
  #hex4(from: number, to: number): number {
    const view = this.#view;
    let c = 0;
    for (let i = from; i < to; i++) {
      const d = view.at(i);
      c <<= 4;
      if (d >= 0x30 && d <= 0x39) c |= d - 0x30;
      else if (d >= 0x61 && d <= 0x66) c |= d - 0x61 + 10;
      else if (d >= 0x41 && d <= 0x46) c |= d - 0x41 + 10;
      else this.#fail("Invalid \\uXXXX escape", to - 5);
    }
    return c;
  }

  /** `_parse_object_unicode`: a dict (or what a hook makes of it) after the `{` at `idx - 1`. */
  #parseObject(idx: number): Ref {
    const vm = this.#vm;
    const py = vm.py;
    const view = this.#view;
    const endIdx = view.length - 1;
    const pairs = this.#hasPairsHook;
    const memo = this.#state[S_MEMO]!;
    const rval = pairs ? py.list([]) : py.dict();
    let key: Ref = 0;
    let val: Ref = 0;
    try {
      idx = this.#skip(idx);
      if (idx > endIdx || view.at(idx) !== 0x7d) {
        for (;;) {
          if (idx > endIdx || view.at(idx) !== 0x22)
            this.#fail("Expecting property name enclosed in double quotes", idx);
          const fresh = this.#scanString(idx + 1);
          // PyDict_SetDefault(memo, key, key): an equal key seen before is used instead.
          key = py.dictSetDefault(memo, fresh, fresh);
          py.decref(fresh);
          idx = this.#skip(this.next);
          if (idx > endIdx || view.at(idx) !== 0x3a) this.#fail("Expecting ':' delimiter", idx);
          idx = this.#skip(idx + 1);
          val = this.scanOnce(idx);
          if (pairs) {
            const item = py.tuple([key, val]);
            py.decref(key);
            py.decref(val);
            key = val = 0;
            py.append(rval, item);
            py.decref(item);
          } else {
            py.dictSet(rval, key, val);
            py.decref(key);
            py.decref(val);
            key = val = 0;
          }
          idx = this.#skip(this.next);
          if (idx <= endIdx && view.at(idx) === 0x7d) break;
          if (idx > endIdx || view.at(idx) !== 0x2c) this.#fail("Expecting ',' delimiter", idx);
          idx = this.#skip(idx + 1);
        }
      }
    } catch (error) {
      if (key) py.decref(key);
      if (val) py.decref(val);
      py.decref(rval);
      throw error;
    }
    this.next = idx + 1;
    const hook = pairs
      ? this.#state[S_PAIRS_HOOK]!
      : this.#hasObjectHook
        ? this.#state[S_OBJECT_HOOK]!
        : 0;
    if (!hook) return rval;
    try {
      return vm.call(hook, [rval]);
    } finally {
      py.decref(rval);
    }
  }

  /** `_parse_array_unicode`: a list after the `[` at `idx - 1`. */
  #parseArray(idx: number): Ref {
    const py = this.#vm.py;
    const view = this.#view;
    const endIdx = view.length - 1;
    const rval = py.list([]);
    try {
      idx = this.#skip(idx);
      if (idx > endIdx || view.at(idx) !== 0x5d) {
        for (;;) {
          const val = this.scanOnce(idx);
          py.append(rval, val);
          py.decref(val);
          idx = this.#skip(this.next);
          if (idx <= endIdx && view.at(idx) === 0x5d) break;
          if (idx > endIdx || view.at(idx) !== 0x2c) this.#fail("Expecting ',' delimiter", idx);
          idx = this.#skip(idx + 1);
        }
      }
      if (idx > endIdx || view.at(idx) !== 0x5d) this.#fail("Expecting value", endIdx);
    } catch (error) {
      py.decref(rval);
      throw error;
    }
    this.next = idx + 1;
    return rval;
  }

  /** Whether the character at `i` is an ASCII digit. */
  #digit(i: number): boolean {
    const c = this.#view.at(i);
    return c >= 0x30 && c <= 0x39;
  }

  /** `_match_number_unicode`: the int or float at `start`, or StopIteration. */
  #matchNumber(start: number): Ref {
    const vm = this.#vm;
    const py = vm.py;
    const view = this.#view;
    const endIdx = view.length - 1;
    let idx = start;
    if (view.at(idx) === 0x2d) {
      idx++;
      if (idx > endIdx) this.#stop(start);
    }
    const first = view.at(idx);
    if (first >= 0x31 && first <= 0x39) {
      idx++;
      while (idx <= endIdx && this.#digit(idx)) idx++;
    } else if (first === 0x30) idx++;
    else this.#stop(start);
    let isFloat = false;
    if (idx < endIdx && view.at(idx) === 0x2e && this.#digit(idx + 1)) {
      isFloat = true;
      idx += 2;
      while (idx <= endIdx && this.#digit(idx)) idx++;
    }
    if (idx < endIdx && (view.at(idx) === 0x65 || view.at(idx) === 0x45)) {
      const eStart = idx;
      idx++;
      if (idx < endIdx && (view.at(idx) === 0x2d || view.at(idx) === 0x2b)) idx++;
      while (idx <= endIdx && this.#digit(idx)) idx++;
      if (this.#digit(idx - 1)) isFloat = true;
      else idx = eStart;
    }
    const text = view.slice(start, idx);
    const custom = isFloat
      ? this.#customFloat
        ? this.#state[S_PARSE_FLOAT]!
        : 0
      : this.#customInt
        ? this.#state[S_PARSE_INT]!
        : 0;
    let rval: Ref;
    if (custom) {
      const numstr = py.str(text);
      try {
        rval = vm.call(custom, [numstr]);
      } finally {
        py.decref(numstr);
      }
    } else {
      // _json.c copies the number's text into a bytes object (33 bytes and one per character)
      // and parses that; PyLong_FromString makes an int of at least one digit (28 bytes) even
      // for a small int, which it then frees for the cached one.
      const numstr = py.memMalloc(33 + text.length);
      try {
        if (isFloat) rval = py.float(Number(text));
        else if (text.length < 16) {
          const n = Number(text);
          if (n >= -5 && n <= 256) py.memFree(py.memMalloc(28));
          rval = py.int(BigInt(n));
        } else rval = py.int(intFromStr(text));
      } finally {
        py.memFree(numstr);
      }
    }
    this.next = idx;
    return rval;
  }
}

/** One call of `_json.c`'s encoder object: the whole text of one value. */
class Encoder {
  readonly #b: Protocols;
  readonly #vm: Host;
  readonly #markers: Ref;
  readonly #default: Ref;
  readonly #encoder: Ref;
  readonly #keySep: Ref;
  readonly #itemSep: Ref;
  readonly #keySepText: string;
  readonly #itemSepText: string;
  readonly #sortKeys: boolean;
  readonly #skipkeys: boolean;
  readonly #allowNan: boolean;
  /** 1 for `encode_basestring_ascii`, 0 for `encode_basestring`, -1 for another encoder. */
  readonly #fast: number;
  /**
   * \`_PyAccu\`'s lists: every piece of text so far as a str object (\`small\`, joined into one str
   * appended to \`large\` every 100000 pieces and at the end), with the pieces' text.
   */
  #small: Ref;
  #large: Ref = 0;
  #texts: string[] = [];

  constructor(b: Protocols, state: readonly Ref[], quote: Ref, quoteAscii: Ref) {
    this.#b = b;
    const vm = b.vm;
    this.#vm = vm;
    const py = vm.py;
    this.#markers = state[E_MARKERS] === py.none ? 0 : state[E_MARKERS]!;
    this.#default = state[E_DEFAULT]!;
    this.#encoder = state[E_ENCODER]!;
    this.#keySep = state[E_KEY_SEP]!;
    this.#itemSep = state[E_ITEM_SEP]!;
    this.#keySepText = py.strValue(this.#keySep);
    this.#itemSepText = py.strValue(this.#itemSep);
    this.#small = py.list([]);
    this.#sortKeys = state[E_SORT_KEYS] === vm.trueRef;
    this.#skipkeys = state[E_SKIPKEYS] === vm.trueRef;
    this.#allowNan = state[E_ALLOW_NAN] === vm.trueRef;
    this.#fast = this.#encoder === quoteAscii ? 1 : this.#encoder === quote ? 0 : -1;
    void state[E_INDENT];
  }

  /** `encoder_encode_string`: the JSON text of str `o`. */
  #string(o: Ref): string {
    const vm = this.#vm;
    const py = vm.py;
    if (this.#fast >= 0) return jsonQuote(py.strValue(o), this.#fast === 1);
    const r = vm.call(this.#encoder, [o]);
    try {
      if (vm.kindOf(r) !== "str")
        vm.raise("TypeError", `encoder() must return a string, not ${vm.typeOf(r).name}`);
      return py.strValue(r);
    } finally {
      py.decref(r);
    }
  }

  /** `encoder_encode_float`. */
  #float(o: Ref): string {
    const x = this.#vm.py.floatValue(o);
    if (Number.isFinite(x)) return floatRepr(x);
    if (!this.#allowNan)
      this.#vm.raise("ValueError", "Out of range float values are not JSON compliant");
    return x > 0 ? "Infinity" : x < 0 ? "-Infinity" : "NaN";
  }

  /** Marks container `o` as being encoded: its id in the markers dict (a new reference), or 0. */
  #mark(o: Ref): Ref {
    const markers = this.#markers;
    if (!markers) return 0;
    const py = this.#vm.py;
    const ident = py.int(o);
    if (py.dictGet(markers, ident)) {
      py.decref(ident);
      this.#vm.raise("ValueError", "Circular reference detected");
    }
    try {
      py.dictSet(markers, ident, o);
    } catch (error) {
      py.decref(ident);
      throw error;
    }
    return ident;
  }

  #unmark(ident: Ref): void {
    if (!ident) return;
    const py = this.#vm.py;
    try {
      py.dictDel(this.#markers, ident);
    } finally {
      py.decref(ident);
    }
  }

  /** Accumulates str \`piece\` (borrowed) of text \`text\`. */
  #shared(piece: Ref, text: string): void {
    const py = this.#vm.py;
    py.append(this.#small, piece);
    this.#texts.push(text);
    if (this.#texts.length > ACCU_SMALL_MAX) this.#flush();
  }

  /** Accumulates one of \`_json.c\`'s static strs ("null", "[", "{}", …). */
  #static(text: string): void {
    this.#shared(this.#vm.py.constant(text), text);
  }

  /** Accumulates a new str of \`text\` (what C made and handed over). */
  #fresh(text: string): void {
    const py = this.#vm.py;
    const piece = py.str(text);
    try {
      this.#shared(piece, text);
    } finally {
      py.decref(piece);
    }
  }

  /** \`flush_accumulator\`: the pieces joined into one str, appended to the large list. */
  #flush(): void {
    const py = this.#vm.py;
    const n = this.#texts.length;
    if (n === 0) return;
    if (!this.#large) this.#large = py.list([]);
    // PyUnicode_Join gives back a lone exact str itself.
    const joined = n === 1 ? py.newRef(py.listItem(this.#small, 0)) : py.str(this.#texts.join(""));
    try {
      py.listDeleteSlice(this.#small, 0, n);
      this.#texts = [];
      py.append(this.#large, joined);
    } finally {
      py.decref(joined);
    }
  }

  /** \`_PyAccu_FinishAsList\`: the list of the joined text (a new reference). */
  finish(): Ref {
    const py = this.#vm.py;
    this.#flush();
    py.decref(this.#small);
    this.#small = 0;
    const large = this.#large;
    this.#large = 0;
    return large;
  }

  /** \`_PyAccu_Destroy\`, after an error. */
  destroy(): void {
    const py = this.#vm.py;
    if (this.#small) py.decref(this.#small);
    if (this.#large) py.decref(this.#large);
    this.#small = this.#large = 0;
  }

  /** `encoder_listencode_obj`. */
  encode(o: Ref): void {
    const vm = this.#vm;
    const py = vm.py;
    if (o === py.none) {
      this.#static("null");
      return;
    }
    const kind = vm.kindOf(o);
    switch (kind) {
      case "bool":
        this.#static(o === vm.trueRef ? "true" : "false");
        return;
      case "str":
        this.#fresh(this.#string(o));
        return;
      case "int":
        this.#fresh(intToDecimal(vm.intOf(o)));
        return;
      case "float":
        this.#fresh(this.#float(o));
        return;
      case "list":
      case "tuple":
      case "dict":
        enterNesting(vm, ENCODING);
        try {
          if (kind === "dict") this.#dict(o);
          else this.#list(o);
        } finally {
          py.leaveCall();
        }
        return;
    }
    const ident = this.#mark(o);
    let replaced: Ref;
    try {
      replaced = vm.call(this.#default, [o]);
    } catch (error) {
      if (ident) py.decref(ident);
      throw error;
    }
    try {
      enterNesting(vm, ENCODING);
      try {
        this.encode(replaced);
      } finally {
        py.leaveCall();
      }
    } catch (error) {
      if (ident) py.decref(ident);
      throw error;
    } finally {
      py.decref(replaced);
    }
    this.#unmark(ident);
  }

  /** `encoder_listencode_list`. */
  #list(seq: Ref): void {
    const py = this.#vm.py;
    const items = py.items(seq);
    if (items.length === 0) {
      this.#static("[]");
      return;
    }
    const ident = this.#mark(seq);
    // The sequence's items are held while they are encoded (PySequence_Fast of a list is the
    // list itself: code that changes it during a `default` call sees what C sees).
    for (const item of items) py.incref(item);
    try {
      this.#static("[");
      for (let i = 0; i < items.length; i++) {
        if (i) this.#shared(this.#itemSep, this.#itemSepText);
        this.encode(items[i]!);
      }
    } catch (error) {
      if (ident) py.decref(ident);
      throw error;
    } finally {
      for (const item of items) py.decref(item);
    }
    this.#unmark(ident);
    this.#static("]");
  }

  /** `encoder_listencode_dict`. */
  #dict(dct: Ref): void {
    const vm = this.#vm;
    const py = vm.py;
    const b = this.#b;
    if (py.len(dct) === 0) {
      this.#static("{}");
      return;
    }
    const ident = this.#mark(dct);
    let pairs: Ref[] = [];
    try {
      this.#static("{");
      // PyMapping_Items: a list of (key, value) tuples, sorted with sort_keys.
      let items: Ref;
      if (vm.typeOf(dct).subtype === undefined && !vm.typeOf(dct).heap) {
        // PyDict_Items: the list made at its size, then a tuple for each entry.
        const pairs = py.dictItems(dct);
        const tuples = pairs.map(([k, v]) => py.tuple([k, v]));
        items = py.list(tuples);
        for (const t of tuples) py.decref(t);
      } else {
        const meth = b.getAttr(dct, "items");
        let r: Ref;
        try {
          r = vm.call(meth, []);
        } finally {
          py.decref(meth);
        }
        try {
          items = py.list([]);
          try {
            b.listExtend(items, r);
          } catch (error) {
            py.decref(items);
            throw error;
          }
        } finally {
          py.decref(r);
        }
      }
      try {
        if (this.#sortKeys) {
          const sort = b.getAttr(items, "sort");
          try {
            py.decref(vm.call(sort, []));
          } finally {
            py.decref(sort);
          }
        }
        pairs = py.items(items);
        for (const p of pairs) py.incref(p);
      } finally {
        py.decref(items);
      }
      let first = true;
      for (const item of pairs) {
        if (vm.kindOf(item) !== "tuple" || py.len(item) !== 2)
          vm.raise("ValueError", "items must return 2-tuples");
        const [key, value] = py.items(item) as [Ref, Ref];
        let keyText = "";
        const kk = vm.kindOf(key);
        if (kk === "str") keyText = this.#string(key);
        else if (kk === "float") keyText = this.#quoted(this.#float(key));
        else if (kk === "bool") keyText = key === vm.trueRef ? '"true"' : '"false"';
        else if (key === py.none) keyText = '"null"';
        else if (kk === "int") keyText = this.#quoted(intToDecimal(vm.intOf(key)));
        else if (this.#skipkeys) continue;
        else
          vm.raise(
            "TypeError",
            `keys must be str, int, float, bool or None, not ${vm.typeOf(key).name}`,
          );
        if (first) first = false;
        else this.#shared(this.#itemSep, this.#itemSepText);
        this.#fresh(keyText);
        this.#shared(this.#keySep, this.#keySepText);
        this.encode(value);
      }
    } catch (error) {
      if (ident) py.decref(ident);
      throw error;
    } finally {
      for (const p of pairs) py.decref(p);
    }
    this.#unmark(ident);
    this.#static("}");
  }

  /** A key's text (made by C as a new str) as the encoder quotes it. */
  #quoted(text: string): string {
    if (this.#fast >= 0) return jsonQuote(text, this.#fast === 1);
    const py = this.#vm.py;
    const s = py.str(text);
    try {
      return this.#string(s);
    } finally {
      py.decref(s);
    }
  }
}
