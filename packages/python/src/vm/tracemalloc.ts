// The `tracemalloc` module. As in CPython it is two layers: native functions over the
// runtime's tracer (start, stop, the traced memory, and `_get_traces`, the raw traces as
// tuples) and Python code over them (`take_snapshot`, `Snapshot`, `Statistic`,
// `StatisticDiff`, `Traceback`, `Frame`, `Trace`, `Filter`, `DomainFilter`), run over the
// interpreter, so a snapshot, its statistics and its diffs are heap objects a program can
// measure, and they group, sort and print as CPython's do.

import type { Ref } from "@mm/runtime";
import type { CodeUnit } from "../compile/code.js";
import { deserializeCode } from "../compile/serialize.js";
import type { Host, Protocols } from "./host.js";
import { ModuleObj } from "./layouts.js";
import { precompileSource, runModuleCode } from "./python-module.js";
import { TRACEMALLOC_COMPILED } from "./tracemalloc.compiled.js";
import type { BuiltinFn } from "./types.js";

/** The module's Python source. */
const SOURCE = `"""Trace memory blocks: snapshots of where the live blocks were allocated."""


def _format_size(size, sign):
    # At most three significant digits and a binary unit, as the statistics print sizes.
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(size) < 100 and unit != "B":
            return ("%+.1f %s" if sign else "%.1f %s") % (size, unit)
        if abs(size) < 10 * 1024 or unit == "TiB":
            return ("%+.0f %s" if sign else "%.0f %s") % (size, unit)
        size /= 1024


class Statistic:
    """Blocks grouped by traceback: their total size and count."""

    __slots__ = ("traceback", "size", "count")

    def __init__(self, traceback, size, count):
        self.traceback = traceback
        self.size = size
        self.count = count

    def __hash__(self):
        return hash((self.traceback, self.size, self.count))

    def __eq__(self, other):
        if not isinstance(other, Statistic):
            return NotImplemented
        return (self.traceback == other.traceback and self.size == other.size
                and self.count == other.count)

    def __str__(self):
        text = "%s: size=%s, count=%i" % (self.traceback, _format_size(self.size, False),
                                           self.count)
        if self.count:
            text += ", average=%s" % _format_size(self.size / self.count, False)
        return text

    def __repr__(self):
        return "<Statistic traceback=%r size=%i count=%i>" % (self.traceback, self.size,
                                                               self.count)

    def _sort_key(self):
        return (self.size, self.count, self.traceback)


class StatisticDiff:
    """A group's size and count in a new snapshot and their change since an old one."""

    __slots__ = ("traceback", "size", "size_diff", "count", "count_diff")

    def __init__(self, traceback, size, size_diff, count, count_diff):
        self.traceback = traceback
        self.size = size
        self.size_diff = size_diff
        self.count = count
        self.count_diff = count_diff

    def __hash__(self):
        return hash((self.traceback, self.size, self.size_diff, self.count, self.count_diff))

    def __eq__(self, other):
        if not isinstance(other, StatisticDiff):
            return NotImplemented
        return (self.traceback == other.traceback and self.size == other.size
                and self.size_diff == other.size_diff and self.count == other.count
                and self.count_diff == other.count_diff)

    def __str__(self):
        text = "%s: size=%s (%s), count=%i (%+i)" % (
            self.traceback, _format_size(self.size, False), _format_size(self.size_diff, True),
            self.count, self.count_diff)
        if self.count:
            text += ", average=%s" % _format_size(self.size / self.count, False)
        return text

    def __repr__(self):
        return "<StatisticDiff traceback=%r size=%i (%+i) count=%i (%+i)>" % (
            self.traceback, self.size, self.size_diff, self.count, self.count_diff)

    def _sort_key(self):
        return (abs(self.size_diff), self.size, abs(self.count_diff), self.count,
                self.traceback)


def _compare_grouped_stats(old_group, new_group):
    statistics = []
    for traceback, stat in new_group.items():
        previous = old_group.pop(traceback, None)
        if previous is None:
            diff = StatisticDiff(traceback, stat.size, stat.size, stat.count, stat.count)
        else:
            diff = StatisticDiff(traceback, stat.size, stat.size - previous.size, stat.count,
                                 stat.count - previous.count)
        statistics.append(diff)
    for traceback, stat in old_group.items():
        statistics.append(StatisticDiff(traceback, 0, -stat.size, 0, -stat.count))
    return statistics


class _Ordered:
    # Frame and Traceback compare by one value (a frame tuple, a tuple of them) with instances
    # of their own class; the comparisons besides == and < follow from those two.
    __slots__ = ()

    def __eq__(self, other):
        if not isinstance(other, self._same):
            return NotImplemented
        return self._key() == other._key()

    def __lt__(self, other):
        if not isinstance(other, self._same):
            return NotImplemented
        return self._key() < other._key()

    def __gt__(self, other):
        if not isinstance(other, self._same):
            return NotImplemented
        return other._key() < self._key()

    def __le__(self, other):
        if not isinstance(other, self._same):
            return NotImplemented
        return self._key() <= other._key()

    def __ge__(self, other):
        if not isinstance(other, self._same):
            return NotImplemented
        return other._key() <= self._key()


class Frame(_Ordered):
    """One frame of a traceback: a file name and a line number."""

    __slots__ = ("_frame",)

    def __init__(self, frame):
        self._frame = frame

    def _key(self):
        return self._frame

    @property
    def filename(self):
        return self._frame[0]

    @property
    def lineno(self):
        return self._frame[1]

    def __hash__(self):
        return hash(self._frame)

    def __str__(self):
        return "%s:%s" % (self.filename, self.lineno)

    def __repr__(self):
        return "<Frame filename=%r lineno=%r>" % (self.filename, self.lineno)


class Traceback(_Ordered):
    """The frames a block was allocated under, the oldest first."""

    __slots__ = ("_frames", "_total_nframe")

    def __init__(self, frames, total_nframe=None):
        # The traces list the most recent frame first.
        self._frames = tuple(reversed(frames))
        self._total_nframe = total_nframe

    def _key(self):
        return self._frames

    @property
    def total_nframe(self):
        return self._total_nframe

    def __len__(self):
        return len(self._frames)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return tuple(Frame(frame) for frame in self._frames[index])
        return Frame(self._frames[index])

    def __iter__(self):
        for frame in self._frames:
            yield Frame(frame)

    def __reversed__(self):
        for frame in reversed(self._frames):
            yield Frame(frame)

    def __contains__(self, frame):
        return frame._frame in self._frames

    def __hash__(self):
        return hash(self._frames)

    def __str__(self):
        return str(self[0])

    def __repr__(self):
        text = "<Traceback %s" % (tuple(self),)
        if self._total_nframe is None:
            return text + ">"
        return text + " total_nframe=%s>" % self._total_nframe

    def format(self, limit=None, most_recent_first=False):
        if limit is None:
            frames = self
        elif limit > 0:
            frames = self[-limit:]
        else:
            frames = self[:limit]
        if most_recent_first:
            frames = reversed(frames)
        lines = []
        for frame in frames:
            lines.append('  File "%s", line %s' % (frame.filename, frame.lineno))
            line = _getline(frame.filename, frame.lineno).strip()
            if line:
                lines.append("    %s" % line)
        return lines


Frame._same = Frame
Traceback._same = Traceback


def get_object_traceback(obj):
    """Where obj's memory block was allocated, or None when it was not traced."""
    frames = _get_object_traceback(obj)
    if frames is None:
        return None
    return Traceback(frames)


class Trace:
    """One traced block: its domain, size and traceback."""

    __slots__ = ("_trace",)

    def __init__(self, trace):
        self._trace = trace

    @property
    def domain(self):
        return self._trace[0]

    @property
    def size(self):
        return self._trace[1]

    @property
    def traceback(self):
        return Traceback(*self._trace[2:])

    def __eq__(self, other):
        if not isinstance(other, Trace):
            return NotImplemented
        return self._trace == other._trace

    def __hash__(self):
        return hash(self._trace)

    def __str__(self):
        return "%s: %s" % (self.traceback, _format_size(self.size, False))

    def __repr__(self):
        return "<Trace domain=%s size=%s, traceback=%r>" % (
            self.domain, _format_size(self.size, False), self.traceback)


class _Traces:
    def __init__(self, traces):
        self._traces = traces

    def __len__(self):
        return len(self._traces)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return tuple(Trace(trace) for trace in self._traces[index])
        return Trace(self._traces[index])

    def __iter__(self):
        for trace in self._traces:
            yield Trace(trace)

    def __contains__(self, trace):
        return trace._trace in self._traces

    def __eq__(self, other):
        if not isinstance(other, _Traces):
            return NotImplemented
        return self._traces == other._traces

    def __repr__(self):
        return "<Traces len=%s>" % len(self)


def _normalize_filename(filename):
    if filename.endswith(".pyc"):
        filename = filename[:-1]
    return filename


class BaseFilter:
    def __init__(self, inclusive):
        self.inclusive = inclusive

    def _match(self, trace):
        raise NotImplementedError


class Filter(BaseFilter):
    """Keeps (inclusive) or drops the traces whose frame matches a file name pattern."""

    def __init__(self, inclusive, filename_pattern, lineno=None, all_frames=False,
                 domain=None):
        super().__init__(inclusive)
        self.inclusive = inclusive
        self._filename_pattern = _normalize_filename(filename_pattern)
        self.lineno = lineno
        self.all_frames = all_frames
        self.domain = domain

    @property
    def filename_pattern(self):
        return self._filename_pattern

    def _match_frame_impl(self, filename, lineno):
        if not _fnmatch(_normalize_filename(filename), self._filename_pattern):
            return False
        return self.lineno is None or lineno == self.lineno

    def _match_frame(self, filename, lineno):
        return self._match_frame_impl(filename, lineno) ^ (not self.inclusive)

    def _match_traceback(self, traceback):
        if self.all_frames:
            if any(self._match_frame_impl(filename, lineno) for filename, lineno in traceback):
                return self.inclusive
            return not self.inclusive
        filename, lineno = traceback[0]
        return self._match_frame(filename, lineno)

    def _match(self, trace):
        domain, size, traceback, total_nframe = trace
        res = self._match_traceback(traceback)
        if self.domain is not None:
            if self.inclusive:
                return res and domain == self.domain
            return res or domain != self.domain
        return res


class DomainFilter(BaseFilter):
    """Keeps (inclusive) or drops the traces of one address space domain."""

    def __init__(self, inclusive, domain):
        super().__init__(inclusive)
        self._domain = domain

    @property
    def domain(self):
        return self._domain

    def _match(self, trace):
        domain, size, traceback, total_nframe = trace
        return (domain == self.domain) ^ (not self.inclusive)


class Snapshot:
    """The traces of the blocks live when it was taken."""

    def __init__(self, traces, traceback_limit):
        self.traces = _Traces(traces)
        self.traceback_limit = traceback_limit

    def _filter_trace(self, include_filters, exclude_filters, trace):
        if include_filters and not any(f._match(trace) for f in include_filters):
            return False
        if exclude_filters and any(not f._match(trace) for f in exclude_filters):
            return False
        return True

    def filter_traces(self, filters):
        """A new snapshot of the traces the filters keep."""
        try:
            iter(filters)
        except TypeError:
            raise TypeError("filters must be a list of filters, not %s"
                            % type(filters).__name__) from None
        if filters:
            include_filters = []
            exclude_filters = []
            for trace_filter in filters:
                if trace_filter.inclusive:
                    include_filters.append(trace_filter)
                else:
                    exclude_filters.append(trace_filter)
            new_traces = [trace for trace in self.traces._traces
                          if self._filter_trace(include_filters, exclude_filters, trace)]
        else:
            new_traces = self.traces._traces.copy()
        return Snapshot(new_traces, self.traceback_limit)

    def _group_by(self, key_type, cumulative):
        if key_type not in ("traceback", "filename", "lineno"):
            raise ValueError("unknown key_type: %r" % (key_type,))
        if cumulative and key_type not in ("lineno", "filename"):
            raise ValueError("cumulative mode cannot by used with key type %r" % key_type)
        stats = {}
        tracebacks = {}
        if not cumulative:
            for trace in self.traces._traces:
                domain, size, trace_traceback, total_nframe = trace
                try:
                    traceback = tracebacks[trace_traceback]
                except KeyError:
                    if key_type == "traceback":
                        frames = trace_traceback
                    elif key_type == "lineno":
                        frames = trace_traceback[:1]
                    else:
                        frames = ((trace_traceback[0][0], 0),)
                    traceback = Traceback(frames)
                    tracebacks[trace_traceback] = traceback
                try:
                    stat = stats[traceback]
                    stat.size += size
                    stat.count += 1
                except KeyError:
                    stats[traceback] = Statistic(traceback, size, 1)
        else:
            # Every frame of a trace counts its block.
            for trace in self.traces._traces:
                domain, size, trace_traceback, total_nframe = trace
                for frame in trace_traceback:
                    try:
                        traceback = tracebacks[frame]
                    except KeyError:
                        frames = (frame,) if key_type == "lineno" else ((frame[0], 0),)
                        traceback = Traceback(frames)
                        tracebacks[frame] = traceback
                    try:
                        stat = stats[traceback]
                        stat.size += size
                        stat.count += 1
                    except KeyError:
                        stats[traceback] = Statistic(traceback, size, 1)
        return stats

    def statistics(self, key_type, cumulative=False):
        """The groups by 'lineno', 'filename' or 'traceback', the biggest first."""
        statistics = list(self._group_by(key_type, cumulative).values())
        statistics.sort(reverse=True, key=Statistic._sort_key)
        return statistics

    def compare_to(self, old_snapshot, key_type, cumulative=False):
        """Each group's change since old_snapshot, the biggest change first."""
        new_group = self._group_by(key_type, cumulative)
        old_group = old_snapshot._group_by(key_type, cumulative)
        statistics = _compare_grouped_stats(old_group, new_group)
        statistics.sort(reverse=True, key=StatisticDiff._sort_key)
        return statistics


def take_snapshot():
    """A snapshot of the traces of every live block."""
    if not is_tracing():
        raise RuntimeError("the tracemalloc module must be tracing memory allocations to "
                           "take a snapshot")
    traces = _get_traces()
    traceback_limit = get_traceback_limit()
    return Snapshot(traces, traceback_limit)
`;

