// The `traceback` module, as Python code over four natives: the entry the interpreter prints
// for one traceback object (`  File "…", line N, in f`, the source line and its carets), the
// `ValueError: message` lines after a traceback, a source line, and the source positions of a
// traceback entry's instruction (a FrameSummary's `colno` and `end_colno`). `print_exc`,
// `format_exc`, `print_exception`, `format_exception`, `format_exception_only`, `print_tb`,
// `format_tb`, `extract_tb`, `extract_stack`, `print_stack`, `format_stack`, `format_list`,
// `walk_tb`, `walk_stack`, `FrameSummary`, `StackSummary` and `TracebackException` follow
// Lib/traceback.py, so their text is what an uncaught exception prints (chained exceptions'
// "During handling …" lines too).

import type { Ref } from "@mm/runtime";
import type { CodeUnit } from "../compile/code.js";
import { deserializeCode } from "../compile/serialize.js";
import type { Host, Protocols } from "./host.js";
import { FrameObj, Traceback } from "./layouts.js";
import { precompileSource, pythonModule } from "./python-module.js";
import { TRACEBACK_COMPILED } from "./traceback-module.compiled.js";

/** The module's Python source. */
const SOURCE = `"""Extract, format and print information about Python stack traces."""

import sys

__all__ = ["extract_stack", "extract_tb", "format_exception", "format_exception_only",
           "format_list", "format_stack", "format_tb", "print_exc", "format_exc",
           "print_exception", "print_last", "print_stack", "print_tb", "clear_frames",
           "FrameSummary", "StackSummary", "TracebackException", "walk_stack", "walk_tb"]

_cause_message = ("\\nThe above exception was the direct cause "
                  "of the following exception:\\n\\n")

_context_message = ("\\nDuring handling of the above exception, "
                    "another exception occurred:\\n\\n")

_RECURSIVE_CUTOFF = 3

_sentinel = object()


class FrameSummary:
    """Information about a single frame from a traceback."""

    __slots__ = ("filename", "lineno", "end_lineno", "colno", "end_colno", "name", "_line",
                 "locals", "_entry")

    def __init__(self, filename, lineno, name, *, lookup_line=True, locals=None, line=None,
                 end_lineno=None, colno=None, end_colno=None):
        self.filename = filename
        self.lineno = lineno
        self.name = name
        self._line = line
        self._entry = None
        self.end_lineno = end_lineno
        self.colno = colno
        self.end_colno = end_colno
        if lookup_line:
            self.line
        self.locals = {k: repr(v) for k, v in locals.items()} if locals else None

    def __eq__(self, other):
        if isinstance(other, FrameSummary):
            return (self.filename == other.filename and self.lineno == other.lineno and
                    self.name == other.name and self.locals == other.locals)
        if isinstance(other, tuple):
            return (self.filename, self.lineno, self.name, self.line) == other
        return NotImplemented

    def __getitem__(self, pos):
        return (self.filename, self.lineno, self.name, self.line)[pos]

    def __iter__(self):
        return iter([self.filename, self.lineno, self.name, self.line])

    def __repr__(self):
        return "<FrameSummary file {filename}, line {lineno} in {name}>".format(
            filename=self.filename, lineno=self.lineno, name=self.name)

    def __len__(self):
        return 4

    @property
    def _original_line(self):
        self.line
        return self._line

    @property
    def line(self):
        if self._line is None:
            if self.lineno is None:
                return None
            self._line = _source_line(self.filename, self.lineno)
        return self._line.strip()


def walk_stack(f):
    """Walk a stack yielding the frame and line number for each frame."""
    if f is None:
        f = sys._getframe().f_back.f_back
    while f is not None:
        yield f, f.f_lineno
        f = f.f_back


def walk_tb(tb):
    """Walk a traceback yielding the frame and line number for each frame."""
    while tb is not None:
        yield tb.tb_frame, tb.tb_lineno
        tb = tb.tb_next


def _limited(items, limit, newest_last):
    if limit is None:
        limit = getattr(sys, "tracebacklimit", None)
        if limit is not None and limit < 0:
            limit = 0
    if limit is None:
        return items
    if limit >= 0:
        return items[-limit:] if newest_last and limit else items[:limit] if not newest_last else []
    return items[:-limit] if newest_last else items[limit:]


class StackSummary(list):
    """A list of FrameSummary objects, representing a stack of frames."""

    @classmethod
    def extract(klass, frame_gen, *, limit=None, lookup_lines=True, capture_locals=False):
        result = klass()
        for f, lineno in frame_gen:
            co = f.f_code
            result.append(FrameSummary(co.co_filename, lineno, co.co_name,
                                       lookup_line=lookup_lines,
                                       locals=f.f_locals if capture_locals else None))
        return result

    @classmethod
    def from_list(klass, a_list):
        result = StackSummary()
        for frame in a_list:
            if isinstance(frame, FrameSummary):
                result.append(frame)
            else:
                filename, lineno, name, line = frame
                result.append(FrameSummary(filename, lineno, name, line=line))
        return result

    def format_frame_summary(self, frame_summary):
        if frame_summary._entry is not None and frame_summary.locals is None:
            return frame_summary._entry
        row = ['  File "{}", line {}, in {}\\n'.format(
            frame_summary.filename, frame_summary.lineno, frame_summary.name)]
        if frame_summary.line:
            row.append("    {}\\n".format(frame_summary.line.strip()))
        if frame_summary.locals:
            for name, value in sorted(frame_summary.locals.items()):
                row.append("    {name} = {value}\\n".format(name=name, value=value))
        return "".join(row)

    def format(self):
        result = []
        last_file = None
        last_line = None
        last_name = None
        count = 0
        for frame_summary in self:
            formatted = self.format_frame_summary(frame_summary)
            if formatted is None:
                continue
            if (last_file is None or last_file != frame_summary.filename or
                    last_line is None or last_line != frame_summary.lineno or
                    last_name is None or last_name != frame_summary.name):
                if count > _RECURSIVE_CUTOFF:
                    count -= _RECURSIVE_CUTOFF
                    result.append("  [Previous line repeated {count} more time{s_count}]\\n"
                                  .format(count=count, s_count="s" if count > 1 else ""))
                last_file = frame_summary.filename
                last_line = frame_summary.lineno
                last_name = frame_summary.name
                count = 0
            count += 1
            if count > _RECURSIVE_CUTOFF:
                continue
            result.append(formatted)
        if count > _RECURSIVE_CUTOFF:
            count -= _RECURSIVE_CUTOFF
            result.append("  [Previous line repeated {count} more time{s_count}]\\n"
                          .format(count=count, s_count="s" if count > 1 else ""))
        return result


def extract_tb(tb, limit=None):
    """Return a StackSummary of the entries of traceback tb (up to limit of them)."""
    tbs = []
    while tb is not None:
        tbs.append(tb)
        tb = tb.tb_next
    result = StackSummary()
    for t in _limited(tbs, limit, False):
        co = t.tb_frame.f_code
        lineno, end_lineno, colno, end_colno = _positions(t)
        fs = FrameSummary(co.co_filename, lineno, co.co_name, end_lineno=end_lineno,
                          colno=colno, end_colno=end_colno)
        fs._entry = _entry(t)
        result.append(fs)
    return result


def extract_stack(f=None, limit=None):
    """Extract the raw traceback from the current stack frame."""
    if f is None:
        f = sys._getframe().f_back
    frames = []
    while f is not None:
        frames.append((f, f.f_lineno))
        f = f.f_back
    frames.reverse()
    stack = StackSummary.extract(_limited(frames, limit, True))
    return stack


def format_list(extracted_list):
    """Format a list of FrameSummary objects or (filename, lineno, name, line) tuples."""
    return StackSummary.from_list(extracted_list).format()


def print_list(extracted_list, file=None):
    """Print the list of tuples as returned by extract_tb() or extract_stack()."""
    if file is None:
        file = sys.stderr
    for item in StackSummary.from_list(extracted_list).format():
        print(item, file=file, end="")


def print_tb(tb, limit=None, file=None):
    """Print up to 'limit' stack trace entries from the traceback 'tb'."""
    print_list(extract_tb(tb, limit=limit), file=file)


def format_tb(tb, limit=None):
    """A shorthand for 'format_list(extract_tb(tb, limit))'."""
    return extract_tb(tb, limit=limit).format()


def print_stack(f=None, limit=None, file=None):
    """Print a stack trace from its invocation point."""
    if f is None:
        f = sys._getframe().f_back
    print_list(extract_stack(f, limit=limit), file=file)


def format_stack(f=None, limit=None):
    """Shorthand for 'format_list(extract_stack(f, limit))'."""
    if f is None:
        f = sys._getframe().f_back
    return format_list(extract_stack(f, limit=limit))


def _parse_value_tb(exc, value, tb):
    if (value is _sentinel) != (tb is _sentinel):
        raise ValueError("Both or neither of value and tb must be given")
    if value is tb is _sentinel:
        if exc is not None:
            if isinstance(exc, BaseException):
                return exc, exc.__traceback__
            raise TypeError(f"Exception expected for value, {type(exc).__name__} found")
        return None, None
    return value, tb


def format_exception_only(exc, /, value=_sentinel):
    """Format the exception part of a traceback."""
    if value is _sentinel:
        value = exc
    if value is None:
        return ["NoneType: None\\n"]
    text = _only(value)
    # The interpreter's report names a __main__ class with its module; this one does not.
    if type(value).__module__ == "__main__" and text.startswith("__main__."):
        text = text[len("__main__."):]
    lines = text.splitlines(True) if isinstance(value, SyntaxError) else [text]
    notes = getattr(value, "__notes__", None)
    if _is_sequence(notes):
        for note in notes:
            note = _safe_string(note, "note")
            lines.extend([line + "\\n" for line in note.split("\\n")])
    elif notes is not None:
        lines.append(_safe_string(notes, "__notes__", func=repr))
    return lines


def _is_sequence(value):
    """isinstance(value, collections.abc.Sequence), without importing collections.abc: the
    built-in sequences, deque, and what the program made a Sequence once it imported it."""
    if isinstance(value, (list, tuple, str, bytes, bytearray, range, memoryview)):
        return True
    collections = sys.modules.get("collections")
    if collections is not None and isinstance(value, collections.deque):
        return True
    abc = sys.modules.get("collections.abc")
    return abc is not None and isinstance(value, abc.Sequence)


def _safe_string(value, what, func=str):
    try:
        return func(value)
    except:
        return f"<{what} {func.__name__}() failed>"


def _format_chain(value, tb, limit, chain, seen, out):
    seen.add(id(value))
    if chain:
        cause = value.__cause__
        context = value.__context__
        if cause is not None and id(cause) not in seen:
            _format_chain(cause, cause.__traceback__, limit, chain, seen, out)
            out.append(_cause_message)
        elif (context is not None and not value.__suppress_context__ and
              id(context) not in seen):
            _format_chain(context, context.__traceback__, limit, chain, seen, out)
            out.append(_context_message)
    if tb is not None:
        stack = extract_tb(tb, limit)
        if stack:
            out.append("Traceback (most recent call last):\\n")
            out.extend(stack.format())
    out.extend(format_exception_only(value))


def _has_group(value, chain):
    """Whether value or (with chain) an exception chained to it is an exception group."""
    seen = set()
    while value is not None and id(value) not in seen:
        if isinstance(value, BaseExceptionGroup):
            return True
        if not chain:
            return False
        seen.add(id(value))
        if value.__cause__ is not None:
            value = value.__cause__
        elif value.__suppress_context__:
            return False
        else:
            value = value.__context__
    return False


def format_exception(exc, /, value=_sentinel, tb=_sentinel, limit=None, chain=True):
    """Format a stack trace and the exception information."""
    value, tb = _parse_value_tb(exc, value, tb)
    if value is None:
        return ["NoneType: None\\n"]
    if _has_group(value, chain):
        return list(TracebackException(type(value), value, tb, limit=limit,
                                       compact=True).format(chain=chain))
    out = []
    _format_chain(value, tb, limit, chain, set(), out)
    return out


def print_exception(exc, /, value=_sentinel, tb=_sentinel, limit=None, file=None, chain=True):
    """Print exception up to 'limit' stack trace entries from 'tb' to 'file'."""
    value, tb = _parse_value_tb(exc, value, tb)
    if file is None:
        file = sys.stderr
    for line in format_exception(value, value, tb, limit=limit, chain=chain) if value is not None \\
            else ["NoneType: None\\n"]:
        print(line, file=file, end="")


def print_exc(limit=None, file=None, chain=True):
    """Shorthand for 'print_exception(*sys.exc_info(), limit, file)'."""
    print_exception(*sys.exc_info(), limit=limit, file=file, chain=chain)


def format_exc(limit=None, chain=True):
    """Like print_exc() but return a string."""
    return "".join(format_exception(*sys.exc_info(), limit=limit, chain=chain))


def print_last(limit=None, file=None, chain=True):
    """This is a shorthand for 'print_exception(sys.last_type, sys.last_value, sys.last_traceback, limit, file)'."""
    if not hasattr(sys, "last_type"):
        raise ValueError("no last exception")
    print_exception(sys.last_type, sys.last_value, sys.last_traceback, limit, file, chain)


class TracebackException:
    """An exception ready for rendering: its type, its text, its traceback as a StackSummary and
    the exceptions chained to it, taken when it is made (the exception itself is not kept)."""

    def __init__(self, exc_type, exc_value, exc_traceback, *, limit=None, lookup_lines=True,
                 capture_locals=False, compact=False, max_group_width=15, max_group_depth=10,
                 _seen=None):
        nested = _seen is not None
        if _seen is None:
            _seen = set()
        _seen.add(id(exc_value))
        self.stack = extract_tb(exc_traceback, limit=limit)
        self.exc_type = exc_type
        try:
            self._str = str(exc_value)
        except Exception:
            self._str = "<exception str() failed>"
        self.__notes__ = getattr(exc_value, "__notes__", None)
        self._lines = (format_exception_only(exc_value) if exc_type is not None
                       else ["NoneType: None\\n"])
        if exc_type is not None and issubclass(exc_type, SyntaxError):
            self.filename = exc_value.filename
            lno = exc_value.lineno
            self.lineno = str(lno) if lno is not None else None
            end_lno = exc_value.end_lineno
            self.end_lineno = str(end_lno) if end_lno is not None else None
            self.text = exc_value.text
            self.offset = exc_value.offset
            self.end_offset = exc_value.end_offset
            self.msg = exc_value.msg
        if lookup_lines:
            for frame in self.stack:
                frame.line
        self.__suppress_context__ = (
            exc_value.__suppress_context__ if exc_value is not None else False)
        self.max_group_width = max_group_width
        self.max_group_depth = max_group_depth
        self.__cause__ = None
        self.__context__ = None
        self.exceptions = None
        if nested:
            return
        # The chained exceptions and a group's members, taken from a stack (the last added
        # first), each made without its own; one met before is not taken again.
        options = dict(limit=limit, lookup_lines=lookup_lines, capture_locals=capture_locals,
                       max_group_width=max_group_width, max_group_depth=max_group_depth,
                       _seen=_seen)
        pending = [(self, exc_value)]
        while pending:
            te, e = pending.pop()
            cause = None
            if e is not None and e.__cause__ is not None and id(e.__cause__) not in _seen:
                c = e.__cause__
                cause = TracebackException(type(c), c, c.__traceback__, **options)
            need_context = (not compact or
                            (cause is None and e is not None and not e.__suppress_context__))
            context = None
            if (e is not None and e.__context__ is not None and need_context and
                    id(e.__context__) not in _seen):
                c = e.__context__
                context = TracebackException(type(c), c, c.__traceback__, **options)
            exceptions = None
            if isinstance(e, BaseExceptionGroup):
                exceptions = [TracebackException(type(x), x, x.__traceback__, **options)
                              for x in e.exceptions]
            te.__cause__ = cause
            te.__context__ = context
            te.exceptions = exceptions
            if cause is not None:
                pending.append((cause, e.__cause__))
            if context is not None:
                pending.append((context, e.__context__))
            if exceptions:
                pending.extend(zip(exceptions, e.exceptions))

    @classmethod
    def from_exception(cls, exc, *args, **kwargs):
        """Create a TracebackException from an exception."""
        return cls(type(exc), exc, exc.__traceback__, *args, **kwargs)

    def __eq__(self, other):
        if isinstance(other, TracebackException):
            return self.__dict__ == other.__dict__
        return NotImplemented

    def __str__(self):
        return self._str

    def format_exception_only(self):
        """Format the exception part of the traceback: its type and message lines."""
        yield from self._lines

    def format(self, *, chain=True, _ctx=None):
        """Format the exception, its traceback and (with chain) the exceptions before it; a
        group's members follow it, each in a box, indented by how deep the group is."""
        if _ctx is None:
            _ctx = _PrintContext()
        output = []
        exc = self
        while exc is not None:
            if not chain:
                output.append((None, exc))
                break
            if exc.__cause__ is not None:
                msg, nxt = _cause_message, exc.__cause__
            elif exc.__context__ is not None and not exc.__suppress_context__:
                msg, nxt = _context_message, exc.__context__
            else:
                msg, nxt = None, None
            output.append((msg, exc))
            exc = nxt
        for msg, exc in reversed(output):
            if msg is not None:
                yield _ctx.emit(msg)
            if exc.exceptions is None:
                if exc.stack:
                    yield _ctx.emit("Traceback (most recent call last):\\n")
                    yield from map(_ctx.emit, exc.stack.format())
                yield from map(_ctx.emit, exc.format_exception_only())
            elif _ctx.depth > self.max_group_depth:
                yield _ctx.emit(f"... (max_group_depth is {self.max_group_depth})\\n")
            else:
                top = _ctx.depth == 0
                if top:
                    _ctx.depth += 1
                if exc.stack:
                    yield _ctx.emit("Exception Group Traceback (most recent call last):\\n",
                                    "+" if top else "|")
                    yield from map(_ctx.emit, exc.stack.format())
                yield from map(_ctx.emit, exc.format_exception_only())
                count = len(exc.exceptions)
                shown = count if count <= self.max_group_width else self.max_group_width + 1
                _ctx.need_close = False
                for i in range(shown):
                    last = i == shown - 1
                    if last:
                        _ctx.need_close = True
                    truncated = i >= self.max_group_width
                    title = "..." if truncated else str(i + 1)
                    yield (_ctx.indent() + ("+-" if i == 0 else "  ") +
                           f"+---------------- {title} ----------------\\n")
                    _ctx.depth += 1
                    if not truncated:
                        yield from exc.exceptions[i].format(chain=chain, _ctx=_ctx)
                    else:
                        more = count - self.max_group_width
                        yield _ctx.emit(f"and {more} more exception{'s' if more > 1 else ''}\\n")
                    if last and _ctx.need_close:
                        yield _ctx.indent() + "+------------------------------------\\n"
                        _ctx.need_close = False
                    _ctx.depth -= 1
                if top:
                    _ctx.depth = 0

    def print(self, *, file=None, chain=True):
        """Print the result of self.format(chain=chain) to 'file' (sys.stderr by default)."""
        if file is None:
            file = sys.stderr
        for line in self.format(chain=chain):
            print(line, file=file, end="")


class _PrintContext:
    """How deep in groups TracebackException.format is, and whether a box is left open."""

    def __init__(self):
        self.depth = 0
        self.need_close = False

    def indent(self):
        return " " * (2 * self.depth)

    def emit(self, text, margin="|"):
        """text with the indent and margin of the depth before each of its lines."""
        if not self.depth:
            return text
        prefix = self.indent() + margin + " "
        return "".join(prefix + line for line in text.splitlines(True))


def clear_frames(tb):
    """Clear all references to local variables in the frames of a traceback."""
    while tb is not None:
        tb = tb.tb_next
`;

