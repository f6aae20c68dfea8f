// The `re` module: regular expressions with Python 3.11's syntax and sre's matching rules,
// written in Python: a parser of patterns (with sre_parse's error messages and positions) into
// a tree, and a backtracking matcher over that tree with continuations (greedy, lazy and
// possessive repeats, atomic groups, lookarounds with fixed-width lookbehind, backreferences,
// conditionals), over which Pattern, Match, sub's templates, split and the module cache sit.

import type { Ref } from "@mm/runtime";
import type { CodeUnit } from "../compile/code.js";
import { deserializeCode } from "../compile/serialize.js";
import type { Protocols } from "./host.js";
import { precompileSource, pythonModule } from "./python-module.js";
import { RE_COMPILED } from "./re-module.compiled.js";

/** The module's Python source (raw: its backslashes are Python's). */
const SOURCE = String.raw`"""Regular expressions as Python 3.11's re module matches them (a backtracking matcher)."""

__all__ = ['match', 'fullmatch', 'search', 'sub', 'subn', 'split', 'findall', 'finditer',
           'compile', 'purge', 'escape', 'error', 'Pattern', 'Match', 'A', 'I', 'L', 'M',
           'S', 'X', 'U', 'ASCII', 'IGNORECASE', 'LOCALE', 'MULTILINE', 'DOTALL', 'VERBOSE',
           'UNICODE', 'NOFLAG', 'RegexFlag']

_FLAG_NAMES = ((256, 'ASCII'), (2, 'IGNORECASE'), (4, 'LOCALE'), (32, 'UNICODE'),
               (8, 'MULTILINE'), (16, 'DOTALL'), (64, 'VERBOSE'), (128, 'TEMPLATE'),
               (1, 'DEBUG'))


class RegexFlag(int):
    """The flags a pattern is compiled with (an int whose repr names them)."""

    def __new__(cls, value=0):
        return int.__new__(cls, value)

    @property
    def value(self):
        return int(self)

    @property
    def name(self):
        v = int(self)
        if v == 0:
            return 'NOFLAG'
        names = []
        for bit, n in _FLAG_NAMES:
            if v & bit:
                names.append(n)
                v &= ~bit
        if v:
            return None
        return '|'.join(names)

    def __repr__(self):
        v = int(self)
        if v == 0:
            return 're.NOFLAG'
        parts = []
        for bit, n in _FLAG_NAMES:
            if v & bit:
                parts.append('re.' + n)
                v &= ~bit
        if v:
            parts.append(hex(v))
        return '|'.join(parts)

    __str__ = __repr__

    def __or__(self, other):
        if not isinstance(other, int):
            return NotImplemented
        return RegexFlag(int(self) | int(other))

    __ror__ = __or__

    def __and__(self, other):
        if not isinstance(other, int):
            return NotImplemented
        return RegexFlag(int(self) & int(other))

    __rand__ = __and__

    def __xor__(self, other):
        if not isinstance(other, int):
            return NotImplemented
        return RegexFlag(int(self) ^ int(other))

    __rxor__ = __xor__

    def __invert__(self):
        return RegexFlag(~int(self) & 511)


NOFLAG = RegexFlag(0)
A = ASCII = RegexFlag(256)
I = IGNORECASE = RegexFlag(2)
L = LOCALE = RegexFlag(4)
U = UNICODE = RegexFlag(32)
M = MULTILINE = RegexFlag(8)
S = DOTALL = RegexFlag(16)
X = VERBOSE = RegexFlag(64)
T = TEMPLATE = RegexFlag(128)
DEBUG = RegexFlag(1)


class error(Exception):
    """A pattern or template that cannot be compiled: msg, pattern, pos, lineno, colno."""

    def __init__(self, msg, pattern=None, pos=None):
        self.msg = msg
        self.pattern = pattern
        self.pos = pos
        if pattern is not None and pos is not None:
            msg = '%s at position %d' % (msg, pos)
            if isinstance(pattern, str):
                newline = '\n'
            else:
                newline = b'\n'
            self.lineno = pattern.count(newline, 0, pos) + 1
            self.colno = pos - pattern.rfind(newline, 0, pos)
            if newline in pattern:
                msg = '%s (line %d, column %d)' % (msg, self.lineno, self.colno)
        else:
            self.lineno = self.colno = None
        super().__init__(msg)


error.__module__ = 're'
PatternError = error

_MAXREPEAT = 4294967295
_DIGITS = '0123456789'
_OCT = '01234567'
_HEX = '0123456789abcdefABCDEF'
_ASCIILETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'
_WHITESPACE = ' \t\n\r\v\f'
_SPECIAL = '.\\[{()*+?^$|'
_REPEAT = '*+?{'
_CATEGORY = {'d': 'd', 'D': 'D', 's': 's', 'S': 'S', 'w': 'w', 'W': 'W'}
_AT = {'A': 'A', 'Z': 'Z', 'b': 'b', 'B': 'B'}
_ESC = {'a': '\a', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t', 'v': '\v',
        '\\': '\\'}

# Node kinds of a parsed pattern (tuples whose first item is the kind).
_LIT = 0      # (kind, char, ignorecase)
_ANY = 1      # (kind, dotall)
_SET = 2      # (kind, items, negated, ignorecase, ascii)
_CAT = 3      # (kind, [nodes])
_ALT = 4      # (kind, [nodes])
_REP = 5      # (kind, node, min, max, mode)  mode 0 greedy, 1 lazy, 2 possessive
_GROUP = 6    # (kind, index, node)
_ATOMIC = 7   # (kind, node)
_LOOK = 8     # (kind, node, behind, negated, width)
_BREF = 9     # (kind, index, ignorecase)
_COND = 10    # (kind, index, yes, no)
_AT_ = 11     # (kind, which, multiline, ascii)
_CATEG = 12   # (kind, letter, ascii)


class _Source:
    def __init__(self, text, pattern):
        self.text = text
        self.pattern = pattern
        self.i = 0
        self.n = len(text)

    def peek(self):
        if self.i < self.n:
            return self.text[self.i]
        return None

    def error(self, msg, offset=0):
        return error(msg, self.pattern, self.i - offset)


class _Parser:
    def __init__(self, text, pattern, flags, isbytes):
        self.src = _Source(text, pattern)
        self.flags = flags
        self.isbytes = isbytes
        self.groups = 1
        self.groupdict = {}
        self.open = []
        self.lookbehind_groups = None

    def parse(self):
        src = self.src
        node = self.alternation(self.flags, 0)
        if src.i < src.n:
            raise error('unbalanced parenthesis', src.pattern, src.i)
        return node

    def alternation(self, flags, depth):
        src = self.src
        branches = [self.sequence(flags, depth)]
        while src.peek() == '|':
            src.i += 1
            branches.append(self.sequence(flags, depth))
        if len(branches) == 1:
            return branches[0]
        return (_ALT, branches)

    def skip_verbose(self, flags):
        src = self.src
        if not flags & 64:
            return
        while src.i < src.n:
            c = src.text[src.i]
            if c in _WHITESPACE:
                src.i += 1
            elif c == '#':
                while src.i < src.n and src.text[src.i] != '\n':
                    src.i += 1
            else:
                return

    def sequence(self, flags, depth):
        src = self.src
        items = []
        while True:
            self.skip_verbose(flags)
            c = src.peek()
            if c is None or c == '|' or c == ')':
                break
            start = src.i
            if c in _REPEAT:
                if c == '{' and not self.brace_repeat_follows():
                    src.i += 1
                    items.append((_LIT, '{', bool(flags & 2)))
                    continue
                raise error('nothing to repeat', src.pattern, src.i)
            atom = self.atom(flags, depth)
            if atom is None:
                continue
            if atom == 'flags':
                flags = self.newflags
                continue
            self.skip_verbose(flags)
            c = src.peek()
            if c is not None and c in _REPEAT:
                if c == '{' and not self.brace_repeat_follows():
                    items.append(atom)
                    continue
                here = src.i
                lo, hi = self.repeat_bounds()
                if atom[0] == _AT_ and src.text[start] != '(':
                    raise error('nothing to repeat', src.pattern, here)
                mode = 0
                c = src.peek()
                if c == '?':
                    src.i += 1
                    mode = 1
                elif c == '+':
                    src.i += 1
                    mode = 2
                atom = (_REP, atom, lo, hi, mode)
                self.skip_verbose(flags)
                c = src.peek()
                if c is not None and c in _REPEAT and not (c == '{' and not self.brace_repeat_follows()):
                    raise error('multiple repeat', src.pattern, src.i)
            items.append(atom)
        if len(items) == 1:
            return items[0]
        return (_CAT, items)

    def brace_repeat_follows(self):
        src = self.src
        j = src.i + 1
        t = src.text
        k = j
        while k < src.n and t[k] in _DIGITS:
            k += 1
        if k < src.n and t[k] == ',':
            k += 1
            while k < src.n and t[k] in _DIGITS:
                k += 1
        return k < src.n and t[k] == '}'

    def repeat_bounds(self):
        src = self.src
        c = src.text[src.i]
        here = src.i
        src.i += 1
        if c == '*':
            return 0, _MAXREPEAT
        if c == '+':
            return 1, _MAXREPEAT
        if c == '?':
            return 0, 1
        t = src.text
        j = src.i
        while t[src.i] in _DIGITS:
            src.i += 1
        lo_text = t[j:src.i]
        if t[src.i] == ',':
            src.i += 1
            j = src.i
            while t[src.i] in _DIGITS:
                src.i += 1
            hi_text = t[j:src.i]
        else:
            hi_text = lo_text
        src.i += 1
        lo = int(lo_text) if lo_text else 0
        hi = int(hi_text) if hi_text else _MAXREPEAT
        if lo >= _MAXREPEAT or hi > _MAXREPEAT:
            raise OverflowError('the repetition number is too large')
        if hi < lo:
            raise error('min repeat greater than max repeat', src.pattern, here + 1)
        return lo, hi

    def atom(self, flags, depth):
        src = self.src
        c = src.text[src.i]
        start = src.i
        src.i += 1
        ic = bool(flags & 2)
        if c == '.':
            return (_ANY, bool(flags & 16))
        if c == '^':
            return (_AT_, '^', bool(flags & 8), False)
        if c == '$':
            return (_AT_, '$', bool(flags & 8), False)
        if c == '[':
            return self.charset(flags, start)
        if c == '\\':
            return self.escape(flags, start)
        if c == '(':
            return self.group(flags, depth, start)
        return (_LIT, c, ic)

    def escape(self, flags, start):
        src = self.src
        t = src.text
        if src.i >= src.n:
            raise error('bad escape (end of pattern)', src.pattern, start)
        c = t[src.i]
        src.i += 1
        ascii = bool(flags & 256) or self.isbytes
        ic = bool(flags & 2)
        if c in _CATEGORY:
            return (_CATEG, c, ascii)
        if c in _AT:
            return (_AT_, c, False, ascii)
        if c in _DIGITS:
            if c == '0':
                v = c
                while len(v) < 3 and src.i < src.n and t[src.i] in _OCT:
                    v += t[src.i]
                    src.i += 1
                return (_LIT, chr(int(v, 8)), ic)
            v = c
            if src.i < src.n and t[src.i] in _DIGITS:
                if c in _OCT and t[src.i] in _OCT and src.i + 1 < src.n and t[src.i + 1] in _OCT:
                    v = t[src.i - 1:src.i + 2]
                    src.i += 2
                    code = int(v, 8)
                    if code > 255:
                        raise error('octal escape value \\%s outside of range 0-0o377' % v,
                                    src.pattern, start)
                    return (_LIT, chr(code), ic)
                v += t[src.i]
                src.i += 1
            group = int(v)
            if group >= self.groups:
                raise error('invalid group reference %d' % group, src.pattern, start + 1)
            if group in self.open:
                raise error('cannot refer to an open group', src.pattern, start)
            self.check_lookbehind_ref(group, start)
            return (_BREF, group, ic)
        lit = self.char_escape(c, start, False)
        return (_LIT, lit, ic)

    def check_lookbehind_ref(self, group, start):
        if self.lookbehind_groups is not None and group >= self.lookbehind_groups:
            raise error('cannot refer to group defined in the same lookbehind subpattern',
                        self.src.pattern, start)

    def char_escape(self, c, start, inset):
        src = self.src
        t = src.text
        if c in _ESC:
            return _ESC[c]
        if c == 'x':
            h = t[src.i:src.i + 2]
            if len(h) < 2 or h[0] not in _HEX or h[1] not in _HEX:
                raise error('incomplete escape \\x' + ''.join(ch for ch in h if ch in _HEX)[:2]
                            if False else 'incomplete escape \\x' + _hexprefix(h),
                            src.pattern, start)
            src.i += 2
            return chr(int(h, 16))
        if c in 'uU' and not self.isbytes:
            size = 4 if c == 'u' else 8
            h = t[src.i:src.i + size]
            if len(h) < size or any(ch not in _HEX for ch in h):
                raise error('incomplete escape \\%s%s' % (c, _hexprefix(h)), src.pattern, start)
            src.i += size
            code = int(h, 16)
            if code > 0x10FFFF:
                raise error('bad escape \\%s%s' % (c, h), src.pattern, start)
            return chr(code)
        if c == 'N' and not self.isbytes:
            raise error('bad escape \\N', src.pattern, start)
        if inset and c in _OCT:
            v = c
            while len(v) < 3 and src.i < src.n and t[src.i] in _OCT:
                v += t[src.i]
                src.i += 1
            code = int(v, 8)
            if code > 255:
                raise error('octal escape value \\%s outside of range 0-0o377' % v,
                            src.pattern, start)
            return chr(code)
        if c in _ASCIILETTERS or c in _DIGITS:
            raise error('bad escape \\' + c, src.pattern, start)
        return c

    def charset(self, flags, start):
        src = self.src
        t = src.text
        ic = bool(flags & 2)
        ascii = bool(flags & 256) or self.isbytes
        negated = False
        items = []
        if src.peek() == '^':
            src.i += 1
            negated = True
        first = True
        while True:
            if src.i >= src.n:
                raise error('unterminated character set', src.pattern, start)
            c = t[src.i]
            here = src.i
            src.i += 1
            if c == ']' and not first:
                break
            first = False
            if c == '\\':
                if src.i >= src.n:
                    raise error('unterminated character set', src.pattern, start)
                e = t[src.i]
                src.i += 1
                if e in _CATEGORY:
                    items.append((1, e))
                    lo = None
                    code1 = None
                else:
                    lo = self.char_escape(e, here, True)
            else:
                lo = c
            if lo is None:
                if src.peek() == '-' and src.i + 1 < src.n and t[src.i + 1] != ']':
                    raise error('bad character range %s' % t[here:src.i + 2], src.pattern, here)
                continue
            if src.peek() == '-' and src.i + 1 < src.n and t[src.i + 1] != ']':
                src.i += 1
                here2 = src.i
                c2 = t[src.i]
                src.i += 1
                if c2 == '\\':
                    if src.i >= src.n:
                        raise error('unterminated character set', src.pattern, start)
                    e = t[src.i]
                    src.i += 1
                    if e in _CATEGORY:
                        raise error('bad character range %s' % t[here:src.i], src.pattern, here)
                    hi = self.char_escape(e, here2, True)
                else:
                    hi = c2
                if hi < lo:
                    raise error('bad character range %s' % t[here:src.i], src.pattern, here)
                items.append((2, lo, hi))
            else:
                items.append((0, lo))
        return (_SET, items, negated, ic, ascii)

    def group_name(self, terminator, start):
        src = self.src
        t = src.text
        j = t.find(terminator, src.i)
        if j < 0:
            if src.i >= src.n:
                raise error('missing group name', src.pattern, src.i)
            raise error('missing %s, unterminated name' % terminator, src.pattern, src.i)
        name = t[src.i:j]
        if not name:
            raise error('missing group name', src.pattern, src.i)
        here = src.i
        src.i = j + 1
        return name, here

    def group(self, flags, depth, start):
        src = self.src
        t = src.text
        capture = True
        name = None
        if src.peek() == '?':
            src.i += 1
            if src.i >= src.n:
                raise error('unexpected end of pattern', src.pattern, src.i)
            c = t[src.i]
            src.i += 1
            if c == ':':
                capture = False
            elif c == 'P':
                if src.i >= src.n:
                    raise error('unexpected end of pattern', src.pattern, src.i)
                c = t[src.i]
                src.i += 1
                if c == '<':
                    name, here = self.group_name('>', start)
                    if not name.isidentifier():
                        raise error('bad character in group name %r' % name, src.pattern, here)
                elif c == '=':
                    name, here = self.group_name(')', start)
                    if not name.isidentifier():
                        raise error('bad character in group name %r' % name, src.pattern, here)
                    if name not in self.groupdict:
                        raise error('unknown group name %r' % name, src.pattern, here)
                    gid = self.groupdict[name]
                    if gid in self.open:
                        raise error('cannot refer to an open group', src.pattern, here)
                    self.check_lookbehind_ref(gid, here)
                    return (_BREF, gid, bool(flags & 2))
                else:
                    raise error('unknown extension ?P' + c, src.pattern, src.i - 3)
            elif c == '#':
                while True:
                    if src.i >= src.n:
                        raise error('missing ), unterminated comment', src.pattern, start)
                    if t[src.i] == ')':
                        src.i += 1
                        return None
                    src.i += 1
            elif c in '=!':
                body = self.subpattern(flags, depth, start)
                return (_LOOK, body, False, c == '!', 0)
            elif c == '<':
                if src.i >= src.n:
                    raise error('unexpected end of pattern', src.pattern, src.i)
                d = t[src.i]
                src.i += 1
                if d not in '=!':
                    raise error('unknown extension ?<' + d, src.pattern, src.i - 3)
                saved = self.lookbehind_groups
                if saved is None:
                    self.lookbehind_groups = self.groups
                body = self.subpattern(flags, depth, start)
                self.lookbehind_groups = saved
                lo, hi = _width(body)
                if lo != hi:
                    raise error('look-behind requires fixed-width pattern')
                return (_LOOK, body, True, d == '!', lo)
            elif c == '>':
                body = self.subpattern(flags, depth, start)
                return (_ATOMIC, body)
            elif c == '(':
                j = t.find(')', src.i)
                if j < 0:
                    raise error('missing ), unterminated name', src.pattern, src.i)
                cname = t[src.i:j]
                here = src.i
                src.i = j + 1
                if not cname:
                    raise error('missing group name', src.pattern, here)
                if cname.isdigit():
                    gid = int(cname)
                    if gid == 0:
                        raise error('bad group number', src.pattern, here)
                    if gid >= 100:
                        raise error('invalid group reference %d' % gid, src.pattern, here)
                    if gid >= self.groups:
                        raise error('invalid group reference %d' % gid, src.pattern, here)
                elif cname.isidentifier():
                    if cname not in self.groupdict:
                        raise error('unknown group name %r' % cname, src.pattern, here)
                    gid = self.groupdict[cname]
                else:
                    raise error('bad character in group name %r' % cname, src.pattern, here)
                self.check_lookbehind_ref(gid, here)
                yes = self.sequence(flags, depth + 1)
                no = None
                if src.peek() == '|':
                    src.i += 1
                    no = self.sequence(flags, depth + 1)
                    if src.peek() == '|':
                        raise error('conditional backref with more than two branches',
                                    src.pattern, src.i)
                if src.peek() != ')':
                    raise error('missing ), unterminated subpattern', src.pattern, start)
                src.i += 1
                return (_COND, gid, yes, no)
            elif c in 'aiLmsux-':
                return self.inline_flags(c, flags, depth, start)
            else:
                raise error('unknown extension ?' + c, src.pattern, src.i - 2)
        gid = None
        if capture:
            gid = self.groups
            self.groups += 1
            if self.groups > 100:
                raise error('too many groups')
            if name is not None:
                if name in self.groupdict:
                    raise error('redefinition of group name %r as group %d; was group %d'
                                % (name, gid, self.groupdict[name]), src.pattern, here)
                self.groupdict[name] = gid
            self.open.append(gid)
        body = self.subpattern(flags, depth, start)
        if capture:
            self.open.remove(gid)
            return (_GROUP, gid, body)
        return body

    def subpattern(self, flags, depth, start):
        src = self.src
        body = self.alternation(flags, depth + 1)
        if src.peek() != ')':
            raise error('missing ), unterminated subpattern', src.pattern, start)
        src.i += 1
        return body

    def inline_flags(self, c, flags, depth, start):
        src = self.src
        t = src.text
        letters = {'a': 256, 'i': 2, 'L': 4, 'm': 8, 's': 16, 'u': 32, 'x': 64}
        add = 0
        sub = 0
        src.i -= 1
        while src.i < src.n and t[src.i] in letters:
            ch = t[src.i]
            f = letters[ch]
            if ch == 'L' and not self.isbytes:
                raise error('bad inline flags: cannot use \'L\' flag with a str pattern',
                            src.pattern, src.i + 1)
            if ch == 'u' and self.isbytes:
                raise error('bad inline flags: cannot use \'u\' flag with a bytes pattern',
                            src.pattern, src.i + 1)
            add |= f
            src.i += 1
        if src.i >= src.n:
            raise error('missing -, : or )', src.pattern, src.i)
        ch = t[src.i]
        if ch == ')':
            src.i += 1
            if start != 0:
                raise error('global flags not at the start of the expression', src.pattern, start)
            self.newflags = flags | add
            return 'flags'
        if ch == '-':
            src.i += 1
            if src.i >= src.n:
                raise error('missing flag', src.pattern, src.i)
            while src.i < src.n and t[src.i] in letters:
                ch2 = t[src.i]
                if ch2 not in 'imsx':
                    raise error('bad inline flags: cannot turn off flags \'a\', \'u\' and \'L\'',
                                src.pattern, src.i + 1)
                sub |= letters[ch2]
                src.i += 1
            if src.i >= src.n:
                raise error('missing :', src.pattern, src.i)
            if t[src.i] != ':':
                if t[src.i].isalpha():
                    raise error('unknown flag', src.pattern, src.i)
                raise error('missing :', src.pattern, src.i)
        elif ch != ':':
            if ch.isalpha():
                raise error('unknown flag', src.pattern, src.i)
            raise error('missing -, : or )', src.pattern, src.i)
        src.i += 1
        inner = (flags | add) & ~sub
        if add & 256:
            inner &= ~32
        return self.subpattern(inner, depth, start)


def _hexprefix(h):
    out = ''
    for ch in h:
        if ch not in _HEX:
            break
        out += ch
    return out


def _width(node):
    kind = node[0]
    if kind in (_LIT, _ANY, _SET, _CATEG):
        return 1, 1
    if kind == _CAT:
        lo = hi = 0
        for n in node[1]:
            a, b = _width(n)
            lo += a
            hi += b
        return lo, hi
    if kind == _ALT:
        lo = hi = None
        for n in node[1]:
            a, b = _width(n)
            lo = a if lo is None else min(lo, a)
            hi = b if hi is None else max(hi, b)
        return lo, hi
    if kind == _REP:
        a, b = _width(node[1])
        return a * node[2], b * node[3]
    if kind == _GROUP:
        return _width(node[2])
    if kind == _ATOMIC:
        return _width(node[1])
    if kind == _COND:
        a, b = _width(node[2])
        if node[3] is None:
            c = d = 0
        else:
            c, d = _width(node[3])
        return min(a, c), max(b, d)
    if kind == _BREF:
        return 0, _MAXREPEAT
    return 0, 0


def _is_word(ch, ascii):
    if ascii:
        return ch < '\x80' and (ch.isalnum() or ch == '_')
    return ch.isalnum() or ch == '_'


def _categ(letter, ch, ascii):
    if letter == 'd' or letter == 'D':
        if ascii:
            r = '0' <= ch <= '9'
        else:
            r = ch.isdecimal()
        return r if letter == 'd' else not r
    if letter == 's' or letter == 'S':
        if ascii:
            r = ch in ' \t\n\r\x0b\x0c'
        else:
            r = ch.isspace() or ch in '\x1c\x1d\x1e\x1f\x85'
        return r if letter == 's' else not r
    r = _is_word(ch, ascii)
    return r if letter == 'w' else not r


def _lower(ch, ascii):
    if ascii:
        if 'A' <= ch <= 'Z':
            return chr(ord(ch) + 32)
        return ch
    low = ch.lower()
    if len(low) != 1:
        return ch
    return low


def _in_set(node, ch):
    items = node[1]
    ic = node[3]
    ascii = node[4]
    if ic:
        cands = (ch, _lower(ch, ascii), ch.upper() if not ascii and len(ch.upper()) == 1
                 else (chr(ord(ch) - 32) if 'a' <= ch <= 'z' else ch))
    else:
        cands = (ch,)
    found = False
    for it in items:
        k = it[0]
        if k == 1:
            if _categ(it[1], ch, ascii):
                found = True
                break
        else:
            for c in cands:
                if k == 0:
                    if c == it[1]:
                        found = True
                        break
                elif it[1] <= c <= it[2]:
                    found = True
                    break
            if found:
                break
    return found != node[2]


class _State:
    def __init__(self, text, pos, endpos, ngroups):
        self.text = text
        self.pos = pos
        self.end = endpos
        self.marks = [-1] * (2 * ngroups)
        self.lastindex = -1
        self.steps = 0


def _m(node, s, i, k):
    """Match node at i, then the continuation k(i'): True when the whole match succeeds."""
    kind = node[0]
    t = s.text
    if kind == _LIT:
        if i < s.end:
            ch = t[i]
            if ch == node[1] or node[2] and _lower(ch, False) == _lower(node[1], False):
                return k(i + 1)
        return False
    if kind == _CAT:
        return _cat(node[1], 0, s, i, k)
    if kind == _ANY:
        if i < s.end and (node[1] or t[i] != '\n'):
            return k(i + 1)
        return False
    if kind == _SET:
        if i < s.end and _in_set(node, t[i]):
            return k(i + 1)
        return False
    if kind == _CATEG:
        if i < s.end and _categ(node[1], t[i], node[2]):
            return k(i + 1)
        return False
    if kind == _ALT:
        for b in node[1]:
            if _m(b, s, i, k):
                return True
        return False
    if kind == _REP:
        return _rep(node, s, i, k, 0, -1)
    if kind == _GROUP:
        g = node[1]
        marks = s.marks
        old0 = marks[2 * g]
        old1 = marks[2 * g + 1]
        oldlast = s.lastindex

        def close(j):
            p0 = marks[2 * g]
            p1 = marks[2 * g + 1]
            pl = s.lastindex
            marks[2 * g] = i
            marks[2 * g + 1] = j
            s.lastindex = g
            if k(j):
                return True
            marks[2 * g] = p0
            marks[2 * g + 1] = p1
            s.lastindex = pl
            return False

        if _m(node[2], s, i, close):
            return True
        marks[2 * g] = old0
        marks[2 * g + 1] = old1
        s.lastindex = oldlast
        return False
    if kind == _AT_:
        if _at(node, s, i):
            return k(i)
        return False
    if kind == _BREF:
        g = node[1]
        a = s.marks[2 * g]
        b = s.marks[2 * g + 1]
        if a < 0 or b < 0:
            return False
        n = b - a
        if i + n > s.end:
            return False
        if node[2]:
            for d in range(n):
                if _lower(t[a + d], False) != _lower(t[i + d], False):
                    return False
        elif t[i:i + n] != t[a:b]:
            return False
        return k(i + n)
    if kind == _LOOK:
        if node[2]:
            start = i - node[4]
            if start < 0:
                ok = False
            else:
                saved = list(s.marks)
                ok = _m(node[1], s, start, lambda j: j == i)
                if not ok or node[3]:
                    s.marks[:] = saved
        else:
            saved = list(s.marks)
            ok = _m(node[1], s, i, lambda j: True)
            if not ok or node[3]:
                s.marks[:] = saved
        if ok == node[3]:
            return False
        if k(i):
            return True
        if ok:
            s.marks[:] = saved
        return False
    if kind == _ATOMIC:
        saved = list(s.marks)
        box = []

        def done(j):
            box.append(j)
            return True

        if not _m(node[1], s, i, done):
            return False
        if k(box[0]):
            return True
        s.marks[:] = saved
        return False
    if kind == _COND:
        g = node[1]
        if s.marks[2 * g] >= 0 and s.marks[2 * g + 1] >= 0:
            return _m(node[2], s, i, k)
        if node[3] is None:
            return k(i)
        return _m(node[3], s, i, k)
    raise AssertionError(kind)


def _cat(nodes, idx, s, i, k):
    if idx == len(nodes):
        return k(i)
    if idx == len(nodes) - 1:
        return _m(nodes[idx], s, i, k)
    return _m(nodes[idx], s, i, lambda j: _cat(nodes, idx + 1, s, j, k))


def _single(node):
    kind = node[0]
    return kind == _LIT or kind == _ANY or kind == _SET or kind == _CATEG


def _one(node, s, i):
    if i >= s.end:
        return False
    kind = node[0]
    ch = s.text[i]
    if kind == _LIT:
        return ch == node[1] or node[2] and _lower(ch, False) == _lower(node[1], False)
    if kind == _ANY:
        return node[1] or ch != '\n'
    if kind == _SET:
        return _in_set(node, ch)
    return _categ(node[1], ch, node[2])


def _rep(node, s, i, k, count, last):
    body = node[1]
    lo = node[2]
    hi = node[3]
    mode = node[4]
    if _single(body):
        # One character per iteration: count how many match, then try the tail.
        n = 0
        limit = hi
        while n < limit and _one(body, s, i + n):
            n += 1
        if n < lo:
            return False
        if mode == 2:
            return k(i + n)
        if mode == 0:
            j = n
            while j >= lo:
                if k(i + j):
                    return True
                j -= 1
            return False
        j = lo
        while j <= n:
            if k(i + j):
                return True
            j += 1
        return False
    if mode == 2:
        saved = list(s.marks)
        pos = i
        c = 0
        while c < hi:
            box = []

            def done(j):
                box.append(j)
                return True

            before = list(s.marks)
            if not _m(body, s, pos, done):
                s.marks[:] = before
                break
            c += 1
            if box[0] == pos:
                if c >= lo:
                    break
            pos = box[0]
        if c < lo:
            s.marks[:] = saved
            return False
        if k(pos):
            return True
        s.marks[:] = saved
        return False

    def again(j):
        if j == i and count + 1 > lo:
            return k(j)
        return _rep(node, s, j, k, count + 1, i)

    if mode == 0:
        if count < hi and _m(body, s, i, again):
            return True
        if count >= lo:
            return k(i)
        return False
    if count >= lo and k(i):
        return True
    if count < hi:
        return _m(body, s, i, again)
    return False


def _at(node, s, i):
    w = node[1]
    t = s.text
    if w == '^':
        if i == 0:
            return True
        return node[2] and t[i - 1] == '\n'
    if w == '$':
        if i == s.end:
            return True
        if node[2]:
            return t[i] == '\n'
        return i == s.end - 1 and t[i] == '\n'
    if w == 'A':
        return i == 0
    if w == 'Z':
        return i == s.end
    ascii = node[3]
    before = i > 0 and _is_word(t[i - 1], ascii)
    after = i < s.end and _is_word(t[i], ascii)
    if w == 'b':
        return before != after
    return s.end > 0 and before == after


_cache = {}
_MAXCACHE = 512


def _compile(pattern, flags):
    if isinstance(flags, RegexFlag):
        flags = int(flags)
    key = (type(pattern), pattern, flags)
    try:
        return _cache[key]
    except KeyError:
        pass
    if isinstance(pattern, Pattern):
        if flags:
            raise ValueError('cannot process flags argument with a compiled pattern')
        return pattern
    if not isinstance(pattern, (str, bytes)):
        raise TypeError('first argument must be string or compiled pattern')
    p = Pattern(pattern, flags)
    if len(_cache) >= _MAXCACHE:
        try:
            del _cache[next(iter(_cache))]
        except (StopIteration, RuntimeError, KeyError):
            pass
    _cache[key] = p
    return p


def _text(string, isbytes):
    if isbytes:
        if isinstance(string, str):
            raise TypeError('cannot use a bytes pattern on a string-like object')
        if not isinstance(string, (bytes, bytearray, memoryview)):
            raise TypeError("expected string or bytes-like object, got '%s'"
                            % type(string).__name__)
        return bytes(string).decode('latin-1')
    if not isinstance(string, str):
        if isinstance(string, (bytes, bytearray, memoryview)):
            raise TypeError('cannot use a string pattern on a bytes-like object')
        raise TypeError("expected string or bytes-like object, got '%s'"
                        % type(string).__name__)
    return string


class Pattern:
    """A compiled regular expression."""

    __slots__ = ('pattern', 'flags', 'groups', 'groupindex', '_node', '_bytes', '__weakref__')

    def __init__(self, pattern, flags):
        isbytes = isinstance(pattern, bytes)
        if isbytes:
            if flags & 32:
                raise ValueError('cannot use UNICODE flag with a bytes pattern')
            text = pattern.decode('latin-1')
        else:
            if flags & 4:
                raise ValueError('cannot use LOCALE flag with a str pattern')
            if flags & 256 and flags & 32:
                raise ValueError('ASCII and UNICODE flags are incompatible')
            if not flags & 256:
                flags |= 32
            text = pattern
        parser = _Parser(text, pattern, flags, isbytes)
        # Global inline flags apply to the whole pattern: parse once to find them.
        node = parser.parse()
        gflags = _global_flags(text, isbytes)
        if gflags & ~flags:
            flags |= gflags
            if flags & 256:
                flags &= ~32
            parser = _Parser(text, pattern, flags, isbytes)
            node = parser.parse()
        self.pattern = pattern
        self.flags = flags
        self.groups = parser.groups - 1
        self.groupindex = _mappingproxy(parser.groupdict)
        self._node = node
        self._bytes = isbytes

    def __repr__(self):
        flags = self.flags
        if not self._bytes:
            flags &= ~32
        r = repr(self.pattern)[:200]
        if flags:
            return 're.compile(%s, %r)' % (r, RegexFlag(flags))
        return 're.compile(%s)' % r

    def __eq__(self, other):
        if not isinstance(other, Pattern):
            return NotImplemented
        return self.pattern == other.pattern and self.flags == other.flags

    def __hash__(self):
        return hash((self.pattern, self.flags))

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __class_getitem__(cls, item):
        return cls

    def _run(self, string, pos, endpos, mode, must_advance=False):
        text = _text(string, self._bytes)
        n = len(text)
        if pos < 0:
            pos = 0
        if pos > n:
            pos = n
        if endpos is None or endpos > n:
            endpos = n
        if endpos < 0:
            endpos = 0
        return self._at(text, string, pos, endpos, mode, pos, must_advance)

    def _at(self, text, string, start, endpos, mode, pos, must_advance):
        # mode: 0 match, 1 search, 2 fullmatch
        node = self._node
        while start <= endpos:
            s = _State(text, pos, endpos, self.groups + 1)
            adv = must_advance

            def finish(j):
                if mode == 2 and j != endpos:
                    return False
                if adv and j == start:
                    return False
                s.marks[0] = start
                s.marks[1] = j
                return True

            if start <= endpos and _m(node, s, start, finish):
                return Match(self, string, text, s.marks, s.lastindex, pos, endpos)
            if mode != 1:
                return None
            must_advance = False
            start += 1
        return None

    def match(self, string, pos=0, endpos=None):
        return self._run(string, pos, endpos, 0)

    def fullmatch(self, string, pos=0, endpos=None):
        return self._run(string, pos, endpos, 2)

    def search(self, string, pos=0, endpos=None):
        return self._run(string, pos, endpos, 1)

    def _iter(self, string, pos=0, endpos=None):
        text = _text(string, self._bytes)
        n = len(text)
        if pos < 0:
            pos = 0
        if pos > n:
            pos = n
        if endpos is None or endpos > n:
            endpos = n
        if endpos < 0:
            endpos = 0
        start = pos
        adv = False
        while start <= endpos:
            m = self._at(text, string, start, endpos, 1, pos, adv)
            if m is None:
                return
            yield m
            b = m._marks[1]
            adv = b == m._marks[0]
            start = b

    def finditer(self, string, pos=0, endpos=None):
        return iter(list(self._iter(string, pos, endpos)))

    def findall(self, string, pos=0, endpos=None):
        out = []
        g = self.groups
        empty = b'' if self._bytes else ''
        for m in self._iter(string, pos, endpos):
            if g == 0:
                out.append(m.group())
            elif g == 1:
                v = m.group(1)
                out.append(empty if v is None else v)
            else:
                out.append(tuple(empty if v is None else v for v in m.groups()))
        return out

    def split(self, string, maxsplit=0):
        out = []
        last = 0
        n = 0
        for m in self._iter(string):
            if maxsplit > 0 and n >= maxsplit:
                break
            a, b = m.span()
            out.append(string[last:a])
            out.extend(m.groups())
            last = b
            n += 1
        out.append(string[last:])
        return out

    def subn(self, repl, string, count=0):
        if callable(repl):
            fn = repl
        else:
            parts = _parse_template(repl, self)
            fn = None
        pieces = []
        last = 0
        n = 0
        for m in self._iter(string):
            if count > 0 and n >= count:
                break
            a, b = m.span()
            pieces.append(string[last:a])
            if fn is not None:
                r = fn(m)
                if r is not None:
                    if self._bytes:
                        if not isinstance(r, (bytes, bytearray)):
                            raise TypeError('expected a bytes-like object, %s found'
                                            % type(r).__name__)
                    elif not isinstance(r, str):
                        raise TypeError('expected str instance, %s found' % type(r).__name__)
                    pieces.append(r)
            else:
                for p in parts:
                    if isinstance(p, int):
                        v = m.group(p)
                        if v is not None:
                            pieces.append(v)
                    else:
                        pieces.append(p)
            last = b
            n += 1
        pieces.append(string[last:])
        empty = b'' if self._bytes else ''
        if self._bytes:
            _text(string, True)
        return empty.join(pieces), n

    def sub(self, repl, string, count=0):
        return self.subn(repl, string, count)[0]

    def scanner(self, string, pos=0, endpos=None):
        raise NotImplementedError('Pattern.scanner')


def _global_flags(text, isbytes):
    # The flags of leading (?aiLmsux) groups (and of any elsewhere: python3 rejects those).
    letters = {'a': 256, 'i': 2, 'L': 4, 'm': 8, 's': 16, 'u': 32, 'x': 64}
    flags = 0
    i = 0
    while text.startswith('(?', i):
        j = i + 2
        f = 0
        while j < len(text) and text[j] in letters:
            f |= letters[text[j]]
            j += 1
        if j < len(text) and text[j] == ')' and j > i + 2:
            flags |= f
            i = j + 1
        else:
            break
    return flags


def _mappingproxy(d):
    import types
    return types.MappingProxyType(dict(d))


def _parse_template(repl, pattern):
    isbytes = pattern._bytes
    if isbytes:
        if not isinstance(repl, (bytes, bytearray)):
            raise TypeError('expected a bytes-like object, %s found' % type(repl).__name__)
        t = bytes(repl).decode('latin-1')
    else:
        if not isinstance(repl, str):
            raise TypeError('decoding to str: need a bytes-like object, %s found'
                            % type(repl).__name__)
        t = repl
    parts = []
    lit = []
    i = 0
    n = len(t)
    groups = pattern.groups
    index = pattern.groupindex

    def flush():
        if lit:
            s = ''.join(lit)
            parts.append(s.encode('latin-1') if isbytes else s)
            del lit[:]

    while i < n:
        c = t[i]
        if c != '\\':
            lit.append(c)
            i += 1
            continue
        start = i
        i += 1
        if i >= n:
            raise error('bad escape (end of pattern)', repl, start)
        c = t[i]
        i += 1
        if c == 'g':
            if i >= n or t[i] != '<':
                raise error('missing <', repl, i)
            i += 1
            j = t.find('>', i)
            if j < 0:
                if i >= n:
                    raise error('missing group name', repl, i)
                raise error('missing >, unterminated name', repl, i)
            name = t[i:j]
            if not name:
                raise error('missing group name', repl, i)
            if name.isdigit() and name.isascii():
                g = int(name)
                if g > groups:
                    raise error('invalid group reference %d' % g, repl, i)
            elif name.isidentifier():
                if name not in index:
                    raise IndexError('unknown group name %r' % name)
                g = index[name]
            else:
                raise error('bad character in group name %r' % name, repl, i)
            i = j + 1
            flush()
            parts.append(g)
        elif c == '0':
            v = c
            while len(v) < 3 and i < n and t[i] in _OCT:
                v += t[i]
                i += 1
            lit.append(chr(int(v, 8)))
        elif c in _DIGITS:
            v = c
            if i < n and t[i] in _DIGITS:
                if c in _OCT and t[i] in _OCT and i + 1 < n and t[i + 1] in _OCT:
                    v = t[i - 1:i + 2]
                    i += 2
                    code = int(v, 8)
                    if code > 255:
                        raise error('octal escape value \\%s outside of range 0-0o377' % v,
                                    repl, start)
                    lit.append(chr(code))
                    continue
                v += t[i]
                i += 1
            g = int(v)
            if g > groups:
                raise error('invalid group reference %d' % g, repl, start + 1)
            flush()
            parts.append(g)
        elif c in _ESC:
            lit.append(_ESC[c])
        elif c in _ASCIILETTERS:
            raise error('bad escape \\' + c, repl, start)
        else:
            lit.append('\\' + c)
    flush()
    return parts


class Match:
    """The result of a successful match: the groups' spans over the subject string."""

    __slots__ = ('re', 'string', 'pos', 'endpos', 'lastindex', '_marks', '_text')

    def __init__(self, pattern, string, text, marks, lastindex, pos, endpos):
        self.re = pattern
        self.string = string
        self.pos = pos
        self.endpos = endpos
        self._marks = marks
        self.lastindex = None if lastindex < 0 else lastindex

    @property
    def lastgroup(self):
        li = self.lastindex
        if li is None:
            return None
        for name, g in self.re.groupindex.items():
            if g == li:
                return name
        return None

    @property
    def regs(self):
        return tuple(self.span(g) for g in range(self.re.groups + 1))

    def _index(self, g):
        if isinstance(g, int) and not isinstance(g, bool) or isinstance(g, bool):
            if 0 <= g <= self.re.groups:
                return int(g)
            raise IndexError('no such group')
        if isinstance(g, (str, bytes)):
            try:
                return self.re.groupindex[g]
            except (KeyError, TypeError):
                raise IndexError('no such group') from None
        if hasattr(type(g), '__index__'):
            return self._index(g.__index__())
        raise IndexError('no such group')

    def _get(self, g, default=None):
        i = self._index(g)
        a = self._marks[2 * i]
        b = self._marks[2 * i + 1]
        if a < 0 or b < 0:
            return default
        return self.string[a:b]

    def group(self, *args):
        if not args:
            return self._get(0)
        if len(args) == 1:
            return self._get(args[0])
        return tuple(self._get(g) for g in args)

    def __getitem__(self, g):
        return self._get(g)

    def groups(self, default=None):
        return tuple(self._get(i, default) for i in range(1, self.re.groups + 1))

    def groupdict(self, default=None):
        return {name: self._get(g, default) for name, g in self.re.groupindex.items()}

    def start(self, group=0):
        return self._marks[2 * self._index(group)]

    def end(self, group=0):
        return self._marks[2 * self._index(group) + 1]

    def span(self, group=0):
        i = self._index(group)
        return (self._marks[2 * i], self._marks[2 * i + 1])

    def expand(self, template):
        parts = _parse_template(template, self.re)
        out = []
        for p in parts:
            if isinstance(p, int):
                v = self._get(p)
                if v is not None:
                    out.append(v)
            else:
                out.append(p)
        return (b'' if self.re._bytes else '').join(out)

    def __repr__(self):
        return '<re.Match object; span=(%d, %d), match=%s>' % (
            self._marks[0], self._marks[1], repr(self.group(0))[:50])

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __class_getitem__(cls, item):
        return cls


Pattern.__module__ = 're'
Match.__module__ = 're'
RegexFlag.__module__ = 're'


def compile(pattern, flags=0):
    """Compile a regular expression pattern, returning a Pattern object."""
    return _compile(pattern, flags)


def match(pattern, string, flags=0):
    """Try to apply the pattern at the start of the string, returning a Match or None."""
    return _compile(pattern, flags).match(string)


def fullmatch(pattern, string, flags=0):
    """Try to apply the pattern to all of the string, returning a Match or None."""
    return _compile(pattern, flags).fullmatch(string)


def search(pattern, string, flags=0):
    """Scan through string looking for a match to the pattern, returning a Match or None."""
    return _compile(pattern, flags).search(string)


def sub(pattern, repl, string, count=0, flags=0):
    """Return the string with the leftmost non-overlapping occurrences replaced by repl."""
    return _compile(pattern, flags).sub(repl, string, count)


def subn(pattern, repl, string, count=0, flags=0):
    """Return (new_string, number_of_subs_made), as sub does."""
    return _compile(pattern, flags).subn(repl, string, count)


def split(pattern, string, maxsplit=0, flags=0):
    """Split the string by the occurrences of the pattern."""
    return _compile(pattern, flags).split(string, maxsplit)


def findall(pattern, string, flags=0):
    """Return a list of all non-overlapping matches in the string."""
    return _compile(pattern, flags).findall(string)


def finditer(pattern, string, flags=0):
    """Return an iterator over all non-overlapping matches in the string."""
    return _compile(pattern, flags).finditer(string)


def purge():
    """Clear the regular expression cache."""
    _cache.clear()


_special_chars = {i: '\\' + chr(i) for i in b'()[]{}?*+-|^$\\.&~# \t\n\r\v\f'}


def escape(pattern):
    """Escape special characters in a string."""
    if isinstance(pattern, str):
        return pattern.translate(_special_chars)
    pattern = str(pattern, 'latin1')
    return pattern.translate(_special_chars).encode('latin1')
`;

/** The file name the module's code and tracebacks carry. */
const FILENAME = "<re>";

/** The module's code, shared by every interpreter (read at the first import). */
let compiled: CodeUnit | undefined;

/**
 * The module's source compiled and serialized: what scripts/precompile.ts stores in
 * re-module.compiled.ts.
 */
export function precompiledRe(): string {
  return precompileSource(SOURCE, FILENAME);
}

/** The `re` module (a new reference): its Python source run in its namespace. */
export function reModule(b: Protocols): Ref {
  compiled ??= deserializeCode(RE_COMPILED);
  return pythonModule(b, { name: "re", filename: FILENAME, source: SOURCE }, compiled);
}