/** The file name the module's code, its tracebacks and its own traces carry. */
const FILENAME = "<tracemalloc>";

/** The module's code, shared by every interpreter (read at the first import). */
let compiled: CodeUnit | undefined;

/**
 * The module's source compiled and serialized: what scripts/precompile.ts stores in
 * tracemalloc.compiled.ts (the interpreter loads that rather than compiling the source at each import).
 */
export function precompiledTracemalloc(): string {
  return precompileSource(SOURCE, FILENAME);
}

/** How far before an object its block may start: no pre-header, the GC header, and both. */
const PRE_HEADERS = [0, 16, 32];

/**
 * The `tracemalloc` module (a new reference): the native functions over the runtime's tracer,
 * then the Python source run in its namespace.
 */
export function tracemallocModule(b: Protocols): Ref {
  const vm: Host = b.vm;
  const py = vm.py;
  const t = py.tracemalloc;
  const m = b.newModule("tracemalloc");
  const ns = py.getRef(m, ModuleObj.dict);
  const define = (name: string, f: BuiltinFn) => {
    const o = b.newBuiltin(name, b.moduleFunction("tracemalloc", name, f));
    b.setStr(ns, name, o);
    py.decref(o);
  };
  const none = () => py.newRef(py.none);
  /** A new tuple of new references (taken). */
  const tuple = (items: Ref[]): Ref => {
    const out = py.tuple(items);
    for (const i of items) py.decref(i);
    return out;
  };
  /** A traceback as `_get_traces` gives it: `((filename, lineno), …)`, the most recent first. */
  const frames = (traceback: readonly { filename: string; lineno: number }[]): Ref =>
    tuple(traceback.map((f) => tuple([py.str(f.filename), py.intFromSsize(f.lineno)])));

  define("start", (a) => {
    t.start(a[0] ? Number(vm.intOf(a[0])) : 1);
    return none();
  });
  define("stop", () => {
    t.stop();
    return none();
  });
  define("is_tracing", () => py.bool(t.isTracing()));
  define("clear_traces", () => {
    t.clearTraces();
    return none();
  });
  define("reset_peak", () => {
    t.resetPeak();
    return none();
  });
  define("get_traced_memory", () => {
    const [current, peak] = t.getTracedMemory();
    // Py_BuildValue("nn"): 'n' is 'l' where Py_ssize_t is a long, PyLong_FromLong's form.
    return tuple([py.int(current), py.int(peak)]);
  });
  define("get_traceback_limit", () => py.int(t.getTracebackLimit()));
  // The raw traces, as CPython's `_tracemalloc._get_traces()`: a list of
  // `(domain, size, traceback, total_nframe)`; blocks with one traceback share its tuple.
  // Every Python object lives in address space domain 0, as in CPython.
  define("_get_traces", () => {
    // The list first (from the list free list, as PyList_New), then the traces copied, then
    // each appended: CPython's order, so the list's own blocks are traced as CPython's are.
    const out = py.list([]);
    if (!t.isTracing()) return out;
    const shared = new Map<string, Ref>();
    try {
      for (const trace of t.takeSnapshot().traces) {
        const key = trace.traceback.map((f) => `${f.lineno}:${f.filename}`).join("\n");
        let tb = shared.get(key);
        if (tb === undefined) {
          tb = frames(trace.traceback);
          shared.set(key, tb);
        }
        const item = tuple([
          py.int(0),
          py.intFromSsize(trace.size),
          py.newRef(tb),
          py.intFromSsize(trace.totalNframe),
        ]);
        try {
          py.append(out, item);
        } finally {
          py.decref(item);
        }
      }
      return out;
    } catch (error) {
      py.decref(out);
      throw error;
    } finally {
      for (const tb of shared.values()) py.decref(tb);
    }
  });
  define("_get_object_traceback", (a) => {
    const o = a[0]!;
    for (const before of PRE_HEADERS) {
      const trace = t.traceOf(o - before);
      if (trace && trace.size > before) return frames(trace.traceback);
    }
    return none();
  });
  define("_fnmatch", (a) => py.bool(globToRegExp(py.strValue(a[1]!)).test(py.strValue(a[0]!))));
  define("_getline", (a) => {
    const line = vm.sourceLine(py.strValue(a[0]!), Number(vm.intOf(a[1]!)));
    return py.str(line === undefined ? "" : `${line}\n`);
  });
  b.setStr(ns, "__file__", py.constant(FILENAME));
  compiled ??= deserializeCode(TRACEMALLOC_COMPILED);
  try {
    runModuleCode(b, ns, FILENAME, SOURCE, compiled);
  } catch (error) {
    py.decref(m);
    throw error;
  }
  // Running the classes above kept blocks the free lists held (tuples for bases and slots,
  // dicts, lists). CPython's import runs far more code (fnmatch, linecache, pickle…) whose
  // temporaries refill them many times over: leave them at least as full as start-up does.
  b.leaveStartupFreeLists();
  return m;
}

/** fnmatch's shell pattern (`*`, `?`, `[seq]`, `[!seq]`) as a regular expression of the whole name. */
export function globToRegExp(pattern: string): RegExp {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*") out += "[\\s\\S]*";
    else if (c === "?") out += "[\\s\\S]";
    else if (c === "[") {
      let j = i + 1;
      if (pattern[j] === "!") j++;
      if (pattern[j] === "]") j++;
      while (j < pattern.length && pattern[j] !== "]") j++;
      if (j >= pattern.length) out += "\\[";
      else {
        let body = pattern.slice(i + 1, j);
        const negate = body.startsWith("!");
        if (negate) body = body.slice(1);
        out += `[${negate ? "^" : ""}${body.replace(/[\\\]^]/g, "\\$&")}]`;
        i = j;
      }
    } else out += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^${out}$`, "u");
}
