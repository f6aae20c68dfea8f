// sys's struct sequences against python3: their reprs, fields, sizes, tracking, tuple behaviour
// and refusal to make instances.

import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("sys.version_info, float_info, int_info and hash_info", [
  [
    "reprs, fields, sizes and tuple behaviour",
    `
import sys, gc
for name in ["version_info", "float_info", "int_info", "hash_info"]:
    seq = getattr(sys, name)
    print(name, repr(seq), type(seq), type(seq).__mro__, len(seq), seq.n_fields)
    print(sys.getsizeof(seq), gc.is_tracked(seq), isinstance(seq, tuple), seq[0], seq[-1], tuple(seq) == seq)
    try:
        type(seq)()
    except TypeError as e:
        print(e)
print(sys.version_info.major, sys.version_info[:2], sys.version_info >= (3, 8), sys.version_info < (3, 12))
major, minor, *rest = sys.version_info
print(major, minor, rest)
print(sys.float_info.max, sys.float_info.epsilon, sys.float_info.dig, sys.int_info.bits_per_digit)
print(sys.hash_info.modulus == 2**61 - 1, hash(float("inf")) == sys.hash_info.inf)
print(sys.version_info is sys.version_info)
T = type(sys.int_info)
for args in [((1, 2, 3, 4),), ((1, 2, 3),), ([1, 2, 3, 4],), (5,)]:
    try:
        print(repr(T(*args)))
    except TypeError as e:
        print(e)
`,
  ],
]);
