// One-character strs against python3: for every character an identifier may hold, whether the
// compiler's interned literal, a name's str (a class attribute's key) and `sys.intern(chr(n))`
// are the cached latin-1 singleton `chr(n)`, or the static str CPython 3.11 starts with.

import { describeAgainstPython } from "./against-python.js";

const identifierChars = [..."_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"];

const literals = identifierChars
  .map((c) => `print(${JSON.stringify(c)}, ${JSON.stringify(c)} is chr(${c.charCodeAt(0)}))`)
  .join("\n");

const names = identifierChars
  .filter((c) => !/[0-9]/.test(c))
  .map((c) => `    ${c} = 0`)
  .join("\n");

describeAgainstPython("one-character strs", [
  ["literals that look like identifiers", literals],
  [
    "names and sys.intern",
    `import sys
class Names:
${names}
for key in vars(Names):
    if len(key) == 1:
        print(key, key is chr(ord(key)))
for n in range(256):
    c = chr(n)
    if sys.intern(c) is not c:
        print("static", repr(c))
print(sys.intern("ab"[:1]) is "ab"[:1], "x" * 1 is chr(120))`,
  ],
]);
