# `raise ... from` sets __cause__; raising inside an except block sets __context__ automatically.
class ConfigError(Exception):
    pass


def parse_port(text):
    try:
        return int(text)
    except ValueError as e:
        raise ConfigError(f"bad port {text!r}") from e


def cleanup_fails():
    try:
        [][0]
    except IndexError:
        raise RuntimeError("while handling the IndexError")


try:
    parse_port("80a")
except ConfigError as e:
    print("error:", e)
    print("cause:", repr(e.__cause__))
    print("suppress context:", e.__suppress_context__)

try:
    cleanup_fails()
except RuntimeError as e:
    print("error:", e)
    print("cause:", e.__cause__)
    print("context:", repr(e.__context__))
    print("traceback kept:", e.__traceback__ is not None)
