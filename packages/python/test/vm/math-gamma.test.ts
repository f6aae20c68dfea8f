// math.gamma, lgamma, erf and erfc through the module, against python3: values, special
// values, and the errors math_1a makes of errno (domain, range) and of bad arguments.

import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("math's gamma and error functions against python3", [
  [
    "values and errors",
    `import math
for f in (math.gamma, math.lgamma, math.erf, math.erfc):
    for x in (0.5, -2.5, 5.3, 171.2, 1e-25, 3.3, -0.3, 30.0, 2.9, -4.2, 7, True):
        print(f.__name__, x, repr(f(x)))
for bad in (lambda: math.gamma(0), lambda: math.gamma(-3), lambda: math.gamma(172),
            lambda: math.lgamma(-2), lambda: math.lgamma(1e308), lambda: math.gamma(float("-inf")),
            lambda: math.gamma("x"), lambda: math.erf(float("nan")), lambda: math.lgamma(float("-inf")),
            lambda: math.gamma(-0.0), lambda: math.erfc(40), lambda: math.gamma(),
            lambda: math.erf(1, 2), lambda: math.gamma(1e-320), lambda: math.gamma(-250.5),
            lambda: math.erfc(-40), lambda: math.erf(float("-inf"))):
    try:
        print(repr(bad()))
    except Exception as e:
        print(type(e).__name__, e)`,
  ],
]);
