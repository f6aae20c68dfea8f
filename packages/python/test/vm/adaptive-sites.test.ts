// The adaptive `+=` of a quickened code at a site whose operands change type, against python3:
// a specialisation attempt that fails backs off, and the failed run counts as the first of the
// wait (CPython's adaptive instruction runs again at once and decrements its new counter). The
// in-place str append of BINARY_OP_INPLACE_ADD_UNICODE keeps the str's id where the generic
// `+=` makes a new str, so the ids print which form ran each time.

import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("adaptive += at sites of several operand types", [
  [
    "str += alternating with list += at one instruction",
    `
def f(n, k, j):
    out = []
    for i in range(n):
        acc = [] if i % k == j else str(i * 1000003)
        before = id(acc)
        acc += [1] if i % k == j else "t"
        out.append("L" if i % k == j else ("=" if id(acc) == before else "n"))
    return "".join(out)

for k in (2, 3, 4, 5, 7):
    for j in range(k):
        print(k, j, f(1500, k, j))
`,
  ],
]);
