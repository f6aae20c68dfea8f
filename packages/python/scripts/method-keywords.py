"""Writes src/vm/method-keywords.ts: which keyword arguments each built-in method and function
of CPython 3.11 accepts, and what it raises for the others.

A method whose parameters are all positional-only raises "str.strip() takes no keyword
arguments"; one with named parameters (`str.splitlines(keepends=False)`,
`round(number, ndigits=None)`) takes them by name, and the interpreter moves them to their
positions (with the default of each skipped one) before the method runs, so the method's own
code reads positional arguments only. Keyword-only parameters (`list.sort(*, key, reverse)`)
stay keywords. Run with the reference interpreter (`--json` prints the table as JSON):

    pnpm --filter @mm/python method-keywords
"""

import builtins
import importlib
import inspect
import json
import sys

# One instance of each built-in type whose methods a program calls (as method-arity.py).
SAMPLES = {
    "str": "x",
    "int": 5,
    "float": 1.5,
    "bool": True,
    "list": [],
    "tuple": (),
    "dict": {},
    "set": set(),
    "frozenset": frozenset(),
    "bytes": b"",
    "bytearray": bytearray(),
    "range": range(1),
    "generator": (i for i in ()),
}

# Built-in functions that parse their keywords themselves (or read the terminal).
SKIP_FUNCTIONS = {"open", "print", "__import__", "compile", "exec", "eval", "input", "breakpoint"}

# The modules whose functions are built in here as they are in CPython (as method-arity.py).
MODULES = ("gc", "math", "sys", "time", "tracemalloc", "weakref")

# Module functions that parse their keywords in C without a text signature, with the signature
# their C code reads.
_MADE = object()
TEXT_SIGNATURES = {
    "sys.getsizeof": inspect.Signature(
        [
            inspect.Parameter("object", inspect.Parameter.POSITIONAL_OR_KEYWORD),
            inspect.Parameter("default", inspect.Parameter.POSITIONAL_OR_KEYWORD, default=_MADE),
        ]
    ),
}

PROBE = "zz_probe"
REPRESENTABLE = (type(None), bool, int, str)


def has_signature(f):
    try:
        inspect.signature(f)
        return True
    except (TypeError, ValueError):
        return False


def invalid_message(call, required):
    """The message for an unknown keyword, with {k} for its name, or None."""
    for n in [required, *range(0, 4)]:
        try:
            call(*([None] * n), **{PROBE: None})
        except TypeError as error:
            text = str(error)
            if PROBE in text:
                return text.replace(PROBE, "{k}")
            if "takes no keyword arguments" in text:
                return text
        except Exception:
            pass
    return None


def spec(call, name, is_method):
    """[fname, message for an unknown keyword, positional-or-keyword names, their defaults
    (a value or the string "<required>" / "<none>" for one that cannot be written),
    keyword-only names, count of positional-only parameters, has *args] or None."""
    message = invalid_message(call, 0)
    if message is None:
        return None
    try:
        signature = inspect.signature(call)
    except (TypeError, ValueError):
        signature = None
    if getattr(call, "__signature__", 0) is None:
        signature = None
    if "takes no keyword arguments" in message or signature is None:
        if "takes no keyword arguments" not in message:
            return None
        return {"none": message}
    names, defaults, kwonly, posonly, varargs = [], [], [], 0, False
    for p in signature.parameters.values():
        if p.kind is p.POSITIONAL_ONLY:
            posonly += 1
        elif p.kind is p.POSITIONAL_OR_KEYWORD:
            names.append(p.name)
            if p.default is p.empty:
                defaults.append("<required>")
            elif isinstance(p.default, REPRESENTABLE):
                defaults.append(p.default)
            else:
                defaults.append("<none>")
        elif p.kind is p.KEYWORD_ONLY:
            kwonly.append(p.name)
        elif p.kind is p.VAR_POSITIONAL:
            varargs = True
    if not names and not kwonly:
        return {"none": message}
    return {
        "fname": f"{name}()",
        "invalid": message,
        "names": names,
        "defaults": defaults,
        "kwonly": kwonly,
        "posonly": posonly,
        "varargs": varargs,
    }


