// The fields CPython 3.11's exception structs add after BaseException's (SystemExit's code,
// StopIteration's value, ImportError's msg/name/path, NameError's name, AttributeError's name
// and obj, OSError's errno/strerror/filenames, SyntaxError's location): their sizes, the
// collector's view of them, how each family's __init__ fills them, its keyword checks and its
// __str__, OSError's errno subclasses, and which exceptions take weak references. Each program
// runs by python3 too: stdout and status must agree.

import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("exception fields", [
  [
    "sizes of each family and of subclasses",
    `import sys
for t in (BaseException, Exception, SystemExit, StopIteration, ImportError, ModuleNotFoundError,
          NameError, UnboundLocalError, AttributeError, OSError, FileNotFoundError, SyntaxError,
          KeyError, ValueError):
    print(t.__name__, sys.getsizeof(t()))
class E(Exception): pass
class E2(E): pass
class I(ImportError): pass
print(sys.getsizeof(E()), sys.getsizeof(E2()), sys.getsizeof(I()))`,
  ],
  [
    "the fields the collector sees",
    `import gc
for e in (SystemExit(1), SystemExit(1, 2), SystemExit(), StopIteration(5), StopIteration(),
          StopIteration(1, 2), ImportError('m', name='n', path='p'), ImportError('a', 'b'),
          NameError('x', name='nm'), OSError(2, 'no', 'f', 1, 'g'), OSError('x'),
          OSError(1, 2, None), SyntaxError('m', ('f', 1, 2, 't', 3, 4)), SyntaxError('m'),
          AttributeError('a', name='n', obj=3)):
    print(type(e).__name__, e.args, gc.get_referents(e), repr(str(e)), repr(e))
e = ImportError('a')
e.name = None
print(gc.get_referents(e))`,
  ],
  [
    "members read and written",
    `print(SystemExit(1).code, SystemExit().code, StopIteration().value, StopIteration(1, 2).value)
i = ImportError()
print(i.msg, i.name, i.path)
o = OSError(2, 'no', 'f')
print(o.errno, o.strerror, o.filename, o.filename2)
s = SyntaxError('m', ('f', 1, 2, 't', 3, 4))
print(s.msg, s.filename, s.lineno, s.offset, s.text, s.end_lineno, s.end_offset, s.print_file_and_line)
s.lineno = 7
print(s)
n = NameError('x')
print(repr(n.name))
n.name = 'y'
print(n.name)`,
  ],
  [
    "the str of SyntaxError and OSError",
    `for e in (SyntaxError('m', ('/a/b/f.py', 1, 2, 't')), SyntaxError('m', (None, 1, 2, 't')),
          SyntaxError('m', ('f', None, 2, 't')), SyntaxError(1, ('f', None, 2, 't')), SyntaxError(),
          OSError(1, 2, 3, 4, 5), OSError(None, 'x'), OSError(1, None), OSError(5, 'x', 'f'),
          ImportError(1), ImportError('a', name='b')):
    print(repr(str(e)))`,
  ],
  [
    "keywords each family accepts",
    `class M(ImportError):
    def __init__(self, x):
        pass
m = M(5)
print(m.args, m.msg, str(m))
for bad in (lambda: ImportError('a', foo=1), lambda: NameError('a', foo=1),
            lambda: ValueError('a', foo=1), lambda: StopIteration(foo=1),
            lambda: SyntaxError('m', ('f', 1)), lambda: SyntaxError('m', ('f', 1, 2, 't', 3, 4, 5)),
            lambda: M(foo=1), lambda: ModuleNotFoundError(foo=1), lambda: KeyError(name=1)):
    try:
        bad()
    except TypeError as e:
        print(e)`,
  ],
  [
    "a subclass's __init__ and its family's",
    `class S(SystemExit):
    def __init__(self, x):
        pass
print(S(3).code, S(3).args)
class F(StopIteration):
    def __init__(self):
        super().__init__(7)
print(F().value, F().args)
class N(NameError):
    def __init__(self):
        super().__init__('m', name='q')
print(N().name)`,
  ],
  [
    "OSError's subclasses by errno",
    `for n in (1, 2, 3, 4, 10, 11, 13, 17, 20, 21, 32, 103, 104, 108, 110, 111, 114, 115, 5, 1000, -1):
    e = OSError(n, 'x')
    print(n, type(e).__name__, e.errno, isinstance(e, OSError))
print(type(OSError(2)).__name__, type(FileNotFoundError(13, 'x')).__name__)
print(IOError is OSError, EnvironmentError is OSError)
print(ConnectionRefusedError.__mro__)`,
  ],
  [
    "names the interpreter stores in the exceptions it raises",
    `def g():
    yield 1
    return 42
it = g()
next(it)
try:
    next(it)
except StopIteration as e:
    print(e.value, e.args)
try:
    zz
except NameError as e:
    print(repr(e.name))
def f():
    print(q)
    q = 1
try:
    f()
except UnboundLocalError as e:
    print(repr(e.name))
try:
    from gc import nothing
except ImportError as e:
    print(e, e.name, e.msg, e.path)
try:
    import nonexistent_module
except ModuleNotFoundError as e:
    print(e, e.name, e.msg)
try:
    import nonexistent_module.sub
except ModuleNotFoundError as e:
    print(e, e.name)
try:
    import gc.nothing
except ModuleNotFoundError as e:
    print(e, e.name)`,
  ],
  [
    "weak references to exceptions",
    `import weakref
class E(Exception): pass
print(weakref.ref(E()) is not None)
for t in (Exception, KeyError, OSError):
    try:
        weakref.ref(t())
    except TypeError as e:
        print(e)`,
  ],
  ["SystemExit with a tuple code", "raise SystemExit(1, 2)"],
  ["SystemExit with a str code", "import sys\nsys.exit('bye')"],
  [
    "SystemExit from a subclass without its family's __init__",
    "class S(SystemExit):\n    def __init__(self):\n        pass\nraise S()",
  ],
]);
