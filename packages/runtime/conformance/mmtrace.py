"""Run an mm-trace (docs/mm-trace.md) in CPython 3.11 and print its event log.

    python3 mmtrace.py TRACE.jsonl            run it; events as JSON Lines on stdout
    python3 mmtrace.py --source TRACE.jsonl   print the Python module it compiles to
    python3 mmtrace.py --time TRACE.jsonl     run it; print only its run time (ms, on stdout)

The whole trace is validated first; an invalid trace prints one line naming the file and the
line and exits 1 without running anything. The trace is then compiled to one Python module
(README.md gives the statement every op becomes) and executed after the interpreter's own
objects have been frozen, so the trace starts where a fresh runtime starts: counts (0, 0, 0),
`long_lived_total` 0, empty free lists. Nothing the driver does between ops allocates or frees
a GC-tracked object; the few CPython APIs that would (their argument or result tuples) are
replaced by equivalents that do not, each explained where it is defined.

Exit codes: 0 ran, 1 invalid trace, 2 unsupported interpreter, 3 driver failure.
"""

import builtins
import ctypes
import gc
import json
import json.encoder
import keyword
import math
import os
import re
import sys
import time
import weakref

# ---------------------------------------------------------------------------------------------
# Validation: the trace becomes a tree of op dicts, each with its 1-based file line in "line".
# ---------------------------------------------------------------------------------------------

NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
MAX_SEQUENCE_ITEMS = 30  # CPython builds a bigger list/tuple display through extra objects
MAX_DICT_ITEMS = 16  # and a bigger dict display through MAP_ADD and merged sub-dicts
MAX_REPEAT_DEPTH = 15  # each level is a `for` block; CPython allows 20 nested blocks
MAX_INT32 = 2**31 - 1
DEBUG_SAVEALL = 32

OBJECT_TYPES = ("object", "list", "tuple", "dict", "int", "float", "str")
GC_ACTIONS = ("disable", "enable", "freeze", "unfreeze")
GC_QUERIES = ("get_count", "get_threshold", "get_freeze_count", "garbage")
GC_VAR_QUERIES = ("is_tracked", "is_finalized")
GC_CALLS = GC_ACTIONS + GC_QUERIES + GC_VAR_QUERIES + ("set_threshold", "set_debug")


class TraceError(Exception):
    """An invalid trace: `line` is the 1-based line of the file, 0 for the file as a whole."""

    def __init__(self, line, message):
        super().__init__(message)
        self.line = line
        self.message = message


def _reject_constant(token):
    raise ValueError(f"{token} is not JSON")


def _object_pairs(pairs):
    result = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _check_strings(value):
    """Lone surrogates cannot be written as UTF-8, so neither runtime could print them."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("a string holds a lone surrogate") from None
    elif isinstance(value, list):
        for item in value:
            _check_strings(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_strings(key)
            _check_strings(item)


def parse_json_line(line, text):
    try:
        value = json.loads(text, object_pairs_hook=_object_pairs, parse_constant=_reject_constant)
        _check_strings(value)
    except ValueError as error:
        raise TraceError(line, f"not valid JSON: {error}") from None
    return value


def is_int(value):
    return type(value) is int


def is_float(value):
    """A JSON number a float can hold: json reads 1e999 as inf, which no literal writes."""
    if type(value) is float:
        return math.isfinite(value)
    if is_int(value):
        try:
            float(value)
        except OverflowError:
            return False
        return True
    return False


def check_fields(op, line, required, optional=()):
    for field in required:
        if field not in op:
            raise TraceError(line, f"op '{op['op']}' needs the field '{field}'")
    allowed = set(required) | set(optional) | {"op"}
    for field in op:
        if field not in allowed:
            raise TraceError(line, f"op '{op['op']}' has no field '{field}'")


def check_name(value, line, what):
    if not isinstance(value, str) or not NAME_RE.match(value) or keyword.iskeyword(value):
        raise TraceError(
            line,
            f"{what} must be a name (a letter, then letters, digits or '_'; "
            f"not a Python keyword), got {json.dumps(value)}",
        )
    return value


def check_value(value, line, what):
    """A value: a variable name, null, true, false, or one {"int"|"float"|"str": literal}."""
    if value is None or value is True or value is False:
        return value
    if isinstance(value, str):
        return check_name(value, line, what)
    if isinstance(value, dict) and len(value) == 1:
        (kind, literal), = value.items()
        if kind == "int" and is_int(literal):
            return value
        if kind == "float" and is_float(literal):
            return value
        if kind == "str" and isinstance(literal, str):
            return value
    raise TraceError(
        line,
        f"{what} must be a variable name, null, true, false, {{\"int\": n}}, "
        f"{{\"float\": x}} or {{\"str\": s}}, got {json.dumps(value)}",
    )


def check_key(value, line):
    if isinstance(value, str) or is_int(value):
        return value
    raise TraceError(line, f"'key' must be a string or an integer, got {json.dumps(value)}")


def check_target(op, line, action):
    """`attr` or `key`, exactly one; `name` is the attribute Obj's constructor sets."""
    if ("attr" in op) == ("key" in op):
        raise TraceError(line, f"op '{op['op']}' needs exactly one of 'attr' and 'key'")
    if "attr" in op:
        check_name(op["attr"], line, "'attr'")
        if action and op["attr"] == "name":
            raise TraceError(
                line, "the attribute 'name' holds an object's name for its finalize event; "
                "it cannot be set or deleted"
            )
    else:
        check_key(op["key"], line)


