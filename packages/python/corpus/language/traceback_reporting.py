# The traceback module gives a program the report Python prints for an uncaught exception:
# format_exc()/print_exc() inside an except block, the frames one by one with extract_tb, the
# last line alone with format_exception_only, and chained exceptions with their link lines.
import sys
import traceback


def parse(text):
    return int(text)


def total(items):
    return sum(parse(t) for t in items)


def here(text):
    # Tracebacks name the file; print it as <file> so the output does not depend on the path.
    return text.replace(__file__, "<file>")


try:
    total(["1", "2", "x"])
except ValueError:
    report = traceback.format_exc()
    print(here(report), end="")
    print(report.splitlines()[-1])

try:
    {}["missing"]
except KeyError as e:
    for frame in traceback.extract_tb(e.__traceback__):
        print(frame.name, frame.lineno, frame.line)
    print(traceback.format_exception_only(e))


class ConfigError(Exception):
    pass


def load():
    try:
        return 1 / 0
    except ZeroDivisionError as e:
        raise ConfigError("could not load") from e


try:
    load()
except ConfigError as e:
    print(here("".join(traceback.format_exception(e))), end="")
    print("--- without the chain ---")
    print(here("".join(traceback.format_exception(e, chain=False))), end="")

try:
    try:
        [][1]
    except IndexError:
        None.upper()
except AttributeError:
    print(here(traceback.format_exc()), end="")
    traceback.print_exc(limit=0, chain=False, file=sys.stdout)


def where():
    return [(f.name, f.lineno) for f in traceback.extract_stack()]


print(where()[-2:])
print(traceback.format_exc())
