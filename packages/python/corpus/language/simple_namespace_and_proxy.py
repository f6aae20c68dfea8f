# types.SimpleNamespace is an object that is only attributes (handy for settings), and
# types.MappingProxyType is a read-only window onto a dict that still shows the dict's changes.
import types

config = types.SimpleNamespace(host="localhost", port=8080)
config.debug = True
print(config)
print(config.port + 1, vars(config))
print(config == types.SimpleNamespace(host="localhost", port=8080, debug=True))

defaults = {"retries": 3, "timeout": 1.5}
view = types.MappingProxyType(defaults)
print(view["retries"], len(view), list(view))
try:
    view["retries"] = 10
except TypeError as err:
    print("read-only:", err)
defaults["verbose"] = False  # the owner can still change the dict, and the view shows it
print(dict(view))

# Classes hand out the same kind of read-only view of their namespace.
print(isinstance(types.SimpleNamespace.__dict__, types.MappingProxyType))
print(isinstance(print, types.BuiltinFunctionType), isinstance(lambda: 0, types.FunctionType))