def check_new(op, line):
    kind = op.get("type")
    if kind not in OBJECT_TYPES:
        raise TraceError(line, f"'type' must be one of {', '.join(OBJECT_TYPES)}, "
                               f"got {json.dumps(kind)}")
    if kind == "object":
        check_fields(op, line, ("var", "type", "name"), ("del", "resurrect"))
        if not isinstance(op["name"], str):
            raise TraceError(line, "'name' must be a string")
        if "del" in op and not isinstance(op["del"], bool):
            raise TraceError(line, "'del' must be true or false")
        if "resurrect" in op:
            check_name(op["resurrect"], line, "'resurrect'")
            if op.get("del") is False:
                raise TraceError(line, "'resurrect' needs a __del__, so 'del' cannot be false")
    elif kind in ("list", "tuple"):
        check_fields(op, line, ("var", "type"), ("items",))
        items = op.get("items", [])
        if not isinstance(items, list):
            raise TraceError(line, "'items' must be an array of values")
        if len(items) > MAX_SEQUENCE_ITEMS:
            raise TraceError(line, f"a {kind} display holds at most {MAX_SEQUENCE_ITEMS} items")
        for item in items:
            check_value(item, line, "an item")
    elif kind == "dict":
        check_fields(op, line, ("var", "type"), ("items",))
        items = op.get("items", {})
        if not isinstance(items, dict):
            raise TraceError(line, "'items' must be an object of values")
        if len(items) > MAX_DICT_ITEMS:
            raise TraceError(line, f"a dict display holds at most {MAX_DICT_ITEMS} items")
        for item in items.values():
            check_value(item, line, "an item")
    else:
        check_fields(op, line, ("var", "type", "value"))
        literal = op["value"]
        valid = {
            "int": is_int(literal),
            "float": is_float(literal),
            "str": isinstance(literal, str),
        }[kind]
        if not valid:
            expected = {"int": "an integer", "float": "a finite number", "str": "a string"}
            raise TraceError(line, f"'value' of a new {kind} must be {expected[kind]}")
    check_name(op["var"], line, "'var'")


def check_gc(op, line):
    call = op.get("call")
    if call not in GC_CALLS:
        raise TraceError(line, f"'call' must be one of {', '.join(GC_CALLS)}, "
                               f"got {json.dumps(call)}")
    if call in GC_VAR_QUERIES:
        check_fields(op, line, ("call", "var"))
        check_name(op["var"], line, "'var'")
    elif call == "set_threshold":
        check_fields(op, line, ("call", "args"))
        args = op["args"]
        if (not isinstance(args, list) or not 1 <= len(args) <= 3
                or not all(is_int(a) and 0 <= a <= MAX_INT32 for a in args)):
            raise TraceError(line, "'args' of set_threshold must be 1 to 3 integers "
                                   f"from 0 to {MAX_INT32}")
    elif call == "set_debug":
        check_fields(op, line, ("call", "args"))
        args = op["args"]
        if not isinstance(args, list) or len(args) != 1 or args[0] not in (0, DEBUG_SAVEALL) \
                or not is_int(args[0]):
            raise TraceError(line, "'args' of set_debug must be [0] or [32] (DEBUG_SAVEALL); "
                                   "the other flags write to stderr, which allocates")
    else:
        check_fields(op, line, ("call",))


