// `seq * n` at its limits, folded by the compiler or computed at run time: counts no Py_ssize_t
// holds, results too long to make, negative and zero counts, against python3.

import { describeAgainstPython } from "./against-python.js";

const CASES = [
  '"" * 2**63',
  '"" * -2**63',
  '"" * (-2**63-1)',
  "[] * 2**63",
  '"a" * 2**62',
  "(2**63) * []",
  'b"" * 2**63',
  "() * 2**64",
  '"ab" * 2**62',
  'b"ab" * 2**62',
  "[1] * 2**62",
  '"x" * 3',
  "[1, 2] * -1",
  '"ab" * -1',
  "(1, 2) * 200",
  '"é" * 5000',
  "True * (1,)",
];

describeAgainstPython("sequence repetition at its limits", [
  [
    "folded constants",
    CASES.map(
      (e) =>
        `try:\n    print(${JSON.stringify(e)}, repr(${e})[:40])\nexcept Exception as x:\n    print(${JSON.stringify(e)}, type(x).__name__, x)`,
    ).join("\n"),
  ],
  [
    "at run time",
    [
      "def run(seq, n):",
      "    try:",
      "        return repr(seq * n)[:40]",
      "    except Exception as x:",
      "        return f'{type(x).__name__} {x}'",
      ...CASES.map(
        (e) =>
          `print(${JSON.stringify(e)}, run(*(lambda a, b: (a, b))(${e.replace(" * ", ", ")})))`,
      ),
    ].join("\n"),
  ],
]);