def main() -> None:
    table = {}
    for type_name, instance in SAMPLES.items():
        for name, value in sorted(vars(type(instance)).items()):
            kind = type(value).__name__
            if kind == "method_descriptor":
                # Called as `obj.method(...)` is: through the descriptor, whose messages name
                # the type ("str.strip() takes no keyword arguments").
                def call(*args, _value=value, _instance=instance, **kwargs):
                    return _value(_instance, *args, **kwargs)

                call.__signature__ = inspect.signature(getattr(instance, name)) if has_signature(
                    getattr(instance, name)
                ) else None
            elif kind == "classmethod_descriptor":
                call = getattr(type(instance), name)
            else:
                continue
            found = spec(call, name, True)
            if found:
                table[f"{type_name}.{name}"] = found
    for name, value in sorted(vars(builtins).items()):
        if type(value).__name__ != "builtin_function_or_method" or name in SKIP_FUNCTIONS:
            continue
        found = spec(value, name, False)
        if found:
            table[f"builtins.{name}"] = found
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name, value in sorted(vars(module).items()):
            if type(value).__name__ != "builtin_function_or_method" or name.startswith("__"):
                continue
            signature = TEXT_SIGNATURES.get(f"{module_name}.{name}")
            if signature is not None:

                def call(*args, _value=value, **kwargs):
                    return _value(*args, **kwargs)

                call.__signature__ = signature
                found = spec(call, name, False)
            else:
                found = spec(value, name, False)
            if found:
                table[f"{module_name}.{name}"] = found
    if sys.argv[1:] == ["--json"]:
        # The table as data, for the test that checks the written one is python3's.
        print(json.dumps(table, sort_keys=True))
        return
    version = ".".join(map(str, sys.version_info[:2]))
    print("// Generated by scripts/method-keywords.py from CPython " + version + ": do not edit.")
    print("//")
    print("// The keyword arguments each built-in method and function takes, by `type.method`,")
    print("// `builtins.function` or `module.function`.")
    print()
    print("/** A default that is not written here: the parameter is required, or its default is")
    print(" * an object the method makes itself (left to the method: the keyword stays a keyword). */")
    print('export type NoDefault = "<required>" | "<none>";')
    print()
    print("/** What a method or function does with keyword arguments. */")
    print("export type KeywordSpec =")
    print("  | { readonly none: string }")
    print("  | {")
    print("      /** `name()`, as CPython's argument parser names it in its messages. */")
    print("      readonly fname: string;")
    print("      /** The message for an unknown keyword, `{k}` its name. */")
    print("      readonly invalid: string;")
    print("      /** The positional-or-keyword parameters after the positional-only ones. */")
    print("      readonly names: readonly string[];")
    print("      readonly defaults: readonly (null | boolean | number | string)[];")
    print("      readonly kwonly: readonly string[];")
    print("      readonly posonly: number;")
    print("      readonly varargs: boolean;")
    print("    };")
    print()
    print("/** The keyword rules of each built-in method and function. */")
    print("export const METHOD_KEYWORDS: Readonly<Record<string, KeywordSpec>> = {")
    for key in sorted(table):
        entry = table[key]
        if "none" in entry:
            print(f'  "{key}": {{ none: {quote(entry["none"])} }},')
            continue
        defaults = ", ".join(literal(d) for d in entry["defaults"])
        print(
            f'  "{key}": {{ fname: {quote(entry["fname"])}, invalid: {quote(entry["invalid"])},'
            f' names: [{", ".join(quote(n) for n in entry["names"])}], defaults: [{defaults}],'
            f' kwonly: [{", ".join(quote(n) for n in entry["kwonly"])}],'
            f' posonly: {entry["posonly"]}, varargs: {"true" if entry["varargs"] else "false"} }},'
        )
    print("};")


def literal(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    return quote(v)


def quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


main()