def check_op(op, line, depth):
    """Check one op and return it with its line; a repeat's ops are checked recursively."""
    if not isinstance(op, dict):
        raise TraceError(line, "an op must be a JSON object")
    name = op.get("op")
    if not isinstance(name, str):
        raise TraceError(line, "an op needs a string field 'op'")
    if name == "new":
        check_new(op, line)
    elif name == "assign":
        check_fields(op, line, ("var", "value"))
        check_name(op["var"], line, "'var'")
        check_value(op["value"], line, "'value'")
    elif name == "del":
        check_fields(op, line, ("var",))
        check_name(op["var"], line, "'var'")
    elif name == "set":
        check_fields(op, line, ("obj", "value"), ("attr", "key"))
        check_name(op["obj"], line, "'obj'")
        check_target(op, line, True)
        check_value(op["value"], line, "'value'")
    elif name == "get":
        check_fields(op, line, ("var", "obj"), ("attr", "key"))
        check_name(op["var"], line, "'var'")
        check_name(op["obj"], line, "'obj'")
        check_target(op, line, False)
    elif name == "unset":
        check_fields(op, line, ("obj",), ("attr", "key"))
        check_name(op["obj"], line, "'obj'")
        check_target(op, line, True)
    elif name == "append":
        check_fields(op, line, ("obj", "value"))
        check_name(op["obj"], line, "'obj'")
        check_value(op["value"], line, "'value'")
    elif name in ("pop", "clear"):
        check_fields(op, line, ("obj",))
        check_name(op["obj"], line, "'obj'")
    elif name == "weakref":
        check_fields(op, line, ("var", "target"), ("name", "callback"))
        check_name(op["var"], line, "'var'")
        check_value(op["target"], line, "'target'")
        if "callback" in op and not isinstance(op["callback"], bool):
            raise TraceError(line, "'callback' must be true or false")
        if "name" in op and not isinstance(op["name"], str):
            raise TraceError(line, "'name' must be a string")
        if op.get("callback") and "name" not in op:
            raise TraceError(line, "a weakref with a callback needs a 'name' for its event")
    elif name == "call":
        check_fields(op, line, ())
    elif name == "return":
        check_fields(op, line, (), ("value", "var"))
        if "value" in op:
            check_value(op["value"], line, "'value'")
        if "var" in op:
            check_name(op["var"], line, "'var'")
    elif name == "repeat":
        check_fields(op, line, ("times", "ops"))
        if not is_int(op["times"]) or op["times"] < 0:
            raise TraceError(line, "'times' must be an integer >= 0")
        if not isinstance(op["ops"], list):
            raise TraceError(line, "'ops' must be an array of ops")
        if depth >= MAX_REPEAT_DEPTH:
            raise TraceError(line, f"repeats nest at most {MAX_REPEAT_DEPTH} deep")
        body = [check_op(inner, line, depth + 1) for inner in op["ops"]]
        return {"op": "repeat", "line": line, "times": op["times"],
                "ops": nest_calls(body, line)}
    elif name == "collect":
        check_fields(op, line, (), ("generation",))
        if "generation" in op and not is_int(op["generation"]):
            raise TraceError(line, "'generation' must be an integer")
    elif name == "gc":
        check_gc(op, line)
    elif name in ("refcount", "sizeof"):
        check_fields(op, line, ("var",))
        check_name(op["var"], line, "'var'")
    else:
        raise TraceError(line, f"unknown op {json.dumps(name)}")
    return dict(op, line=line)


def nest_calls(ops, enclosing_line):
    """Turn each flat `call` ... `return` run into one {"op": "call"} node holding its body."""
    root = []
    stack = [(None, root)]
    for op in ops:
        if op["op"] == "call":
            frame = {"op": "call", "line": op["line"], "ops": [], "return": None}
            stack[-1][1].append(frame)
            stack.append((frame, frame["ops"]))
        elif op["op"] == "return":
            frame = stack[-1][0]
            if frame is None:
                raise TraceError(op["line"], "'return' without a 'call' before it")
            frame["return"] = op
            stack.pop()
        else:
            stack[-1][1].append(op)
    if len(stack) > 1:
        where = "repeat's ops" if enclosing_line else "trace"
        raise TraceError(stack[-1][0]["line"],
                         f"'call' without a 'return' before the end of the {where}")
    return root