/** The file name the module's code and tracebacks carry. */
const FILENAME = "<traceback>";

/** The module's code, shared by every interpreter (read at the first import). */
let compiled: CodeUnit | undefined;

/**
 * The module's source compiled and serialized: what scripts/precompile.ts stores in
 * traceback-module.compiled.ts.
 */
export function precompiledTraceback(): string {
  return precompileSource(SOURCE, FILENAME);
}

/**
 * The `co_positions()` entry of a traceback object's instruction, as 3.11's
 * `_walk_tb_with_full_positions` reads it: the line (`tb_lineno` where the instruction has
 * none), the end line, and the columns as UTF-8 byte offsets into their lines; None for what
 * the instruction does not know.
 */
function tracebackPositions(
  vm: Host,
  tb: Ref,
): [number, number | null, number | null, number | null] {
  const py = vm.py;
  const u32 = py.memory.u32;
  const line = u32[(tb + Traceback.lineno) >>> 2]!;
  const frame = py.getRef(tb, Traceback.frame);
  const unit = vm.codes.get(py.getRef(frame, FrameObj.code))?.unit;
  const at = u32[(tb + Traceback.lasti) >>> 2]!;
  if (!unit || at >= unit.length || unit.lines[at]! < 0) return [line, null, null, null];
  const endLine = unit.endLines[at]!;
  const utf8 = (lineNo: number, col: number): number | null => {
    if (col < 0) return null;
    const text = vm.sourceLine(unit.filename, lineNo);
    return text === undefined ? col : new TextEncoder().encode(text.slice(0, col)).length;
  };
  return [
    unit.lines[at]!,
    endLine < 0 ? null : endLine,
    utf8(unit.lines[at]!, unit.cols[at]!),
    endLine < 0 ? null : utf8(endLine, unit.endCols[at]!),
  ];
}

