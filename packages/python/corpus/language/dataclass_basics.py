# @dataclass writes __init__, __repr__ and __eq__ from the annotated fields, in order; a
# default_factory gives each instance its own list; order=True compares fields as tuples.
from dataclasses import asdict, astuple, dataclass, field, fields


@dataclass(order=True)
class Task:
    priority: int
    title: str = ""
    tags: list = field(default_factory=list, compare=False)

    def __post_init__(self):
        self.title = self.title.strip()


a = Task(2, " write ")
b = Task(1, "read")
a.tags.append("doc")
print(a, b)
print(sorted([a, b]), a == Task(2, "write"), b.tags is not a.tags)
print([f.name for f in fields(Task)], Task.__match_args__)
print(asdict(a), astuple(b))
print(Task.__init__.__qualname__, Task.__doc__)
for args in [(), (1, "x", [], 4)]:
    try:
        Task(*args)
    except TypeError as error:
        print("TypeError:", error)
try:
    Task(1, colour="red")
except TypeError as error:
    print("TypeError:", error)
try:

    @dataclass
    class Bad:
        items: list = []

except ValueError as error:
    print("ValueError:", error)