def read_trace(path):
    """Parse and check a whole trace file; returns its op tree."""
    try:
        with open(path, "rb") as stream:
            data = stream.read()
    except OSError as error:
        raise TraceError(0, f"cannot read: {error.strerror}") from None
    raw_lines = data.split(b"\n")
    if raw_lines and raw_lines[-1] == b"":
        raw_lines.pop()
    if not raw_lines:
        raise TraceError(1, 'empty file; the first line must be the header {"mm-trace": 1}')
    ops = []
    for index, raw in enumerate(raw_lines):
        line = index + 1
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise TraceError(line, "not UTF-8") from None
        if line == 1:
            header = parse_json_line(line, text)
            if not isinstance(header, dict) or not is_int(header.get("mm-trace")) \
                    or header["mm-trace"] != 1:
                raise TraceError(1, 'the first line must be the header {"mm-trace": 1}')
            continue
        if not text.strip():
            continue
        ops.append(check_op(parse_json_line(line, text), line, 0))
    return nest_calls(ops, 0)


# ---------------------------------------------------------------------------------------------
# Code generation: one Python module per trace.
# ---------------------------------------------------------------------------------------------


def json_string(text):
    """A JSON string as JSON.stringify writes it (non-ASCII kept, control characters escaped)."""
    return json.dumps(text, ensure_ascii=False)


def f_literal(*parts):
    """An f-string whose literal parts are `str` and whose fields are ("expr", code) pairs.

    Field expressions never contain quotes or backslashes, so repr() of the assembled text is
    a valid f-string body whatever quote character it picks.
    """
    text = ""
    for part in parts:
        if isinstance(part, tuple):
            text += "{" + part[1] + "}"
        else:
            text += part.replace("{", "{{").replace("}", "}}")
    return "f" + repr(text)


