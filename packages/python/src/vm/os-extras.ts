// What `os` offers a program beyond files: its constants (`name`, `linesep`, `curdir`,
// `pathsep`, …), `environ` (an `os._Environ` mapping over the environment the host gives, which
// `putenv`s nothing: changes stay in the program), `getenv` and `getpid`. The host gives the
// environment and the process id through {@link setProcessInfo} (the CLI passes its own);
// without them the environment is empty and the process id 1.

import type { Ref } from "@mm/runtime";
import { execGenerated } from "./generated.js";
import type { Protocols } from "./host.js";
import { ModuleObj } from "./layouts.js";

/** What the host tells a program about its process. */
export interface ProcessInfo {
  /** The environment variables `os.environ` holds. */
  readonly environ?: Readonly<Record<string, string | undefined>>;
  /** What `os.getpid()` returns. */
  readonly pid?: number;
}

const infos = new WeakMap<Protocols, ProcessInfo>();

/** Gives the program of `b` its environment and process id (before it imports `os`). */
export function setProcessInfo(b: Protocols, info: ProcessInfo): void {
  infos.set(b, info);
}

const SOURCE = `
name = "posix"
linesep = "\\n"
curdir = "."
pardir = ".."
extsep = "."
pathsep = ":"
altsep = None
devnull = "/dev/null"
defpath = "/bin:/usr/bin"


class _Environ:
    def __init__(self, data):
        self._data = data

    def __getitem__(self, key):
        if not isinstance(key, str):
            raise TypeError("str expected, not %s" % type(key).__name__)
        try:
            return self._data[key]
        except KeyError:
            raise KeyError(key) from None

    def __setitem__(self, key, value):
        if not isinstance(key, str):
            raise TypeError("str expected, not %s" % type(key).__name__)
        if not isinstance(value, str):
            raise TypeError("str expected, not %s" % type(value).__name__)
        self._data[key] = value

    def __delitem__(self, key):
        try:
            del self._data[key]
        except KeyError:
            raise KeyError(key) from None

    def __iter__(self):
        return iter(list(self._data))

    def __len__(self):
        return len(self._data)

    def __contains__(self, key):
        return key in self._data

    def get(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            return default

    def keys(self):
        return self._data.keys()

    def items(self):
        return self._data.items()

    def values(self):
        return self._data.values()

    def pop(self, key, *default):
        return self._data.pop(key, *default)

    def setdefault(self, key, value):
        if key not in self._data:
            self[key] = value
        return self._data[key]

    def update(self, other=(), /, **kwds):
        for k, v in dict(other, **kwds).items():
            self[k] = v

    def copy(self):
        return dict(self._data)

    def __eq__(self, other):
        if isinstance(other, _Environ):
            return self._data == other._data
        return self._data == other

    __hash__ = None

    def __repr__(self):
        return "environ({%s})" % ", ".join(["%r: %r" % (k, v) for k, v in self._data.items()])


_Environ.__module__ = "os"
environ = _Environ(_environ_data)
del _environ_data


def getenv(key, default=None):
    """Get an environment variable, return None if it doesn't exist."""
    return environ.get(key, default)
`;

/** Defines the constants, `environ`, `getenv` and `getpid` in the `os` module `m`. */
export function installOsExtras(b: Protocols, m: Ref): void {
  const vm = b.vm;
  const py = vm.py;
  const ns = py.getRef(m, ModuleObj.dict);
  const info = infos.get(b) ?? {};
  const data = py.dict();
  for (const [k, v] of Object.entries(info.environ ?? {})) {
    if (v === undefined) continue;
    const value = py.str(v);
    b.setStr(data, k, value);
    py.decref(value);
  }
  b.setStr(ns, "_environ_data", data);
  py.decref(data);
  const pid = info.pid ?? 1;
  const getpid = b.newBuiltin(
    "getpid",
    (a) => {
      if (a.length > 0) vm.raise("TypeError", `getpid() takes no arguments (${a.length} given)`);
      return py.int(pid);
    },
    0,
    m,
  );
  b.setStr(ns, "getpid", getpid);
  py.decref(getpid);
  execGenerated(b, SOURCE, ns);
}
