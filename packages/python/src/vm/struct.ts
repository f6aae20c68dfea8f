// The `struct` module: formats compiled as _struct.c compiles them (byte order and size
// prefixes, native alignment, repeat counts) and values packed and unpacked with its checks and
// error messages, as Python code over ints' to_bytes/from_bytes and two natives for the IEEE
// formats (`e`, `f`, `d`).

import type { Ref } from "@mm/runtime";
import type { CodeUnit } from "../compile/code.js";
import { deserializeCode } from "../compile/serialize.js";
import type { Host, Protocols } from "./host.js";
import { precompileSource, pythonModule } from "./python-module.js";
import { STRUCT_COMPILED } from "./struct.compiled.js";
import type { BuiltinFn } from "./types.js";

/** The module's Python source. */
const SOURCE = `"""Functions to convert between Python values and C structs represented as bytes objects:
pack, unpack, calcsize, iter_unpack, pack_into, unpack_from and the Struct class."""

__all__ = ['calcsize', 'pack', 'pack_into', 'unpack', 'unpack_from', 'iter_unpack', 'Struct',
           'error']


class error(Exception):
    pass


# code: (native size, native alignment); standard sizes below. Native is this host's x86-64/
# arm64 Linux ABI, little-endian.
_NATIVE = {'x': 1, 'c': 1, 'b': 1, 'B': 1, '?': 1, 'h': 2, 'H': 2, 'i': 4, 'I': 4, 'l': 8,
           'L': 8, 'q': 8, 'Q': 8, 'n': 8, 'N': 8, 'e': 2, 'f': 4, 'd': 8, 's': 1, 'p': 1,
           'P': 8}
_STANDARD = {'x': 1, 'c': 1, 'b': 1, 'B': 1, '?': 1, 'h': 2, 'H': 2, 'i': 4, 'I': 4, 'l': 4,
             'L': 4, 'q': 8, 'Q': 8, 'e': 2, 'f': 4, 'd': 8, 's': 1, 'p': 1}
_NAMES = {'b': 'byte', 'B': 'ubyte', 'h': 'short', 'H': 'ushort'}
_SIGNED = 'bhilqn'
_DIGITS = '0123456789'
_SPACES = ' \\t\\n\\r\\x0b\\x0c'
_cache = {}


def _compile(fmt):
    if isinstance(fmt, bytes):
        text = fmt.decode('latin-1')
    elif isinstance(fmt, str):
        text = fmt
    else:
        raise TypeError("Struct() argument 1 must be a str or bytes object, not %s"
                        % type(fmt).__name__)
    found = _cache.get(text)
    if found is not None:
        return found
    order = '@'
    body = text
    if body and body[0] in '@=<>!':
        order = body[0]
        body = body[1:]
    native = order == '@'
    little = order in '@=<'
    table = _NATIVE if native else _STANDARD
    items = []
    offset = 0
    i = 0
    n = len(body)
    while i < n:
        c = body[i]
        if c in _SPACES:
            i += 1
            continue
        count = 1
        if c in _DIGITS:
            j = i
            while j < n and body[j] in _DIGITS:
                j += 1
            if j >= n:
                raise error("repeat count given without format specifier")
            count = int(body[i:j])
            c = body[j]
            i = j
        if c not in table:
            raise error("bad char in struct format")
        size = table[c]
        if native and size > 1 and c not in 'sp':
            offset = (offset + size - 1) // size * size
        if c in 'sp':
            items.append((c, offset, count))
            offset += count
        elif c == 'x':
            offset += count
        else:
            for _ in range(count):
                items.append((c, offset, size))
                offset += size
        i += 1
    found = (text, little, native, tuple(items), offset)
    _cache[text] = found
    return found


def _as_int(v):
    if isinstance(v, int):
        return v
    try:
        f = type(v).__index__
    except AttributeError:
        raise error("required argument is not an integer") from None
    return f(v)


def _pack_int(c, v, size, little, native):
    v = _as_int(v)
    signed = c in _SIGNED
    if not little and c not in 'bB':
        # The big-endian packers (bp_int, bp_uint) check differently from the native ones.
        bits = size * 8
        lo, hi = (-2 ** (bits - 1), 2 ** (bits - 1) - 1) if signed else (0, 2 ** bits - 1)
        if bits == 64:
            if not lo <= v <= hi:
                raise error("int too large to convert")
        elif (signed and not -2 ** 63 <= v < 2 ** 63) or (not signed and not 0 <= v < 2 ** 64):
            raise error("argument out of range")
        elif not lo <= v <= hi:
            raise error("'%s' format requires %d <= number <= %d" % (c, lo, hi))
        return v.to_bytes(size, 'big', signed=signed)
    if c == 'P':
        if v >= 2 ** 64 or v < -2 ** 63:
            raise error("int too large to convert")
        v &= 2 ** 64 - 1
        signed = False
    elif not (-2 ** 63 <= v < 2 ** 64) or (c not in 'BH' and not signed and v < 0) \\
            or ((signed or c in 'BH') and v >= 2 ** 63):
        raise error("argument out of range")
    else:
        bits = size * 8
        lo, hi = (-2 ** (bits - 1), 2 ** (bits - 1) - 1) if signed else (0, 2 ** bits - 1)
        if not lo <= v <= hi:
            if bits == 64:
                raise error("argument out of range")
            name = _NAMES.get(c, "'%s'" % c)
            raise error("%s format requires %d <= number <= %d" % (name, lo, hi))
    return v.to_bytes(size, 'little' if little else 'big', signed=signed)


def _pack_one(c, v, size, little, native):
    if c in 'efd':
        if not isinstance(v, float):
            if isinstance(v, int) or hasattr(type(v), '__float__') or \\
                    hasattr(type(v), '__index__'):
                try:
                    v = float(v)
                except OverflowError:
                    raise error("required argument is not a float") from None
            else:
                raise error("required argument is not a float")
        return _pack_float(v, c, little, native)
    if c == '?':
        return b'\\x01' if v else b'\\x00'
    if c == 'c':
        if not isinstance(v, (bytes, bytearray)) or len(v) != 1:
            raise error("char format requires a bytes object of length 1")
        return bytes(v)
    if c == 's':
        if not isinstance(v, (bytes, bytearray)):
            raise error("argument for 's' must be a bytes object")
        data = bytes(v[:size])
        return data + b'\\x00' * (size - len(data))
    if c == 'p':
        if not isinstance(v, (bytes, bytearray)):
            raise error("argument for 'p' must be a bytes object")
        if size == 0:
            return b''
        data = bytes(v[:size - 1])
        return bytes([min(len(data), 255)]) + data + b'\\x00' * (size - 1 - len(data))
    return _pack_int(c, v, size, little, native)


def _unpack_one(c, data, little):
    if c in 'efd':
        return _unpack_float(data, c, little)
    if c == '?':
        return data != b'\\x00'
    if c in 'cs':
        return data
    if c == 'p':
        n = data[0] if data else 0
        return data[1:1 + min(n, len(data) - 1)]
    return int.from_bytes(data, 'little' if little else 'big', signed=c in _SIGNED)


def _buffer(buffer):
    if isinstance(buffer, bytes):
        return buffer
    if isinstance(buffer, (bytearray, memoryview)) or type(buffer).__name__ == 'array':
        return bytes(buffer) if type(buffer).__name__ != 'array' else buffer.tobytes()
    raise TypeError("a bytes-like object is required, not '%s'" % type(buffer).__name__)


def calcsize(format, /):
    """Return size in bytes of the struct described by the format string."""
    return _compile(format)[4]


def pack(format, /, *values):
    """Return a bytes object containing the values packed according to the format string."""
    return _pack(_compile(format), values)


def _pack(compiled, values):
    text, little, native, items, size = compiled
    if len(values) != len(items):
        raise error("pack expected %d items for packing (got %d)" % (len(items), len(values)))
    out = bytearray(size)
    for (c, offset, n), v in zip(items, values):
        try:
            out[offset:offset + n] = _pack_one(c, v, n, little, native)
        except OverflowError:
            # s_pack_internal: an OverflowError while packing an int becomes struct.error.
            if isinstance(v, int):
                raise error("int too large to convert") from None
            raise
    return bytes(out)


def _unpack(compiled, data):
    text, little, native, items, size = compiled
    return tuple(_unpack_one(c, data[offset:offset + n], little) for c, offset, n in items)


def unpack(format, buffer, /):
    """Return a tuple containing values unpacked according to the format string."""
    compiled = _compile(format)
    data = _buffer(buffer)
    if len(data) != compiled[4]:
        raise error("unpack requires a buffer of %d bytes" % compiled[4])
    return _unpack(compiled, data)


def unpack_from(format, /, buffer, offset=0):
    """Return a tuple containing values unpacked from the buffer, starting at offset."""
    compiled = _compile(format)
    return _unpack_from(compiled, buffer, offset)


def _unpack_from(compiled, buffer, offset):
    data = _buffer(buffer)
    size = compiled[4]
    if offset < 0:
        if offset + len(data) < 0:
            raise error("offset %d out of range for %d-byte buffer" % (offset, len(data)))
        offset += len(data)
    if len(data) - offset < size:
        if offset > len(data):
            raise error("offset %d out of range for %d-byte buffer" % (offset, len(data)))
        raise error("unpack_from requires a buffer of at least %d bytes for unpacking %d "
                    "bytes at offset %d (actual buffer size is %d)"
                    % (size + offset, size, offset, len(data)))
    return _unpack(compiled, data[offset:offset + size])


def pack_into(format, buffer, offset, /, *values):
    """Pack the values according to the format string into buffer, starting at offset."""
    _pack_into(_compile(format), buffer, offset, values)


def _pack_into(compiled, buffer, offset, values):
    packed = _pack(compiled, values)
    size = compiled[4]
    n = len(buffer)
    if offset < 0:
        if offset + size > 0:
            raise error("no space to pack %d bytes at offset %d" % (size, offset))
        if offset + n < 0:
            raise error("offset %d out of range for %d-byte buffer" % (offset, n))
        offset += n
    if n - offset < size:
        if offset > n:
            raise error("offset %d out of range for %d-byte buffer" % (offset, n))
        raise error("pack_into requires a buffer of at least %d bytes for packing %d bytes "
                    "at offset %d (actual buffer size is %d)" % (size + offset, size, offset, n))
    buffer[offset:offset + size] = packed


def iter_unpack(format, buffer, /):
    """Return an iterator yielding tuples unpacked from the buffer, one struct at a time."""
    return _iter_unpack(_compile(format), buffer)


def _iter_unpack(compiled, buffer):
    data = _buffer(buffer)
    size = compiled[4]
    if size == 0:
        raise error("cannot iteratively unpack with a struct of length 0")
    if len(data) % size:
        raise error("iterative unpacking requires a buffer of a multiple of %d bytes" % size)
    return (_unpack(compiled, data[i:i + size]) for i in range(0, len(data), size))


class Struct:
    """Struct(format): a compiled struct format, with its size and the pack/unpack methods."""

    def __init__(self, format):
        self._compiled = _compile(format)

    @property
    def format(self):
        return self._compiled[0]

    @property
    def size(self):
        return self._compiled[4]

    def pack(self, *values):
        return _pack(self._compiled, values)

    def pack_into(self, buffer, offset, *values):
        _pack_into(self._compiled, buffer, offset, values)

    def unpack(self, buffer, /):
        data = _buffer(buffer)
        if len(data) != self._compiled[4]:
            raise error("unpack requires a buffer of %d bytes" % self._compiled[4])
        return _unpack(self._compiled, data)

    def unpack_from(self, buffer, offset=0):
        return _unpack_from(self._compiled, buffer, offset)

    def iter_unpack(self, buffer, /):
        return _iter_unpack(self._compiled, buffer)
`;