class Compiler:
    """Turns the op tree into Python source; see README.md for the statement of every op."""

    def __init__(self, tree):
        self.tree = tree
        self.object_names = {}
        self.callback_names = {}
        self.resurrect_targets = {}
        self.uses_del = False
        self.functions = []
        self.collect_definitions(tree)

    def collect_definitions(self, ops):
        for op in ops:
            if op["op"] == "new" and op["type"] == "object":
                self.object_names.setdefault(op["name"], None)
                if "resurrect" in op:
                    self.resurrect_targets.setdefault(op["resurrect"], len(self.resurrect_targets))
                elif op.get("del"):
                    self.uses_del = True
            elif op["op"] == "weakref" and op.get("callback"):
                self.callback_names.setdefault(op["name"], len(self.callback_names))
            elif op["op"] in ("repeat", "call"):
                self.collect_definitions(op["ops"])

    # values -------------------------------------------------------------------------------

    @staticmethod
    def value(value):
        """A value as an expression CPython cannot fold into a constant (README: Literals)."""
        if value is None:
            return "_None"
        if value is True:
            return "_True"
        if value is False:
            return "_False"
        if isinstance(value, str):
            return value
        (kind, literal), = value.items()
        return Compiler.literal(kind, literal)

    @staticmethod
    def literal(kind, literal):
        if kind == "int":
            return f"(_z + {literal})" if literal >= 0 else f"(_z + ({literal}))"
        if kind == "float":
            text = repr(float(literal))
            return f"(_zf + {text})" if not text.startswith("-") else f"(_zf + ({text}))"
        return f"{literal.encode('utf-8')!r}.decode()"

    @staticmethod
    def key(key):
        return repr(key)

    def object_class(self, op):
        if "resurrect" in op:
            return f"_ObjRes{self.resurrect_targets[op['resurrect']]}"
        return "_ObjDel" if op.get("del") else "_Obj"

    # statements ---------------------------------------------------------------------------

    def statement(self, op):
        """The statement one op becomes (without its error handler)."""
        kind = op["op"]
        if kind == "new":
            return f"{op['var']} = {self.new_expression(op)}"
        if kind == "assign":
            return f"{op['var']} = {self.value(op['value'])}"
        if kind == "del":
            return f"del {op['var']}"
        if kind == "set":
            return f"{self.target(op)} = {self.value(op['value'])}"
        if kind == "get":
            return f"{op['var']} = {self.target(op)}"
        if kind == "unset":
            return f"del {self.target(op)}"
        if kind == "append":
            return f"{op['obj']}.append({self.value(op['value'])})"
        if kind == "pop":
            return f"{op['obj']}.pop()"
        if kind == "clear":
            return f"{op['obj']}.clear()"
        if kind == "weakref":
            target = self.value(op["target"])
            if op.get("callback"):
                return f"{op['var']} = _weakref2({target}, _cb{self.callback_names[op['name']]})"
            return f"{op['var']} = _weakref1({target})"
        if kind == "collect":
            generation = op.get("generation", 2)
            return self.record(
                f'{{"event":"collect","generation":{generation},"result":',
                ("expr", f"_collect({generation})"), "}")
        if kind == "gc":
            return self.gc_statement(op)
        if kind == "refcount":
            return self.record(
                f'{{"event":"refcount","var":{json_string(op["var"])},"value":',
                ("expr", f"_getrefcount({op['var']}) - 1"), "}")
        if kind == "sizeof":
            return self.record(
                f'{{"event":"sizeof","var":{json_string(op["var"])},"value":',
                ("expr", f"_sizeof({op['var']})"), "}")
        raise AssertionError(kind)

    def new_expression(self, op):
        kind = op["type"]
        if kind == "object":
            return f"_new({self.object_class(op)}, {self.literal('str', op['name'])})"
        if kind == "list":
            return "[" + ", ".join(self.value(v) for v in op.get("items", [])) + "]"
        if kind == "tuple":
            items = [self.value(v) for v in op.get("items", [])]
            return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
        if kind == "dict":
            pairs = (f"{self.key(k)}: {self.value(v)}" for k, v in op.get("items", {}).items())
            return "{" + ", ".join(pairs) + "}"
        return self.literal(kind, op["value"])

    @staticmethod
    def target(op):
        if "attr" in op:
            return f"{op['obj']}.{op['attr']}"
        return f"{op['obj']}[{Compiler.key(op['key'])}]"

    @staticmethod
    def record(*parts):
        return f"_ev.append({f_literal(*parts)})"

    def gc_statement(self, op):
        call = op["call"]
        if call in ("disable", "enable", "unfreeze"):
            return f"_gc.{call}()"
        if call == "freeze":
            return "_freeze()"
        if call == "set_threshold":
            return f"_set_threshold({', '.join(str(a) for a in op['args'])})"
        if call == "set_debug":
            return f"_gc.set_debug({op['args'][0]})"
        head = f'{{"event":"gc","call":"{call}",'
        if call in GC_VAR_QUERIES:
            return self.record(
                head + f'"var":{json_string(op["var"])},"value":',
                ("expr", f"_JB[_gc.{call}({op['var']})]"), "}")
        expression = {
            "get_count": "_count()",
            "get_threshold": "_threshold()",
            "get_freeze_count": "_freeze_count()",
            "garbage": "_len(_gc.garbage)",
        }[call]
        return self.record(head + '"value":', ("expr", expression), "}")

    # blocks -------------------------------------------------------------------------------

    def block(self, ops, indent):
        """The guarded statements of a run of ops; call bodies become functions of their own."""
        pad = "    " * indent
        lines = []
        for op in ops:
            if op["op"] == "repeat":
                lines.append(f"{pad}# line {op['line']}: repeat {op['times']}")
                lines.append(f"{pad}for _i in _range({op['times']}):")
                body = self.block(op["ops"], indent + 1)
                lines.extend(body or [f"{pad}    pass"])
                continue
            if op["op"] == "call":
                ret = op["return"]
                name = self.function(op)
                call = f"{ret['var']} = {name}()" if "var" in ret else f"{name}()"
                lines.append(f"{pad}# lines {op['line']}-{ret['line']}: call ... return")
                lines.extend(self.guard(call, ret["line"], pad))
                continue
            lines.append(f"{pad}# line {op['line']}: {op['op']}")
            lines.extend(self.guard(self.statement(op), op["line"], pad))
        return lines

    @staticmethod
    def guard(statement, line, pad):
        return [
            f"{pad}try:",
            f"{pad}    {statement}",
            f"{pad}except _Exception as _e:",
            f"{pad}    _err({line}, _e)",
        ]

    def function(self, op):
        """Define `_callN` for one call site (defined before the trace starts, called at it)."""
        name = f"_call{len(self.functions) + 1}"
        slot = len(self.functions)
        self.functions.append(None)
        body = self.block(op["ops"], 1)
        ret = op["return"]
        value = self.value(ret["value"]) if "value" in ret else "_None"
        body.append(f"    # line {ret['line']}: return")
        body.append(f"    return {value}")
        self.functions[slot] = [f"def {name}():"] + body
        return name

    def module(self, path):
        trace = self.block(self.tree, 0)
        out = [f"# {os.path.basename(path)}, compiled by mmtrace.py for CPython 3.11"]
        out += ["class _Obj:", "    pass"]
        out += ["_Obj.__name__ = _Obj.__qualname__ = 'Obj'"]
        if self.uses_del:
            out += [
                "class _ObjDel(_Obj):",
                "    def __del__(self):",
                "        _ev.append(_FIN[self.name])",
                "_ObjDel.__name__ = _ObjDel.__qualname__ = 'Obj'",
            ]
        for target, index in self.resurrect_targets.items():
            out += [
                f"class _ObjRes{index}(_Obj):",
                "    def __del__(self):",
                f"        global {target}",
                "        _ev.append(_FIN[self.name])",
                f"        {target} = self",
                f"_ObjRes{index}.__name__ = _ObjRes{index}.__qualname__ = 'Obj'",
            ]
        for label, index in self.callback_names.items():
            event = f'{{"event":"weakref-callback","name":{json_string(label)}}}'
            out += [f"def _cb{index}(_w):", f"    _ev.append({event!r})"]
        for function in self.functions:
            out += function
        out += ["_begin()"]
        out += trace
        out += ["_end()"]
        return "\n".join(out) + "\n"

    def finalize_events(self):
        return {name: f'{{"event":"finalize","name":{json_string(name)}}}'
                for name in self.object_names}


