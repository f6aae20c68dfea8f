# Regular expressions pull fields out of text: named groups, findall, sub with a function,
# split that keeps its separators, and re.error for a pattern that does not compile.
import re

log = """2024-01-05 12:00:01 INFO  user=ann action=login
2024-01-05 12:00:07 WARN  user=bob action=retry attempts=3
2024-01-05 12:01:30 ERROR user=ann action=upload size=12MB"""

line_re = re.compile(r"^(?P<date>\S+) (?P<time>\S+) (?P<level>[A-Z]+)\s+(?P<rest>.*)$", re.M)
for m in line_re.finditer(log):
    fields = dict(re.findall(r"(\w+)=(\S+)", m["rest"]))
    print(m.group("level"), m.span("time"), fields)

print(line_re)
print(re.sub(r"\d+", lambda m: str(int(m.group()) * 2), "3 apples and 12 pears"))
print(re.sub(r"(?P<first>\w+) (?P<last>\w+)", r"\g<last>, \g<first>", "Ada Lovelace"))
print(re.split(r"\s*([,;])\s*", "a , b;c ,d", maxsplit=2))
print(re.fullmatch(r"[\w.]+@\w+\.(com|org)", "me.too@example.org").groups())
print(re.findall(r"\b(\w)(\w*)\1\b", "noon level stats abc"))

try:
    re.compile(r"(?P<year>\d{4}")
except re.error as e:
    print("bad pattern:", e.msg, "at", e.pos)
