// The iterators of ranges past 2^53 and past a C long, against python3: which type iter() and
// reversed() make (range_iterator or longrange_iterator), their sizes, values and length hints.

import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("range iterators of large values against python3", [
  [
    "types, sizes, values and hints",
    `
import sys, gc
for r in (range(2**62, 2**62+3), range(2**63, 2**63+3), range(-2**63, -2**63+2), range(0, 2**64, 2**62),
          range(10), range(2**63-2, 2**63+1), range(2**63-3, 2**63-1),
          range(2**53-1, 2**53+3), range(-2**53-2, -2**53+2), range(2**62, 2**62-5, -2), range(2**70, 2**70+2)):
    it = iter(r)
    print(type(it).__name__, sys.getsizeof(it), gc.is_tracked(it), it.__length_hint__(), list(it), it.__length_hint__())
    rv = reversed(r)
    print(" reversed", type(rv).__name__, sys.getsizeof(rv), rv.__length_hint__(), list(rv)[:4])
for v in range(2**62, 2**62+2):
    print(v, v - 2**62)
print(sum(range(2**60, 2**60+100)), [x % 7 for x in range(2**63 - 3, 2**63 + 2)])
it = iter(range(2**64))
print(next(it), next(it), it.__length_hint__() if False else "hint skipped")
try:
    print(iter(range(2**64)).__length_hint__())
except OverflowError as e:
    print("OverflowError", e)
for r in (range(2**63-1), range(0, 2**63-1, 2), range(5, -2**63, -1), range(5, -2**63+1, -1), range(-2**63, -2**63+2)):
    print(type(iter(r)).__name__, type(reversed(r)).__name__, next(iter(r)), next(reversed(r)))
try:
    list(iter(range(2**64)))
except OverflowError as e:
    print("OverflowError", e)`,
  ],
]);