# ---------------------------------------------------------------------------------------------
# Run time: the helpers the compiled module calls. None of them allocates a GC-tracked object.
# ---------------------------------------------------------------------------------------------


class DriverError(BaseException):
    """A failure of the driver itself (BaseException, so a trace's error handler passes it)."""


_ev = []  # the event lines, created before the freeze so appending never allocates a GC object
_ev_end = -1
_freeze_base = 0
_NONE = None
_JB = {True: "true", False: "false"}
_HAVE_GC = 1 << 14  # Py_TPFLAGS_HAVE_GC
_MANAGED_DICT = 1 << 4  # Py_TPFLAGS_MANAGED_DICT (3.11)

# The interpreter's three `struct gc_generation {PyGC_Head head; int threshold; int count;}`
# as int32 slots: threshold g at [6g + 4], count g at [6g + 5]. Bound in locate_generations().
_gen = None

# Spare tuples of length 1 and 2 (see _weakref1). Built at run time so they are not constants.
_spare1 = (_NONE,)
_spare2 = (_NONE, _NONE)


def locate_generations():
    """Find gc's generation heads: the first object tracked after a freeze links back to gen 0.

    `gc.get_count()` and `gc.get_threshold()` return new tuples and `gc.set_threshold()` takes
    its arguments as a tuple; each of those is a GC allocation the trace did not ask for (it
    counts in gen 0 and can trigger a collection). Reading and writing the same C ints through
    ctypes has exactly the API's meaning without that allocation. The layout is checked here
    against the API before any trace runs.
    """
    global _gen
    gc.collect()
    gc.freeze()
    probe = []  # the only object in generation 0: its _gc_prev is the generation's head
    head = ctypes.c_uint64.from_address(id(probe) - 8).value & ~3
    view = (ctypes.c_int32 * 18).from_address(head)
    gc.unfreeze()
    saved = gc.get_threshold()
    gc.set_threshold(1234567, 8901, 2345)
    thresholds = (view[4], view[10], view[16])
    gc.set_threshold(*saved)
    gc.collect(0)
    reported = gc.get_count()  # allocates its tuple after reading: count0 is one higher now
    count0, count1, count2 = view[5], view[11], view[17]
    if thresholds != (1234567, 8901, 2345) or (count0 - 1, count1, count2) != reported \
            or count1 == 0:
        raise DriverError("gc's generation layout is not CPython 3.11's")
    _gen = view


