// The `codecs` module: lookup (a CodecInfo, a 4-tuple with `name`, `encode` and `decode`),
// encode, decode, getencoder/getdecoder, the per-codec functions (`utf_8_encode`…) and the byte
// order marks, written in Python over natives that reach the codecs of codecs-core.ts.

import type { Ref } from "@mm/runtime";
import type { CodeUnit } from "../compile/code.js";
import { deserializeCode } from "../compile/serialize.js";
import { CODECS_COMPILED } from "./codecs.compiled.js";
import {
  codecInfoName,
  decodeBytes,
  encodeString,
  findCodec,
  normalizeEncoding,
} from "./codecs-core.js";
import type { Protocols } from "./host.js";
import { precompileSource, pythonModule } from "./python-module.js";

/** The module's Python source. */
const SOURCE = String.raw`"""Codec registry access: lookup, encode, decode and the byte order marks."""

__all__ = ['register', 'lookup', 'encode', 'decode', 'getencoder', 'getdecoder', 'CodecInfo',
           'BOM', 'BOM_BE', 'BOM_LE', 'BOM32_BE', 'BOM32_LE', 'BOM64_BE', 'BOM64_LE',
           'BOM_UTF8', 'BOM_UTF16', 'BOM_UTF16_LE', 'BOM_UTF16_BE', 'BOM_UTF32',
           'BOM_UTF32_LE', 'BOM_UTF32_BE']

BOM_UTF8 = b'\xef\xbb\xbf'
BOM_LE = BOM_UTF16_LE = b'\xff\xfe'
BOM_BE = BOM_UTF16_BE = b'\xfe\xff'
BOM_UTF32_LE = b'\xff\xfe\x00\x00'
BOM_UTF32_BE = b'\x00\x00\xfe\xff'
BOM = BOM_UTF16 = BOM_UTF16_LE
BOM_UTF32 = BOM_UTF32_LE
BOM32_LE = BOM_UTF16_LE
BOM32_BE = BOM_UTF16_BE
BOM64_LE = BOM_UTF32_LE
BOM64_BE = BOM_UTF32_BE


class CodecInfo(tuple):
    """A codec's functions: (encode, decode, streamreader, streamwriter), with its name."""

    _is_text_encoding = True

    def __new__(cls, encode, decode, streamreader=None, streamwriter=None,
                incrementalencoder=None, incrementaldecoder=None, name=None, *,
                _is_text_encoding=None):
        self = tuple.__new__(cls, (encode, decode, streamreader, streamwriter))
        self.name = name
        self.encode = encode
        self.decode = decode
        self.incrementalencoder = incrementalencoder
        self.incrementaldecoder = incrementaldecoder
        self.streamwriter = streamwriter
        self.streamreader = streamreader
        if _is_text_encoding is not None:
            self._is_text_encoding = _is_text_encoding
        return self

    def __repr__(self):
        return '<%s.%s object for encoding %s at %#x>' % (
            self.__class__.__module__, self.__class__.__qualname__, self.name, id(self))


def _functions(codec, fname, plain=False):
    def encoder(input, errors='strict'):
        if not isinstance(input, str):
            raise TypeError('%s_encode() argument 1 must be str, not %s'
                            % (fname, type(input).__name__))
        if not isinstance(errors, str):
            raise TypeError('%s_encode() argument 2 must be str or None, not %s'
                            % (fname, type(errors).__name__))
        return _encode(input, codec, errors), len(input)

    def decoder(input, errors='strict', final=False):
        if not isinstance(errors, str):
            raise TypeError('%s_decode() argument 2 must be str or None, not %s'
                            % (fname, type(errors).__name__))
        if not isinstance(input, (bytes, bytearray, memoryview)):
            raise TypeError("a bytes-like object is required, not '%s'" % type(input).__name__)
        data = bytes(input)
        return _decode(data, codec, errors), len(data)

    # The codecs written in Python in CPython (utf-8-sig, cp1252) have plain encode/decode.
    encoder.__name__ = encoder.__qualname__ = 'encode' if plain else fname + '_encode'
    decoder.__name__ = decoder.__qualname__ = 'decode' if plain else fname + '_decode'
    return encoder, decoder


utf_8_encode, utf_8_decode = _functions('utf-8', 'utf_8')
utf_16_encode, utf_16_decode = _functions('utf-16', 'utf_16')
utf_16_le_encode, utf_16_le_decode = _functions('utf-16-le', 'utf_16_le')
utf_16_be_encode, utf_16_be_decode = _functions('utf-16-be', 'utf_16_be')
utf_32_encode, utf_32_decode = _functions('utf-32', 'utf_32')
utf_32_le_encode, utf_32_le_decode = _functions('utf-32-le', 'utf_32_le')
utf_32_be_encode, utf_32_be_decode = _functions('utf-32-be', 'utf_32_be')
ascii_encode, ascii_decode = _functions('ascii', 'ascii')
latin_1_encode, latin_1_decode = _functions('latin-1', 'latin_1')
_utf_8_sig = _functions('utf-8-sig', 'utf_8', True)
_cp1252 = _functions('cp1252', 'charmap', True)

_by_id = {
    'utf_8': (utf_8_encode, utf_8_decode), 'utf_8_sig': _utf_8_sig,
    'utf_16': (utf_16_encode, utf_16_decode), 'utf_16_le': (utf_16_le_encode, utf_16_le_decode),
    'utf_16_be': (utf_16_be_encode, utf_16_be_decode), 'utf_32': (utf_32_encode, utf_32_decode),
    'utf_32_le': (utf_32_le_encode, utf_32_le_decode),
    'utf_32_be': (utf_32_be_encode, utf_32_be_decode),
    'ascii': (ascii_encode, ascii_decode), 'latin_1': (latin_1_encode, latin_1_decode),
    'cp1252': _cp1252,
}
_cache = {}


def lookup(encoding):
    """The CodecInfo of an encoding name, or LookupError."""
    if not isinstance(encoding, str):
        raise TypeError('lookup() argument must be str, not %s' % type(encoding).__name__)
    ident, name, key = _find(encoding)
    info = _cache.get(key)
    if info is None:
        enc, dec = _by_id[ident]
        info = _cache[key] = CodecInfo(enc, dec, name=name)
    return info


def register(search_function):
    """Accepted for compatibility: only the built-in codecs are searched."""
    if not callable(search_function):
        raise TypeError('argument must be callable')


def _check_str(fname, argname, value):
    if not isinstance(value, str):
        raise TypeError("%s() argument '%s' must be str, not %s"
                        % (fname, argname, type(value).__name__))


def _failed(op, encoding, error):
    if isinstance(error, UnicodeError):
        return error
    return type(error)('%s with %r codec failed (%s: %s)'
                       % (op, encoding, type(error).__name__, error))


def encode(obj, encoding='utf-8', errors='strict'):
    """Encodes obj with the codec of encoding: str to bytes."""
    _check_str('encode', 'encoding', encoding)
    _check_str('encode', 'errors', errors)
    encoder = lookup(encoding).encode
    try:
        return encoder(obj, errors)[0]
    except (TypeError, ValueError, LookupError) as error:
        raise _failed('encoding', encoding, error) from None


def decode(obj, encoding='utf-8', errors='strict'):
    """Decodes obj with the codec of encoding: bytes to str."""
    _check_str('decode', 'encoding', encoding)
    _check_str('decode', 'errors', errors)
    decoder = lookup(encoding).decode
    try:
        return decoder(obj, errors)[0]
    except (TypeError, ValueError, LookupError) as error:
        raise _failed('decoding', encoding, error) from None


def getencoder(encoding):
    """The encode function of the encoding's codec."""
    return lookup(encoding).encode


def getdecoder(encoding):
    """The decode function of the encoding's codec."""
    return lookup(encoding).decode
`;

