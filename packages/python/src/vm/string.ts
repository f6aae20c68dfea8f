// The `string` module: its constants, `capwords`, `Formatter` (str.format's steps as
// overridable methods, over a parser of format strings written here where CPython has
// `_string`), and `Template` with Lib/string.py's placeholder rules (`$name`, `${name}` with
// ASCII identifiers, `$$`; anything else after the delimiter is invalid, reported by line and
// column) scanned by hand where CPython uses `re`.

import type { Ref } from "@mm/runtime";
import type { CodeUnit } from "../compile/code.js";
import { deserializeCode } from "../compile/serialize.js";
import type { Protocols } from "./host.js";
import { precompileSource, pythonModule } from "./python-module.js";
import { STRING_COMPILED } from "./string.compiled.js";

/** The module's Python source. */
const SOURCE = `"""A collection of string constants, capwords, and Template: $-substitutions in a string."""

__all__ = ["ascii_letters", "ascii_lowercase", "ascii_uppercase", "capwords",
           "digits", "hexdigits", "octdigits", "printable", "punctuation",
           "whitespace", "Formatter", "Template"]

whitespace = ' \\t\\n\\r\\v\\f'
ascii_lowercase = 'abcdefghijklmnopqrstuvwxyz'
ascii_uppercase = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
ascii_letters = ascii_lowercase + ascii_uppercase
digits = '0123456789'
hexdigits = digits + 'abcdef' + 'ABCDEF'
octdigits = '01234567'
punctuation = '!"#$%&' + "'()*+,-./:;<=>?@[\\\\]^_" + chr(96) + '{|}~'
printable = digits + ascii_letters + punctuation + whitespace


def capwords(s, sep=None):
    """Split s into words by sep, capitalize each word, and join them with sep (or a space)."""
    return (sep or ' ').join(map(str.capitalize, s.split(sep)))


_IDENT_START = frozenset('_' + ascii_letters)
_IDENT_REST = frozenset('_' + ascii_letters + digits)


class _ChainMap:
    # The keyword arguments first, then the mapping, as collections.ChainMap(kws, mapping).
    def __init__(self, first, second):
        self.first = first
        self.second = second

    def __getitem__(self, key):
        try:
            return self.first[key]
        except KeyError:
            return self.second[key]


class Template:
    """A string class for supporting $-substitutions: $name, $[braced name] and $$ for '$'."""

    delimiter = '$'
    braceidpattern = None

    def __init__(self, template):
        self.template = template

    # The template as pieces: (kind, text, name, start) with kind 'text', 'escaped', 'named',
    # 'braced' or 'invalid'; start is where the placeholder begins (after the delimiter for
    # 'invalid', where the error is reported).
    def _scan(self):
        t = self.template
        delim = self.delimiter
        d = len(delim)
        n = len(t)
        pieces = []
        i = 0
        text_start = 0
        while True:
            at = t.find(delim, i)
            if at < 0:
                break
            if at > text_start:
                pieces.append(('text', t[text_start:at], None, text_start))
            j = at + d
            if t.startswith(delim, j):
                pieces.append(('escaped', delim, None, at))
                i = text_start = j + d
                continue
            if j < n and t[j] in _IDENT_START:
                k = j + 1
                while k < n and t[k] in _IDENT_REST:
                    k += 1
                pieces.append(('named', t[at:k], t[j:k], at))
                i = text_start = k
                continue
            if j < n and t[j] == '{' and j + 1 < n and t[j + 1] in _IDENT_START:
                k = j + 2
                while k < n and t[k] in _IDENT_REST:
                    k += 1
                if k < n and t[k] == '}':
                    pieces.append(('braced', t[at:k + 1], t[j + 1:k], at))
                    i = text_start = k + 1
                    continue
            pieces.append(('invalid', delim, None, j))
            i = text_start = j
        if text_start < n:
            pieces.append(('text', t[text_start:], None, text_start))
        return pieces

    def _invalid(self, i):
        lines = self.template[:i].splitlines(True)
        if not lines:
            colno = 1
            lineno = 1
        else:
            colno = i - len(''.join(lines[:-1]))
            lineno = len(lines)
        raise ValueError('Invalid placeholder in string: line %d, col %d' %
                         (lineno, colno))

    def substitute(self, mapping={}, /, **kws):
        """Each placeholder replaced by str(its value); a missing name is a KeyError."""
        if kws and mapping:
            mapping = _ChainMap(kws, mapping)
        elif kws:
            mapping = kws
        out = []
        for kind, text, name, start in self._scan():
            if kind == 'named' or kind == 'braced':
                out.append(str(mapping[name]))
            elif kind == 'invalid':
                self._invalid(start)
            else:
                out.append(text)
        return ''.join(out)

    def safe_substitute(self, mapping={}, /, **kws):
        """As substitute, but a missing name or a bad placeholder is left as it is written."""
        if kws and mapping:
            mapping = _ChainMap(kws, mapping)
        elif kws:
            mapping = kws
        out = []
        for kind, text, name, start in self._scan():
            if kind == 'named' or kind == 'braced':
                try:
                    out.append(str(mapping[name]))
                except KeyError:
                    out.append(text)
            else:
                out.append(text)
        return ''.join(out)

    def is_valid(self):
        """Whether the template has no invalid placeholders."""
        for piece in self._scan():
            if piece[0] == 'invalid':
                return False
        return True

    def get_identifiers(self):
        """The names of the placeholders, each once, in the order they first appear."""
        ids = []
        for kind, text, name, start in self._scan():
            if name is not None and name not in ids:
                ids.append(name)
        return ids


def _parse(s):
    # What _string.formatter_parser yields: (literal_text, field_name, format_spec, conversion);
    # a doubled brace ends a literal with one brace.
    n = len(s)
    i = 0
    while i < n:
        literal = []
        field = None
        while i < n:
            c = s[i]
            if c == '{':
                if i + 1 < n and s[i + 1] == '{':
                    literal.append('{')
                    i += 2
                    break
                field = i + 1
                i += 1
                break
            if c == '}':
                if i + 1 < n and s[i + 1] == '}':
                    literal.append('}')
                    i += 2
                    break
                raise ValueError("Single '}' encountered in format string")
            literal.append(c)
            i += 1
        text = ''.join(literal)
        if field is None:
            yield text, None, None, None
            continue
        if field >= n:
            raise ValueError("Single '{' encountered in format string")
        # The field: its name up to '!', ':' or '}' (a [key] may hold any of them), a
        # conversion character, then a spec whose braces must balance.
        j = field
        while True:
            if j >= n:
                raise ValueError("expected '}' before end of string")
            c = s[j]
            if c in '}!:':
                break
            if c == '{':
                raise ValueError("unexpected '{' in field name")
            if c == '[':
                while j < n and s[j] != ']':
                    j += 1
                if j >= n:
                    raise ValueError("expected '}' before end of string")
            j += 1
        name = s[field:j]
        conversion = None
        spec = ''
        if c == '!':
            if j + 1 >= n:
                raise ValueError("end of string while looking for conversion specifier")
            conversion = s[j + 1]
            j += 2
            if j >= n:
                raise ValueError("unmatched '{' in format spec")
            c = s[j]
            if c != ':' and c != '}':
                raise ValueError("expected ':' after conversion specifier")
        if c == ':':
            depth = 1
            k = j + 1
            while True:
                if k >= n:
                    raise ValueError("unmatched '{' in format spec")
                if s[k] == '{':
                    depth += 1
                elif s[k] == '}':
                    depth -= 1
                    if depth == 0:
                        break
                k += 1
            spec = s[j + 1:k]
            j = k
        i = j + 1
        yield text, name, spec, conversion


def _split_field_name(name):
    # _string.formatter_field_name_split: the first part (an int when all digits), then an
    # iterator of (is_attribute, key) for each .attr and [key], which finds errors as it goes.
    k = 0
    m = len(name)
    while k < m and name[k] not in '.[':
        k += 1
    first = name[:k]
    if first.isdigit():
        first = int(first)
    return first, _field_rest(name, k)


def _field_rest(name, k):
    m = len(name)
    while k < m:
        if name[k] == '.':
            j = k + 1
            while j < m and name[j] not in '.[':
                j += 1
            attr = name[k + 1:j]
            if not attr:
                raise ValueError("Empty attribute in format string")
            yield True, attr
            k = j
        else:
            j = name.find(']', k)
            if j < 0:
                raise ValueError("Missing ']' in format string")
            key = name[k + 1:j]
            if not key:
                raise ValueError("Empty attribute in format string")
            yield False, int(key) if key.isdigit() else key
            k = j + 1
            if k < m and name[k] not in '.[':
                raise ValueError("Only '.' or '[' may follow ']' in format field specifier")


class Formatter:
    """str.format's machinery with each step a method a subclass may override."""

    def format(self, format_string, /, *args, **kwargs):
        return self.vformat(format_string, args, kwargs)

    def vformat(self, format_string, args, kwargs):
        used_args = set()
        result, _ = self._vformat(format_string, args, kwargs, used_args, 2)
        self.check_unused_args(used_args, args, kwargs)
        return result

    def _vformat(self, format_string, args, kwargs, used_args, recursion_depth,
                 auto_arg_index=0):
        if recursion_depth < 0:
            raise ValueError('Max string recursion exceeded')
        result = []
        for literal_text, field_name, format_spec, conversion in self.parse(format_string):
            if literal_text:
                result.append(literal_text)
            if field_name is not None:
                if field_name == '':
                    if auto_arg_index is False:
                        raise ValueError('cannot switch from manual field '
                                         'specification to automatic field '
                                         'numbering')
                    field_name = str(auto_arg_index)
                    auto_arg_index += 1
                elif field_name.isdigit():
                    if auto_arg_index:
                        raise ValueError('cannot switch from manual field '
                                         'specification to automatic field '
                                         'numbering')
                    auto_arg_index = False
                obj, arg_used = self.get_field(field_name, args, kwargs)
                used_args.add(arg_used)
                obj = self.convert_field(obj, conversion)
                format_spec, auto_arg_index = self._vformat(
                    format_spec, args, kwargs,
                    used_args, recursion_depth-1,
                    auto_arg_index=auto_arg_index)
                result.append(self.format_field(obj, format_spec))
        return ''.join(result), auto_arg_index

    def get_value(self, key, args, kwargs):
        if isinstance(key, int):
            return args[key]
        else:
            return kwargs[key]

    def check_unused_args(self, used_args, args, kwargs):
        pass

    def format_field(self, value, format_spec):
        return format(value, format_spec)

    def convert_field(self, value, conversion):
        if conversion is None:
            return value
        elif conversion == 's':
            return str(value)
        elif conversion == 'r':
            return repr(value)
        elif conversion == 'a':
            return ascii(value)
        raise ValueError("Unknown conversion specifier {0!s}".format(conversion))

    def parse(self, format_string):
        return list(_parse(format_string))

    def get_field(self, field_name, args, kwargs):
        first, rest = _split_field_name(field_name)
        obj = self.get_value(first, args, kwargs)
        for is_attr, i in rest:
            if is_attr:
                obj = getattr(obj, i)
            else:
                obj = obj[i]
        return obj, first
`;

/** The file name the module's code and tracebacks carry. */
const FILENAME = "<string>";

/** The module's code, shared by every interpreter (read at the first import). */
let compiled: CodeUnit | undefined;

/**
 * The module's source compiled and serialized: what scripts/precompile.ts stores in
 * string.compiled.ts.
 */
export function precompiledString(): string {
  return precompileSource(SOURCE, FILENAME);
}

/** The `string` module (a new reference): its Python source run in its namespace. */
export function stringModule(b: Protocols): Ref {
  compiled ??= deserializeCode(STRING_COMPILED);
  return pythonModule(b, { name: "string", filename: FILENAME, source: SOURCE }, compiled);
}