def _begin():
    """Start of the trace: freeze the interpreter and the driver, start from a fresh gc state.

    The module frame's frame object is created now (an error's traceback would otherwise
    create it, a GC allocation that lives as long as the frame). collect-freeze-collect leaves
    generations 0-2 empty, counts (0, 0, 0), long_lived_total and long_lived_pending 0, and the
    free lists empty (a full collection clears them), as in a runtime that has just started.
    """
    global _freeze_base
    sys._getframe(1)
    gc.set_debug(0)
    gc.set_threshold(700, 10, 10)
    gc.enable()
    gc.collect()
    gc.freeze()
    gc.collect()
    _freeze_base = gc.get_freeze_count()
    if _gen[5] or _gen[11] or _gen[17]:  # no tuple display here: it would be counted
        raise DriverError("the counts are not (0, 0, 0) when the trace starts")


def _end():
    """End of the trace: later events (teardown finalizers) are not part of the log."""
    global _ev_end
    _ev_end = len(_ev)


def _err(line, error):
    """Record a failed op. `!s` converts without the argument tuple a `str(error)` call takes."""
    _ev.append(f'{{"event":"error","line":{line},"type":{_quote(type(error).__name__)},'
               f'"message":{_quote(f"{error!s}")}}}')


_quote = json.encoder.encode_basestring  # the C encoder: no GC allocation, JSON.stringify's text


def _new(cls, name):
    """`Obj(name)` without the argument tuple.

    Calling a class defined in Python packs its arguments in a tuple (3.11 classes have no
    vectorcall), one more GC allocation than the op means. A no-argument call passes the empty
    tuple singleton, and the attribute is set just as `__init__(self, name)` would set it.
    """
    obj = cls()
    obj.name = name
    return obj


def _weakref1(target):
    """`weakref.ref(target)` whose argument tuple is reused, never allocated.

    `weakref.ref` has no vectorcall in 3.11, so the call packs (target,) in a new tuple taken
    from the free list of 1-tuples, or allocated (a GC allocation that counts and can trigger a
    collection) when that free list is empty. The driver holds one spare 1-tuple: it is freed
    onto that free list just before the call, the call takes it, frees it again on return, and
    the driver takes it back. The free list and the counts end as they were, so the op
    allocates only the weakref. Were the free list full (2000 tuples), the spare would be
    deallocated instead; the identity check then stops the driver rather than log a
    difference. A failing call is not checked: its exception takes a tuple of its own (errors
    allocate anyway, README).
    """
    global _spare1
    held = id(_spare1)
    _spare1 = None
    try:
        ref = _ref(target)
    finally:
        _spare1 = (_NONE,)
    if id(_spare1) != held:
        raise DriverError("the free list of 1-tuples was full; a weakref op allocated")
    return ref


def _weakref2(target, callback):
    """`weakref.ref(target, callback)`; the 2-tuple is handled as in _weakref1."""
    global _spare2
    held = id(_spare2)
    _spare2 = None
    try:
        ref = _ref(target, callback)
    finally:
        _spare2 = (_NONE, _NONE)
    if id(_spare2) != held:
        raise DriverError("the free list of 2-tuples was full; a weakref op allocated")
    return ref


_ref = weakref.ref


def _freeze():
    """`gc.freeze()`; the spare tuples are let go first so they are never frozen with the trace."""
    global _spare1, _spare2
    held1 = id(_spare1)
    held2 = id(_spare2)
    _spare1 = None
    _spare2 = None
    gc.freeze()
    _spare1 = (_NONE,)
    _spare2 = (_NONE, _NONE)
    if id(_spare1) != held1 or id(_spare2) != held2:
        raise DriverError("a tuple free list was full; a freeze op allocated")


def _freeze_count():
    """`gc.get_freeze_count()` less the objects the driver froze before the trace.

    A trace `unfreeze` returns those objects to generation 2 as well (CPython cannot tell them
    apart), and the permanent generation is then empty: the count reads 0.
    """
    frozen = gc.get_freeze_count()
    return frozen - _freeze_base if frozen else 0


