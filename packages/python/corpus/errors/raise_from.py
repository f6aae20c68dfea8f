# `raise ... from err` prints both tracebacks, joined by "The above exception was the direct cause".
class ConfigError(Exception):
    pass


def load(settings, key):
    try:
        return int(settings[key])
    except (KeyError, ValueError) as err:
        raise ConfigError(f"setting {key!r} is unusable") from err


settings = {"port": "8080", "timeout": "soon"}
print("port:", load(settings, "port"))
print("timeout:", load(settings, "timeout"))