/** The file name the module's code and tracebacks carry. */
const FILENAME = "<struct>";

/** The module's code, shared by every interpreter (read at the first import). */
let compiled: CodeUnit | undefined;

/**
 * The module's source compiled and serialized: what scripts/precompile.ts stores in
 * struct.compiled.ts.
 */
export function precompiledStruct(): string {
  return precompileSource(SOURCE, FILENAME);
}

/** The `struct` module (a new reference): its Python source run in its namespace. */
export function structModule(b: Protocols): Ref {
  compiled ??= deserializeCode(STRUCT_COMPILED);
  return pythonModule(
    b,
    { name: "struct", filename: FILENAME, source: SOURCE, natives: structNatives(b) },
    compiled,
  );
}

/** `PyFloat_Pack2`: the half-precision bits of `x` (rounded half to even), or undefined on overflow. */
export function halfBits(x: number): number | undefined {
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (Number.isNaN(x)) return sign | 0x7e00;
  if (a === Infinity) return sign | 0x7c00;
  if (a === 0) return sign;
  let e = Math.max(Math.floor(Math.log2(a)), -14);
  if (2 ** e > a) e--;
  if (2 ** (e + 1) <= a) e++;
  e = Math.max(e, -14);
  const scaled = a * 2 ** (10 - e);
  let m = Math.floor(scaled);
  const rest = scaled - m;
  if (rest > 0.5 || (rest === 0.5 && m % 2 === 1)) m++;
  if (m === 2048) {
    m = 1024;
    e++;
  }
  if (e > 15) return undefined;
  const exponent = m >= 1024 ? e + 15 : 0;
  return sign | (exponent << 10) | (m & 0x3ff);
}

