# f-strings, format() and str.format call a class's __format__, subclasses of str and int too.
class Money(int):
    def __format__(self, spec):
        return "$" + format(int(self), spec or ",")


class Label(str):
    def __format__(self, spec):
        return "<" + str.__format__(self, spec) + ">"


class Plain(str):
    pass


m = Money(1234567)
print(f"{m}", f"{m:>12,}", format(m, "d"), "{}".format(m), "{:x}".format(m))
print(f"{Label('tag')}", f"{Label('tag'):^7}", "{!s}".format(Label("raw")), f"{Label('r')!r}")
print(f"{Plain('p'):>3}|", format(Plain("q")), type(format(Plain("q"))).__name__)
