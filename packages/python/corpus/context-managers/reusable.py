# One manager object can be used by several with statements, even nested ones, if it counts depth.
class Indent:
    def __init__(self):
        self.depth = 0

    def __enter__(self):
        self.depth += 1
        return self

    def __exit__(self, exc_type, exc, tb):
        self.depth -= 1
        return False

    def line(self, text):
        print("    " * self.depth + text)


out = Indent()
out.line("top")
with out:
    out.line("one")
    with out:
        out.line("two")
    out.line("back to one")
out.line("back to top")
