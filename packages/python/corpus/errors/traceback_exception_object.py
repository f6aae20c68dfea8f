# traceback.TracebackException captures an exception as data: its type, its message, the
# frames it passed through and the exceptions chained to it. It can be formatted later, with
# or without the chain, and it does not keep the exception object alive.
import sys
import traceback


def parse(text):
    try:
        return int(text)
    except ValueError as e:
        raise RuntimeError(f"cannot parse {text!r}") from e


try:
    parse("twelve")
except RuntimeError as e:
    report = traceback.TracebackException.from_exception(e)

print(report.exc_type.__name__, "-", report)
print([frame.name for frame in report.stack])
print("caused by:", report.__cause__.exc_type.__name__)
# The file's path is left out of the printed text: it depends on where the program runs.
print("".join(report.format(chain=False)).replace(__file__, "prog.py"), end="")
print("---")
print("".join(report.format()).replace(__file__, "prog.py"), end="")
report.print(file=sys.stderr)
