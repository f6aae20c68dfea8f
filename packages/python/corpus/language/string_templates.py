# string.Template fills $name placeholders from a mapping: simpler than str.format for text
# written by users, since it evaluates no expressions. The string module also names character sets.
import string
from string import Template

letter = Template("Dear $name,\nyour order #${order}A ships on $day. Total: $$$total\n")
print(letter.substitute(name="Ada", order=1042, day="Monday", total="12.50"), end="")
print(letter.get_identifiers(), letter.is_valid())

# A missing name is a KeyError with substitute; safe_substitute leaves the placeholder as written.
try:
    letter.substitute(name="Bob")
except KeyError as missing:
    print("missing:", missing)
print(letter.safe_substitute(name="Bob").splitlines()[1])

try:
    Template("cost: $5").substitute()
except ValueError as err:
    print(err)

password = "Tr0ub4dor&3"
print(all(c in string.printable for c in password),
      any(c in string.punctuation for c in password),
      sum(c in string.digits for c in password))
print(string.capwords("the quick  brown fox"), string.ascii_uppercase[:5], string.hexdigits)
print(string.Formatter().format("{0:>6}|{name!r}", 42, name="x"))
