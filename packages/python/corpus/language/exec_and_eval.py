# exec() runs statements compiled from text and eval() computes an expression's value. Without
# namespaces of their own they use the caller's; given a dict, the code's names live there (and
# the dict gains `__builtins__`). A syntax error in the text is a SyntaxError the program can
# catch, carrying where in the text it is.
x = 10
print(eval("x + 1"), eval("  [i * 2 for i in range(3)]"), eval(b"2 ** 8"))
exec("y = x * 3")
print("y =", y)

namespace = {}
exec("def double(a):\n    return a * 2\nz = double(21)", namespace)
print(sorted(k for k in namespace if k != "__builtins__"), namespace["z"])
print("__builtins__" in namespace, type(namespace["__builtins__"]).__name__)

scores = {"n": 5}
print(eval("n ** 2", scores), eval("n + bonus", scores, {"bonus": 1}))


def in_a_function():
    a = 1
    return eval("a + 40")


print(in_a_function())

code = compile("total = sum(range(5))\nprint('compiled, total', total)", "<mine>", "exec")
print(type(code).__name__)
exec(code)
print(eval(compile("3 * 4", "<expr>", "eval")))
adder = eval("lambda v: v + x")
print(adder(5))

for text in ["x = 1", "1; 2", "import os", "if x: pass", "yield 1", "return 5"]:
    try:
        eval(text)
    except SyntaxError as err:
        print(repr(text), "->", err.msg, err.lineno, err.offset, err.end_offset)

for text in ["x = = 1", "def f(:", "return 1", "break", "  x = 1", "f(**)"]:
    try:
        exec(text)
    except SyntaxError as err:
        print(repr(text), "->", type(err).__name__, "|", err, "|", repr(err.text))

for args in [(1,), ("1", []), ("1", {}, 5)]:
    for run in (eval, exec):
        try:
            run(*args)
        except TypeError as err:
            print(run.__name__, "TypeError:", err)

try:
    compile("1", "f", "bogus")
except ValueError as err:
    print("ValueError:", err)
