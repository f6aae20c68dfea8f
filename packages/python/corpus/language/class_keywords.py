# Keywords in a class statement go to the base's __init_subclass__, which can keep a registry of
# subclasses by name; object's own __init_subclass__ accepts no keywords.
class Plugin:
    registry = {}

    def __init_subclass__(cls, /, name=None, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.plugin_name = name or cls.__name__.lower()
        Plugin.registry[cls.plugin_name] = cls


class Json(Plugin, name="json"):
    pass


class Yaml(Plugin):
    pass


class StrictJson(Json, name="strict-json"):
    pass


print(sorted(Plugin.registry))
print(StrictJson.plugin_name, Json.plugin_name, Yaml.plugin_name)
print(Plugin.registry["json"] is Json)

options = {"name": "toml"}


class Toml(Plugin, **options):
    pass


print(Toml.plugin_name)

try:

    class Broken(Plugin, colour="red"):
        pass

except TypeError as error:
    print("TypeError:", error)

try:

    class Plain(object, verbose=True):
        pass

except TypeError as error:
    print("TypeError:", error)