/** The file name the module's code and tracebacks carry. */
const FILENAME = "<codecs>";

/** The module's code, shared by every interpreter (read at the first import). */
let compiled: CodeUnit | undefined;

/** The module's source compiled and serialized: what scripts/precompile.ts stores. */
export function precompiledCodecs(): string {
  return precompileSource(SOURCE, FILENAME);
}

/** The `codecs` module (a new reference): its Python source run over its natives. */
export function codecsModule(b: Protocols): Ref {
  compiled ??= deserializeCode(CODECS_COMPILED);
  const vm = b.vm;
  const py = vm.py;
  const bytes = b.bytesType;
  // The natives take a codec found by its CodecInfo name: handler errors come back wrapped
  // by the module's own code, as the codec registry wraps them.
  const codec = (o: Ref) => ({ ...findCodec(py.strValue(o))!, fast: true });
  return pythonModule(
    b,
    {
      name: "codecs",
      filename: FILENAME,
      source: SOURCE,
      natives: {
        _find: (a) => {
          const name = py.strValue(a[0]!);
          if (name.includes("\0")) vm.raise("ValueError", "embedded null character");
          const found = findCodec(name);
          if (found === undefined)
            return vm.raise("LookupError" as never, `unknown encoding: ${name}`);
          const id = py.str(found.id);
          const info = py.str(codecInfoName[found.id]);
          const key = py.str(normalizeEncoding(name));
          const t = py.tuple([id, info, key]);
          for (const o of [id, info, key]) py.decref(o);
          return t;
        },
        _encode: (a) =>
          bytes.make(encodeString(vm, py.strValue(a[0]!), codec(a[1]!), py.strValue(a[2]!))),
        _decode: (a) =>
          py.str(decodeBytes(vm, bytes.data(a[0]!), codec(a[1]!), py.strValue(a[2]!))),
      },
    },
    compiled,
  );
}
