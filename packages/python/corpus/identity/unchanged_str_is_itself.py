# A str method that changes nothing gives back the same object; one that builds text makes a new one.
word = "".join(["mem", "ory"])  # built at run time, so not shared with any constant


class Text(str):
    pass


sub = Text("memory")
checks = [
    ("strip()", lambda s: s.strip()),
    ("rstrip('z')", lambda s: s.rstrip("z")),
    ("ljust(3)", lambda s: s.ljust(3)),
    ("center(6)", lambda s: s.center(6)),
    ("zfill(2)", lambda s: s.zfill(2)),
    ("expandtabs()", lambda s: s.expandtabs()),
    ("replace('z', 'y')", lambda s: s.replace("z", "y")),
    ("removeprefix('x')", lambda s: s.removeprefix("x")),
    ("partition('#')[0]", lambda s: s.partition("#")[0]),
    ("''.join([s])", lambda s: "".join([s])),
    ("s * 1", lambda s: s * 1),
    ("s[:]", lambda s: s[:]),
    ("format(s)", lambda s: format(s)),
    ("'%s' % s", lambda s: "%s" % s),
    ("f'{s}'", lambda s: f"{s}"),
    ("str(s)", lambda s: str(s)),
    ("lower()", lambda s: s.lower()),
    ("s + ''", lambda s: s + ""),
    ("'%8s' % s", lambda s: "%8s" % s),
]
for name, f in checks:
    print(f"{name:20} same: {f(word) is word!s:5} subclass same: {f(sub) is sub}")
