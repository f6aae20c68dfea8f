// The `warnings` module: warn and warn_explicit with Lib/warnings.py's rules (the filters list
// searched first to last, the actions error/ignore/always/default/module/once, the caller's
// `__warningregistry__` remembering what was shown per location and emptied when the filters
// change, the module-wide `onceregistry`), simplefilter, filterwarnings, resetwarnings,
// catch_warnings (with record=True, a list of WarningMessage), and showwarning/formatwarning
// writing `file:line: Category: message` and the stripped source line on sys.stderr, written in
// Python over a native that reads a line of a program's source.

import type { Ref } from "@mm/runtime";
import type { CodeUnit } from "../compile/code.js";
import { deserializeCode } from "../compile/serialize.js";
import type { Host, Protocols } from "./host.js";
import { precompileSource, pythonModule } from "./python-module.js";
import { WARNINGS_COMPILED } from "./warnings.compiled.js";

/** The module's Python source. */
const SOURCE = String.raw`"""Warning control: warn, the filters, catch_warnings and how warnings are shown."""

import sys

__all__ = ["warn", "warn_explicit", "showwarning", "formatwarning", "filterwarnings",
           "simplefilter", "resetwarnings", "catch_warnings"]

_ACTIONS = ("error", "ignore", "always", "default", "module", "once")

filters = []
defaultaction = "default"
onceregistry = {}
_filters_version = 0


def _filters_mutated():
    global _filters_version
    _filters_version += 1


def _source_text(filename, lineno):
    return _source_line(filename, lineno)


def formatwarning(message, category, filename, lineno, line=None):
    """The text showwarning writes for a warning."""
    msg = WarningMessage(message, category, filename, lineno, None, line)
    return _formatwarnmsg_impl(msg)


def _formatwarnmsg_impl(msg):
    category = msg.category.__name__
    s = "%s:%s: %s: %s\n" % (msg.filename, msg.lineno, category, msg.message)
    if msg.line is None:
        line = _source_text(msg.filename, msg.lineno)
    else:
        line = msg.line
    if line:
        s += "  %s\n" % line.strip()
    return s


def _showwarnmsg_impl(msg):
    file = msg.file
    if file is None:
        file = sys.stderr
        if file is None:
            return
    text = _formatwarnmsg_impl(msg)
    try:
        file.write(text)
    except OSError:
        pass


_showwarning_orig = None
_formatwarning_orig = formatwarning


def showwarning(message, category, filename, lineno, file=None, line=None):
    """Writes a warning to a file (sys.stderr by default)."""
    msg = WarningMessage(message, category, filename, lineno, file, line)
    _showwarnmsg_impl(msg)


_showwarning_orig = showwarning


def _formatwarnmsg(msg):
    if formatwarning is not _formatwarning_orig:
        return formatwarning(msg.message, msg.category, msg.filename, msg.lineno, msg.line)
    return _formatwarnmsg_impl(msg)


def _showwarnmsg(msg):
    if showwarning is not _showwarning_orig:
        if not callable(showwarning):
            raise TypeError("warnings.showwarning() must be set to a function or method")
        showwarning(msg.message, msg.category, msg.filename, msg.lineno, msg.file, msg.line)
        return
    if formatwarning is not _formatwarning_orig:
        file = msg.file if msg.file is not None else sys.stderr
        if file is not None:
            try:
                file.write(_formatwarnmsg(msg))
            except OSError:
                pass
        return
    _showwarnmsg_impl(msg)


def _check_action(action):
    if action not in _ACTIONS:
        raise AssertionError("invalid action: %r" % (action,))


def _check_category(category):
    if not isinstance(category, type):
        raise AssertionError("category must be a class")
    if not issubclass(category, Warning):
        raise AssertionError("category must be a Warning subclass")


def filterwarnings(action, message="", category=Warning, module="", lineno=0, append=False):
    """Inserts an entry into the list of warnings filters (at the front, unless append)."""
    _check_action(action)
    if not isinstance(message, str):
        raise AssertionError("message must be a string")
    _check_category(category)
    if not isinstance(module, str):
        raise AssertionError("module must be a string")
    if not isinstance(lineno, int) or lineno < 0:
        raise AssertionError("lineno must be an int >= 0")
    if message or module:
        import re
    message = re.compile(message, re.I) if message else None
    module = re.compile(module) if module else None
    _add_filter(action, message, category, module, lineno, append=append)


def simplefilter(action, category=Warning, lineno=0, append=False):
    """Inserts a simple entry into the list of warnings filters (at the front, unless append)."""
    _check_action(action)
    if not isinstance(lineno, int) or lineno < 0:
        raise AssertionError("lineno must be an int >= 0")
    _add_filter(action, None, category, None, lineno, append=append)


def _add_filter(*item, append):
    if not append:
        try:
            filters.remove(item)
        except ValueError:
            pass
        filters.insert(0, item)
    elif item not in filters:
        filters.append(item)
    _filters_mutated()


def resetwarnings():
    """Clears the list of warning filters, so that no filters are active."""
    filters[:] = []
    _filters_mutated()


class _OptionError(Exception):
    pass


def _next_external_frame(frame):
    return frame.f_back


def warn(message, category=None, stacklevel=1, source=None):
    """Issues a warning, or maybe ignores it or raises an exception."""
    if isinstance(message, Warning):
        category = message.__class__
    if category is None:
        category = UserWarning
    if not (isinstance(category, type) and issubclass(category, Warning)):
        raise TypeError("category must be a Warning subclass, not '%s'"
                        % type(category).__name__)
    try:
        frame = sys._getframe(stacklevel)
    except ValueError:
        globals = sys.__dict__
        filename = "sys"
        lineno = 1
    else:
        globals = frame.f_globals
        filename = frame.f_code.co_filename
        lineno = frame.f_lineno
    if '__name__' in globals:
        module = globals['__name__']
    else:
        module = "<string>"
    registry = globals.setdefault("__warningregistry__", {})
    warn_explicit(message, category, filename, lineno, module, registry, globals, source)


def _already_warned(registry, key, should_set):
    # A registry remembers locations for one version of the filters: emptied when they change.
    if registry.get('version') != _filters_version:
        registry.clear()
        registry['version'] = _filters_version
    elif registry.get(key):
        return True
    if should_set:
        registry[key] = True
    return False


def _matches(pattern, text):
    # A filter's pattern: None matches anything, a str (the default filters') only itself.
    if pattern is None:
        return True
    if isinstance(pattern, str):
        return pattern == text
    return bool(pattern.match(text))


def warn_explicit(message, category, filename, lineno, module=None, registry=None,
                  module_globals=None, source=None):
    """Issues a warning for an explicit location, as warn does for its caller's."""
    lineno = int(lineno)
    if module is None:
        module = filename or "<unknown>"
        if module[-3:].lower() == ".py":
            module = module[:-3]
    if isinstance(message, Warning):
        text = str(message)
        category = message.__class__
    else:
        text = message
        message = category(message)
    key = (text, category, lineno)
    if registry is not None and _already_warned(registry, key, False):
        return
    for item in filters:
        action, msg, cat, mod, ln = item
        if (_matches(msg, text) and issubclass(category, cat) and _matches(mod, module)
                and (ln == 0 or lineno == ln)):
            break
    else:
        action = defaultaction
    if action == "error":
        raise message
    if action == "ignore":
        return
    if action != "always":
        # Every location shown but by an "always" filter is remembered.
        if registry is not None:
            registry[key] = True
        if action == "once":
            if _already_warned(onceregistry if registry is None else registry,
                               (text, category), True):
                return
        elif action == "module":
            if registry is not None and _already_warned(registry, (text, category), True):
                return
        elif action != "default":
            raise RuntimeError("Unrecognized action (%r) in warnings.filters:\n %s"
                               % (action, item))
    msg = WarningMessage(message, category, filename, lineno, source=source)
    _showwarnmsg(msg)


class WarningMessage(object):
    """A warning's details, as catch_warnings(record=True) records them."""

    _WARNING_DETAILS = ("message", "category", "filename", "lineno", "file", "line", "source")

    def __init__(self, message, category, filename, lineno, file=None, line=None, source=None):
        self.message = message
        self.category = category
        self.filename = filename
        self.lineno = lineno
        self.file = file
        self.line = line
        self.source = source
        self._category_name = category.__name__ if category else None

    def __str__(self):
        return ("{message : %r, category : %r, filename : %r, lineno : %s, line : %r}"
                % (self.message, self._category_name, self.filename, self.lineno, self.line))


class catch_warnings(object):
    """A context manager that saves the warnings filters and showwarning and restores them."""

    def __init__(self, *, record=False, module=None, action=None, category=Warning, lineno=0,
                 append=False):
        self._record = record
        self._module = sys.modules['warnings'] if module is None else module
        self._entered = False
        if action is None:
            self._filter = None
        else:
            self._filter = (action, category, lineno, append)

    def __repr__(self):
        args = []
        if self._record:
            args.append("record=True")
        if self._module is not sys.modules['warnings']:
            args.append("module=%r" % self._module)
        name = type(self).__name__
        return "%s(%s)" % (name, ", ".join(args))

    def __enter__(self):
        if self._entered:
            raise RuntimeError("Cannot enter %r twice" % self)
        self._entered = True
        self._filters = self._module.filters
        self._module.filters = self._filters[:]
        self._module._filters_mutated()
        self._showwarning = self._module.showwarning
        self._showwarnmsg_impl = self._module._showwarnmsg_impl
        if self._filter is not None:
            simplefilter(*self._filter)
        if self._record:
            log = []
            self._module._showwarnmsg_impl = log.append
            self._module.showwarning = self._module._showwarning_orig
            return log
        return None

    def __exit__(self, *exc_info):
        if not self._entered:
            raise RuntimeError("Cannot exit %r without entering first" % self)
        self._module.filters = self._filters
        self._module._filters_mutated()
        self._module.showwarning = self._showwarning
        self._module._showwarnmsg_impl = self._showwarnmsg_impl


# The filters of a release build of CPython 3.11 started without -W or -X dev.
filters.extend([
    ("default", None, DeprecationWarning, "__main__", 0),
    ("ignore", None, DeprecationWarning, None, 0),
    ("ignore", None, PendingDeprecationWarning, None, 0),
    ("ignore", None, ImportWarning, None, 0),
    ("ignore", None, ResourceWarning, None, 0),
])
_warnings_defaults = True
`;

/** The file name the module's code and tracebacks carry. */
const FILENAME = "<warnings>";

/** The module's code, shared by every interpreter (read at the first import). */
let compiled: CodeUnit | undefined;

/** The module's source compiled and serialized: what scripts/precompile.ts stores. */
export function precompiledWarnings(): string {
  return precompileSource(SOURCE, FILENAME);
}

/** The `warnings` module (a new reference): its Python source run over its native. */
export function warningsModule(b: Protocols): Ref {
  compiled ??= deserializeCode(WARNINGS_COMPILED);
  const vm: Host = b.vm;
  const py = vm.py;
  return pythonModule(
    b,
    {
      name: "warnings",
      filename: FILENAME,
      source: SOURCE,
      natives: {
        _source_line: (a) => {
          const line =
            vm.kindOf(a[0]!) === "str" && vm.kindOf(a[1]!) === "int"
              ? vm.sourceLine(py.strValue(a[0]!), Number(vm.intOf(a[1]!)))
              : undefined;
          return py.str(line ?? "");
        },
      },
    },
    compiled,
  );
}