/** `PyFloat_Unpack2`: the value of half-precision bits. */
export function halfValue(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const e = (bits >> 10) & 0x1f;
  const m = bits & 0x3ff;
  if (e === 0x1f) return m ? Number.NaN : sign * Infinity;
  if (e === 0) return sign * m * 2 ** -24;
  return sign * (1024 + m) * 2 ** (e - 25);
}

/** The natives for the IEEE formats: `_pack_float(x, code, little, native)`, `_unpack_float(data, code, little)`. */
function structNatives(b: Protocols): Record<string, BuiltinFn> {
  const vm: Host = b.vm;
  const py = vm.py;
  return {
    _pack_float: (a) => {
      const x = py.floatValue(a[0]!);
      const code = py.strValue(a[1]!);
      const little = b.truth(a[2]!);
      const out = new Uint8Array(code === "e" ? 2 : code === "f" ? 4 : 8);
      const view = new DataView(out.buffer);
      if (code === "e") {
        const bits = halfBits(x);
        if (bits === undefined) vm.raise("OverflowError", "float too large to pack with e format");
        view.setUint16(0, bits, little);
      } else if (code === "f") {
        // PyFloat_Pack4 (the standard sizes) refuses a finite value that rounds to infinity;
        // the native format casts.
        if (!b.truth(a[3]!) && Number.isFinite(x) && !Number.isFinite(Math.fround(x)))
          vm.raise("OverflowError", "float too large to pack with f format");
        view.setFloat32(0, x, little);
      } else view.setFloat64(0, x, little);
      return b.bytes(out);
    },
    _unpack_float: (a) => {
      const data = b.bytesType.data(a[0]!);
      const code = py.strValue(a[1]!);
      const little = b.truth(a[2]!);
      const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
      if (code === "e") return py.float(halfValue(view.getUint16(0, little)));
      return py.float(code === "f" ? view.getFloat32(0, little) : view.getFloat64(0, little));
    },
  };
}