def _count():
    """`gc.get_count()` as JSON, read without allocating its result tuple."""
    return f"[{_gen[5]},{_gen[11]},{_gen[17]}]"


def _threshold():
    """`gc.get_threshold()` as JSON, read without allocating its result tuple."""
    return f"[{_gen[4]},{_gen[10]},{_gen[16]}]"


def _set_threshold(threshold0, threshold1=None, threshold2=None):
    """`gc.set_threshold(...)` without its argument tuple; like it, sets only the given ones."""
    _gen[4] = threshold0
    if threshold1 is not None:
        _gen[10] = threshold1
    if threshold2 is not None:
        _gen[16] = threshold2


def _sizeof(obj):
    """`sys.getsizeof(obj)`: `__sizeof__()` plus the pre-header (docs/cpython.md fact 54).

    `sys.getsizeof` takes its arguments as a tuple and looks `__sizeof__` up as a bound
    method, two GC allocations; calling the type's method and adding the pre-header is the
    same number without them.
    """
    cls = type(obj)
    flags = cls.__flags__
    size = cls.__sizeof__(obj)
    if flags & _HAVE_GC:
        size += 16
    if flags & _MANAGED_DICT:
        size += 16
    return size


def trace_builtins(finalize_events):
    """The compiled module's only builtins: a trace name can never reach Python's builtins."""
    return {
        "__build_class__": builtins.__build_class__,
        "_ev": _ev,
        "_FIN": finalize_events,
        "_JB": _JB,
        "_begin": _begin,
        "_end": _end,
        "_err": _err,
        "_Exception": Exception,
        "_range": range,
        "_len": len,
        "_z": 0,
        "_zf": -0.0,
        "_None": None,
        "_True": True,
        "_False": False,
        "_new": _new,
        "_weakref1": _weakref1,
        "_weakref2": _weakref2,
        "_gc": gc,
        "_collect": gc.collect,
        "_freeze": _freeze,
        "_freeze_count": _freeze_count,
        "_count": _count,
        "_threshold": _threshold,
        "_set_threshold": _set_threshold,
        "_getrefcount": sys.getrefcount,
        "_sizeof": _sizeof,
    }


def main(argv):
    args = argv[1:]
    show_source = False
    show_time = False
    if args and args[0] == "--source":
        show_source = True
        args = args[1:]
    elif args and args[0] == "--time":
        show_time = True
        args = args[1:]
    if len(args) != 1:
        print("usage: python3 mmtrace.py [--source | --time] TRACE.jsonl", file=sys.stderr)
        return 1
    path = args[0]
    try:
        tree = read_trace(path)
    except TraceError as error:
        where = f"{path}:{error.line}" if error.line else path
        print(f"mmtrace: {where}: {error.message}", file=sys.stderr)
        return 1
    compiler = Compiler(tree)
    source = compiler.module(path)
    if show_source:
        sys.stdout.write(source)
        sys.stdout.flush()
        return 0
    if sys.version_info[:2] != (3, 11) or sys.implementation.name != "cpython":
        print(f"mmtrace: needs CPython 3.11, this is {sys.implementation.name} "
              f"{sys.version.split()[0]}", file=sys.stderr)
        return 2
    try:
        code = compile(source, path, "exec")
        namespace = {
            "__builtins__": trace_builtins(compiler.finalize_events()),
            "__name__": "__mmtrace__",
        }
        locate_generations()
        started = time.perf_counter()
        exec(code, namespace)
        elapsed = time.perf_counter() - started
    except DriverError as error:
        print(f"mmtrace: {path}: driver error: {error}", file=sys.stderr)
        return 3
    except Exception as error:  # a bug of the driver: say so, with its traceback
        import traceback
        traceback.print_exc()
        print(f"mmtrace: {path}: driver error: {error!r}", file=sys.stderr)
        return 3
    if show_time:
        sys.stdout.write(f"{elapsed * 1000:.6f}\n")
        sys.stdout.flush()
        return 0
    events = _ev[:_ev_end]
    out = sys.stdout.buffer
    out.write("".join(line + "\n" for line in events).encode("utf-8"))
    out.flush()
    return 0


if __name__ == "__main__":
    status = main(sys.argv)
    sys.stderr.flush()
    # No interpreter teardown: finalizers that would run at exit belong to no event log, and
    # whatever they printed would only be noise.
    os._exit(status)