/**
 * The `traceback` module (a new reference): `_entry` (one traceback object's entry, as an
 * uncaught exception's traceback prints it), `_only` (the exception's own lines) and
 * `_source_line` defined, then its Python source run in its namespace.
 */
export function tracebackModule(b: Protocols): Ref {
  compiled ??= deserializeCode(TRACEBACK_COMPILED);
  const vm: Host = b.vm;
  const py = vm.py;
  return pythonModule(
    b,
    {
      name: "traceback",
      filename: FILENAME,
      source: SOURCE,
      natives: {
        _entry: (a) => {
          if (vm.kindOf(a[0]!) !== "traceback")
            vm.raise("TypeError", "expected a traceback object");
          return py.str(b.tracebackEntry(a[0]!));
        },
        _only: (a) => py.str(b.exceptionOnly(a[0]!)),
        _positions: (a) => {
          if (vm.kindOf(a[0]!) !== "traceback")
            vm.raise("TypeError", "expected a traceback object");
          const [line, endLine, col, endCol] = tracebackPositions(vm, a[0]!);
          const n = (v: number | null) => (v === null ? py.newRef(py.none) : py.int(v));
          const items = [py.int(line), n(endLine), n(col), n(endCol)];
          const tuple = py.tuple(items);
          for (const i of items) py.decref(i);
          return tuple;
        },
        _source_line: (a) => {
          const line =
            vm.kindOf(a[0]!) === "str" && vm.kindOf(a[1]!) === "int"
              ? vm.sourceLine(py.strValue(a[0]!), Number(vm.intOf(a[1]!)))
              : undefined;
          return py.str(line === undefined ? "" : `${line}\n`);
        },
      },
    },
    compiled,
  );
}
