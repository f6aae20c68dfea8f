// The `random` module: the Mersenne Twister of CPython 3.11's _randommodule.c (MT19937 seeded by
// init_by_array over the seed's 32-bit words, `random()`'s 53-bit double made of two outputs,
// `getrandbits` word by word) under Python code that follows Lib/random.py's algorithms step by
// step (`_randbelow` by rejection over `getrandbits`, shuffle, sample's pool and set strategies,
// choices with cumulative weights, gauss's cached second value), so a seeded program draws
// exactly python3's numbers. A str, bytes or bytearray seed is hashed with SHA-512 first, as
// `Random.seed` does with version 2. Without a seed the generator is seeded from the host's
// cryptographic randomness (`crypto.getRandomValues`), as CPython seeds it from urandom.
//
// The generator's state is a native object of 2520 bytes (`RandomObject`: the head, the index,
// 624 words), held by each `Random` instance in a slot, so `vars(r)` shows only `gauss_next`.

import type { NativeType, Ref } from "@mm/runtime";
import type { CodeUnit } from "../compile/code.js";
import { deserializeCode } from "../compile/serialize.js";
import type { Host, Protocols } from "./host.js";
import { numberIndex } from "./number-index.js";
import { precompileSource, pythonModule } from "./python-module.js";
import { RANDOM_COMPILED } from "./random.compiled.js";

/** The module's Python source. */
const SOURCE = `"""Random variable generators: the Mersenne Twister with Lib/random.py's distributions."""

from math import log as _log, exp as _exp, pi as _pi, e as _e, ceil as _ceil
from math import sqrt as _sqrt, acos as _acos, cos as _cos, sin as _sin
from math import tau as TWOPI, floor as _floor, isfinite as _isfinite

__all__ = ["Random", "SystemRandom", "betavariate", "choice", "choices", "expovariate",
           "gammavariate", "gauss", "getrandbits", "getstate", "lognormvariate",
           "normalvariate", "paretovariate", "randbytes", "randint", "random", "randrange",
           "sample", "seed", "setstate", "shuffle", "triangular", "uniform", "vonmisesvariate",
           "weibullvariate"]

NV_MAGICCONST = 4 * _exp(-0.5) / _sqrt(2.0)
LOG4 = _log(4.0)
SG_MAGICCONST = 1.0 + _log(4.5)
BPF = 53
RECIP_BPF = 2 ** -BPF
_ONE = 1
_SEQUENCES = (list, tuple, str, range, bytes, bytearray, memoryview)


def _accumulate(values):
    total = None
    out = []
    for v in values:
        total = v if total is None else total + v
        out.append(total)
    return out


def _bisect(a, x, lo=0, hi=None):
    if hi is None:
        hi = len(a)
    while lo < hi:
        mid = (lo + hi) // 2
        if x < a[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


class Random:
    """Random number generator: the Mersenne Twister, seeded as CPython seeds it."""

    __slots__ = ("_mt", "__dict__", "__weakref__")
    VERSION = 3

    def __init__(self, x=None):
        self._mt = _new_state()
        self.seed(x)
        self.gauss_next = None

    def seed(self, a=None, version=2):
        """Initialize the internal state from an int, a float, a str, bytes or None."""
        if version == 1 and isinstance(a, (str, bytes)):
            a = a.decode('latin-1') if isinstance(a, bytes) else a
            x = ord(a[0]) << 7 if a else 0
            for c in map(ord, a):
                x = ((1000003 * x) ^ c) & 0xFFFFFFFFFFFFFFFF
            x ^= len(a)
            a = -2 if x == -1 else x
        elif version == 2 and isinstance(a, (str, bytes, bytearray)):
            if isinstance(a, str):
                a = a.encode()
            a = int.from_bytes(a + _sha512(bytes(a)))
        elif not isinstance(a, (type(None), int, float, str, bytes, bytearray)):
            raise TypeError('The only supported seed types are: None,\\n'
                            'int, float, str, bytes, and bytearray.')
        if a is None:
            _seed(self._mt, None)
        elif isinstance(a, int):
            _seed(self._mt, a)
        else:
            _seed(self._mt, hash(a) & 0xFFFFFFFFFFFFFFFF)
        self.gauss_next = None

    def random(self):
        """random() -> x in the interval [0, 1)."""
        return _random(self._mt)

    def getrandbits(self, k, /):
        """getrandbits(k) -> x.  Generates an int with k random bits."""
        return _getrandbits(self._mt, k)

    def getstate(self):
        """Return internal state; can be passed to setstate() later."""
        return self.VERSION, _getstate(self._mt), self.gauss_next

    def setstate(self, state):
        """Restore internal state from object returned by getstate()."""
        version = state[0]
        if version == 3:
            version, internalstate, self.gauss_next = state
            _setstate(self._mt, internalstate)
        elif version == 2:
            version, internalstate, self.gauss_next = state
            try:
                internalstate = tuple(x % (2 ** 32) for x in internalstate)
            except ValueError as e:
                raise TypeError from e
            _setstate(self._mt, internalstate)
        else:
            raise ValueError("state with version %s passed to "
                             "Random.setstate() of version %s" %
                             (version, self.VERSION))

    def _randbelow(self, n):
        "Return a random int in the range [0,n).  Defined for n > 0."
        getrandbits = self.getrandbits
        k = n.bit_length()
        r = getrandbits(k)
        while r >= n:
            r = getrandbits(k)
        return r

    def randbytes(self, n):
        """Generate n random bytes."""
        return self.getrandbits(n * 8).to_bytes(n, 'little')

    def randrange(self, start, stop=None, step=_ONE):
        """Choose a random item from range(stop) or range(start, stop[, step])."""
        istart = _as_int(start, "non-integer arg 1 for randrange()")
        if stop is None:
            if step is not _ONE:
                raise TypeError('Missing a non-None stop argument')
            if istart > 0:
                return self._randbelow(istart)
            raise ValueError("empty range for randrange()")
        istop = _as_int(stop, "non-integer stop for randrange()")
        width = istop - istart
        istep = _as_int(step, "non-integer step for randrange()")
        if istep == 1:
            if width > 0:
                return istart + self._randbelow(width)
            raise ValueError("empty range for randrange() (%d, %d, %d)" % (istart, istop, width))
        if istep > 0:
            n = (width + istep - 1) // istep
        elif istep < 0:
            n = (width + istep + 1) // istep
        else:
            raise ValueError("zero step for randrange()")
        if n <= 0:
            raise ValueError("empty range for randrange()")
        return istart + istep * self._randbelow(n)

    def randint(self, a, b):
        """Return random integer in range [a, b], including both end points."""
        return self.randrange(a, b+1)

    def choice(self, seq):
        """Choose a random element from a non-empty sequence."""
        if not len(seq):
            raise IndexError('Cannot choose from an empty sequence')
        return seq[self._randbelow(len(seq))]

    def shuffle(self, x):
        """Shuffle list x in place, and return None."""
        randbelow = self._randbelow
        for i in reversed(range(1, len(x))):
            j = randbelow(i + 1)
            x[i], x[j] = x[j], x[i]

    def sample(self, population, k, *, counts=None):
        """Chooses k unique random elements from a population sequence."""
        if not isinstance(population, _SEQUENCES):
            raise TypeError("Population must be a sequence.  "
                            "For dicts or sets, use sorted(d).")
        n = len(population)
        if counts is not None:
            cum_counts = _accumulate(counts)
            if len(cum_counts) != n:
                raise ValueError('The number of counts does not match the population')
            total = cum_counts.pop()
            if not isinstance(total, int):
                raise TypeError('Counts must be integers')
            if total <= 0:
                raise ValueError('Total of counts must be greater than zero')
            selections = self.sample(range(total), k=k)
            bisect = _bisect
            return [population[bisect(cum_counts, s)] for s in selections]
        randbelow = self._randbelow
        if not 0 <= k <= n:
            raise ValueError("Sample larger than population or is negative")
        result = [None] * k
        setsize = 21
        if k > 5:
            setsize += 4 ** _ceil(_log(k * 3, 4))
        if n <= setsize:
            pool = list(population)
            for i in range(k):
                j = randbelow(n - i)
                result[i] = pool[j]
                pool[j] = pool[n - i - 1]
        else:
            selected = set()
            selected_add = selected.add
            for i in range(k):
                j = randbelow(n)
                while j in selected:
                    j = randbelow(n)
                selected_add(j)
                result[i] = population[j]
        return result

    def choices(self, population, weights=None, *, cum_weights=None, k=1):
        """Return a k sized list of population elements chosen with replacement."""
        random = self.random
        n = len(population)
        if cum_weights is None:
            if weights is None:
                floor = _floor
                n += 0.0
                return [population[floor(random() * n)] for i in range(k)]
            try:
                cum_weights = _accumulate(weights)
            except TypeError:
                if not isinstance(weights, int):
                    raise
                k = weights
                raise TypeError(
                    f'The number of choices must be a keyword argument: {k=}'
                ) from None
        elif weights is not None:
            raise TypeError('Cannot specify both weights and cumulative weights')
        if len(cum_weights) != n:
            raise ValueError('The number of weights does not match the population')
        total = cum_weights[-1] + 0.0
        if total <= 0.0:
            raise ValueError('Total of weights must be greater than zero')
        if not _isfinite(total):
            raise ValueError('Total of weights must be finite')
        bisect = _bisect
        hi = n - 1
        return [population[bisect(cum_weights, random() * total, 0, hi)]
                for i in range(k)]

    def uniform(self, a, b):
        "Get a random number in the range [a, b) or [a, b] depending on rounding."
        return a + (b - a) * self.random()

    def triangular(self, low=0.0, high=1.0, mode=None):
        """Triangular distribution."""
        u = self.random()
        try:
            c = 0.5 if mode is None else (mode - low) / (high - low)
        except ZeroDivisionError:
            return low
        if u > c:
            u = 1.0 - u
            c = 1.0 - c
            low, high = high, low
        return low + (high - low) * _sqrt(u * c)

    def normalvariate(self, mu=0.0, sigma=1.0):
        """Normal distribution (Kinderman and Monahan's method)."""
        random = self.random
        while True:
            u1 = random()
            u2 = 1.0 - random()
            z = NV_MAGICCONST * (u1 - 0.5) / u2
            zz = z * z / 4.0
            if zz <= -_log(u2):
                break
        return mu + z * sigma

    def gauss(self, mu=0.0, sigma=1.0):
        """Gaussian distribution (Box-Muller, the second value kept for the next call)."""
        random = self.random
        z = self.gauss_next
        self.gauss_next = None
        if z is None:
            x2pi = random() * TWOPI
            g2rad = _sqrt(-2.0 * _log(1.0 - random()))
            z = _cos(x2pi) * g2rad
            self.gauss_next = _sin(x2pi) * g2rad
        return mu + z * sigma

    def lognormvariate(self, mu, sigma):
        """Log normal distribution."""
        return _exp(self.normalvariate(mu, sigma))

    def expovariate(self, lambd):
        """Exponential distribution."""
        return -_log(1.0 - self.random()) / lambd

    def vonmisesvariate(self, mu, kappa):
        """Circular data distribution."""
        random = self.random
        if kappa <= 1e-6:
            return TWOPI * random()
        s = 0.5 / kappa
        r = s + _sqrt(1.0 + s * s)
        while True:
            u1 = random()
            z = _cos(_pi * u1)
            d = z / (r + z)
            u2 = random()
            if u2 < 1.0 - d * d or u2 <= (1.0 - d) * _exp(d):
                break
        q = 1.0 / r
        f = (q + z) / (1.0 + q * z)
        u3 = random()
        if u3 > 0.5:
            theta = (mu + _acos(f)) % TWOPI
        else:
            theta = (mu - _acos(f)) % TWOPI
        return theta

    def gammavariate(self, alpha, beta):
        """Gamma distribution."""
        if alpha <= 0.0 or beta <= 0.0:
            raise ValueError('gammavariate: alpha and beta must be > 0.0')
        random = self.random
        if alpha > 1.0:
            ainv = _sqrt(2.0 * alpha - 1.0)
            bbb = alpha - LOG4
            ccc = alpha + ainv
            while True:
                u1 = random()
                if not 1e-7 < u1 < 0.9999999:
                    continue
                u2 = 1.0 - random()
                v = _log(u1 / (1.0 - u1)) / ainv
                x = alpha * _exp(v)
                z = u1 * u1 * u2
                r = bbb + ccc * v - x
                if r + SG_MAGICCONST - 4.5 * z >= 0.0 or r >= _log(z):
                    return x * beta
        elif alpha == 1.0:
            return -_log(1.0 - random()) * beta
        else:
            while True:
                u = random()
                b = (_e + alpha) / _e
                p = b * u
                if p <= 1.0:
                    x = p ** (1.0 / alpha)
                else:
                    x = -_log((b - p) / alpha)
                u1 = random()
                if p > 1.0:
                    if u1 <= x ** (alpha - 1.0):
                        break
                elif u1 <= _exp(-x):
                    break
            return x * beta

    def betavariate(self, alpha, beta):
        """Beta distribution."""
        y = self.gammavariate(alpha, 1.0)
        if y:
            return y / (y + self.gammavariate(beta, 1.0))
        return 0.0

    def paretovariate(self, alpha):
        """Pareto distribution."""
        u = 1.0 - self.random()
        return u ** (-1.0 / alpha)

    def weibullvariate(self, alpha, beta):
        """Weibull distribution."""
        u = 1.0 - self.random()
        return alpha * (-_log(u)) ** (1.0 / beta)


def _as_int(x, message):
    try:
        return _index(x)
    except TypeError:
        i = int(x)
        if i != x:
            raise ValueError(message)
        return i


class SystemRandom(Random):
    """Random numbers from the host's cryptographic source: not reproducible, seed() ignored."""

    def random(self):
        """Get the next random number in the range [0.0, 1.0)."""
        return (int.from_bytes(_urandom(7)) >> 3) * RECIP_BPF

    def getrandbits(self, k, /):
        """getrandbits(k) -> x.  Generates an int with k random bits."""
        if k < 0:
            raise ValueError('number of bits must be non-negative')
        numbytes = (k + 7) // 8
        x = int.from_bytes(_urandom(numbytes))
        return x >> (numbytes * 8 - k)

    def randbytes(self, n):
        """Generate n random bytes."""
        return _urandom(n)

    def seed(self, *args, **kwds):
        "Stub method.  Not used for a system random number generator."
        return None

    def _notimplemented(self, *args, **kwds):
        "Method should not be called for a system random number generator."
        raise NotImplementedError('System entropy source does not have state.')
    getstate = setstate = _notimplemented


_inst = Random()
seed = _inst.seed
random = _inst.random
uniform = _inst.uniform
triangular = _inst.triangular
randint = _inst.randint
choice = _inst.choice
randrange = _inst.randrange
sample = _inst.sample
shuffle = _inst.shuffle
choices = _inst.choices
normalvariate = _inst.normalvariate
lognormvariate = _inst.lognormvariate
expovariate = _inst.expovariate
vonmisesvariate = _inst.vonmisesvariate
gammavariate = _inst.gammavariate
gauss = _inst.gauss
betavariate = _inst.betavariate
paretovariate = _inst.paretovariate
weibullvariate = _inst.weibullvariate
getstate = _inst.getstate
setstate = _inst.setstate
getrandbits = _inst.getrandbits
randbytes = _inst.randbytes
`;

/** The file name the module's code and tracebacks carry. */
const FILENAME = "<random>";

/** The module's code, shared by every interpreter (read at the first import). */
let compiled: CodeUnit | undefined;

/**
 * The module's source compiled and serialized: what scripts/precompile.ts stores in
 * random.compiled.ts.
 */
export function precompiledRandom(): string {
  return precompileSource(SOURCE, FILENAME);
}

/** Words of state (`N`) and the twist's offset (`M`). */
const N = 624;
const M = 397;

/**
 * `RandomObject`: the 16-byte head, `index` (the next word to temper, N when a twist is due)
 * and the 624 words of `state`; 2520 bytes, as `sys.getsizeof(_random.Random())` reports.
 */
export const RandomState = { index: 16, state: 20, basicSize: 2520 } as const;

/** The Mersenne Twister over a state object's words in the heap. */
export class Twister {
  readonly #u32: () => Uint32Array;

  constructor(u32: () => Uint32Array) {
    this.#u32 = u32;
  }

  /** `init_genrand(s)`: the state filled from one word. */
  initGenrand(o: Ref, s: number): void {
    const u = this.#u32();
    const mt = (o + RandomState.state) >>> 2;
    u[mt] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = u[mt + i - 1]!;
      u[mt + i] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) >>> 0;
    }
    u[(o + RandomState.index) >>> 2] = N;
  }

  /** `init_by_array(key)`: the state filled from the key's words (at least one). */
  initByArray(o: Ref, key: Uint32Array): void {
    this.initGenrand(o, 19650218);
    const u = this.#u32();
    const mt = (o + RandomState.state) >>> 2;
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = u[mt + i - 1]!;
      u[mt + i] = ((u[mt + i]! ^ Math.imul(prev ^ (prev >>> 30), 1664525)) + key[j]! + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        u[mt] = u[mt + N - 1]!;
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = u[mt + i - 1]!;
      u[mt + i] = ((u[mt + i]! ^ Math.imul(prev ^ (prev >>> 30), 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        u[mt] = u[mt + N - 1]!;
        i = 1;
      }
    }
    u[mt] = 0x80000000;
  }

  /** `genrand_uint32`: the next tempered word, twisting all 624 when they are used up. */
  next(o: Ref): number {
    const u = this.#u32();
    const mt = (o + RandomState.state) >>> 2;
    const at = (o + RandomState.index) >>> 2;
    let index = u[at]!;
    if (index >= N) {
      for (let kk = 0; kk < N; kk++) {
        const y = (u[mt + kk]! & 0x80000000) | (u[mt + ((kk + 1) % N)]! & 0x7fffffff);
        u[mt + kk] = (u[mt + ((kk + M) % N)]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)) >>> 0;
      }
      index = 0;
    }
    let y = u[mt + index]!;
    u[at] = index + 1;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** `random_random`: a double in [0, 1) of 53 random bits (27 and 26 of two words). */
  random(o: Ref): number {
    const a = this.next(o) >>> 5;
    const b = this.next(o) >>> 6;
    return (a * 67108864 + b) * (1 / 9007199254740992);
  }

  /** `getrandbits(k)`: k bits, the words taken low first, the last one's top bits kept. */
  getrandbits(o: Ref, k: number): bigint {
    if (k <= 32) return BigInt(this.next(o) >>> (32 - k));
    let r = 0n;
    let shift = 0n;
    for (let left = k; left > 0; left -= 32) {
      let w = this.next(o);
      if (left < 32) w >>>= 32 - left;
      r |= BigInt(w) << shift;
      shift += 32n;
    }
    return r;
  }
}

/** A non-negative int's 32-bit words, least significant first (one word for 0). */
export function seedWords(n: bigint): Uint32Array {
  const words: number[] = [];
  do {
    words.push(Number(n & 0xffffffffn));
    n >>= 32n;
  } while (n > 0n);
  return Uint32Array.from(words);
}

/** Random bytes from the host's cryptographic source (`os.urandom`). */
export function urandom(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let at = 0; at < n; at += 65536)
    globalThis.crypto.getRandomValues(out.subarray(at, Math.min(n, at + 65536)));
  return out;
}

const K512 = [
  "428a2f98d728ae22",
  "7137449123ef65cd",
  "b5c0fbcfec4d3b2f",
  "e9b5dba58189dbbc",
  "3956c25bf348b538",
  "59f111f1b605d019",
  "923f82a4af194f9b",
  "ab1c5ed5da6d8118",
  "d807aa98a3030242",
  "12835b0145706fbe",
  "243185be4ee4b28c",
  "550c7dc3d5ffb4e2",
  "72be5d74f27b896f",
  "80deb1fe3b1696b1",
  "9bdc06a725c71235",
  "c19bf174cf692694",
  "e49b69c19ef14ad2",
  "efbe4786384f25e3",
  "0fc19dc68b8cd5b5",
  "240ca1cc77ac9c65",
  "2de92c6f592b0275",
  "4a7484aa6ea6e483",
  "5cb0a9dcbd41fbd4",
  "76f988da831153b5",
  "983e5152ee66dfab",
  "a831c66d2db43210",
  "b00327c898fb213f",
  "bf597fc7beef0ee4",
  "c6e00bf33da88fc2",
  "d5a79147930aa725",
  "06ca6351e003826f",
  "142929670a0e6e70",
  "27b70a8546d22ffc",
  "2e1b21385c26c926",
  "4d2c6dfc5ac42aed",
  "53380d139d95b3df",
  "650a73548baf63de",
  "766a0abb3c77b2a8",
  "81c2c92e47edaee6",
  "92722c851482353b",
  "a2bfe8a14cf10364",
  "a81a664bbc423001",
  "c24b8b70d0f89791",
  "c76c51a30654be30",
  "d192e819d6ef5218",
  "d69906245565a910",
  "f40e35855771202a",
  "106aa07032bbd1b8",
  "19a4c116b8d2d0c8",
  "1e376c085141ab53",
  "2748774cdf8eeb99",
  "34b0bcb5e19b48a8",
  "391c0cb3c5c95a63",
  "4ed8aa4ae3418acb",
  "5b9cca4f7763e373",
  "682e6ff3d6b2b8a3",
  "748f82ee5defb2fc",
  "78a5636f43172f60",
  "84c87814a1f0ab72",
  "8cc702081a6439ec",
  "90befffa23631e28",
  "a4506cebde82bde9",
  "bef9a3f7b2c67915",
  "c67178f2e372532b",
  "ca273eceea26619c",
  "d186b8c721c0c207",
  "eada7dd6cde0eb1e",
  "f57d4f7fee6ed178",
  "06f067aa72176fba",
  "0a637dc5a2c898a6",
  "113f9804bef90dae",
  "1b710b35131c471b",
  "28db77f523047d84",
  "32caab7b40c72493",
  "3c9ebe0a15c9bebc",
  "431d67c49c100d4c",
  "4cc5d4becb3e42b6",
  "597f299cfc657e2a",
  "5fcb6fab3ad6faec",
  "6c44198c4a475817",
].map((h) => BigInt(`0x${h}`));

const H512 = [
  "6a09e667f3bcc908",
  "bb67ae8584caa73b",
  "3c6ef372fe94f82b",
  "a54ff53a5f1d36f1",
  "510e527fade682d1",
  "9b05688c2b3e6c1f",
  "1f83d9abfb41bd6b",
  "5be0cd19137e2179",
].map((h) => BigInt(`0x${h}`));

const MASK64 = (1n << 64n) - 1n;

function rotr(x: bigint, n: bigint): bigint {
  return ((x >> n) | (x << (64n - n))) & MASK64;
}

/** SHA-512 (FIPS 180-4) of `data`: 64 bytes. */
export function sha512(data: Uint8Array): Uint8Array {
  const bitLength = BigInt(data.length) * 8n;
  const padded = new Uint8Array(Math.ceil((data.length + 17) / 128) * 128);
  padded.set(data);
  padded[data.length] = 0x80;
  for (let i = 0; i < 16; i++)
    padded[padded.length - 1 - i] = Number((bitLength >> BigInt(8 * i)) & 0xffn);
  const h = H512.slice();
  const w = new Array<bigint>(80);
  const view = new DataView(padded.buffer);
  for (let block = 0; block < padded.length; block += 128) {
    for (let t = 0; t < 16; t++) w[t] = view.getBigUint64(block + 8 * t);
    for (let t = 16; t < 80; t++) {
      const x = w[t - 15]!;
      const y = w[t - 2]!;
      const s0 = rotr(x, 1n) ^ rotr(x, 8n) ^ (x >> 7n);
      const s1 = rotr(y, 19n) ^ rotr(y, 61n) ^ (y >> 6n);
      w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) & MASK64;
    }
    let [a, b, c, d, e, f, g, hh] = h as [
      bigint,
      bigint,
      bigint,
      bigint,
      bigint,
      bigint,
      bigint,
      bigint,
    ];
    for (let t = 0; t < 80; t++) {
      const s1 = rotr(e, 14n) ^ rotr(e, 18n) ^ rotr(e, 41n);
      const ch = (e & f) ^ (~e & MASK64 & g);
      const t1 = (hh + s1 + ch + K512[t]! + w[t]!) & MASK64;
      const s0 = rotr(a, 28n) ^ rotr(a, 34n) ^ rotr(a, 39n);
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (s0 + maj) & MASK64;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) & MASK64;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) & MASK64;
    }
    const next = [a, b, c, d, e, f, g, hh];
    for (let i = 0; i < 8; i++) h[i] = (h[i]! + next[i]!) & MASK64;
  }
  const out = new Uint8Array(64);
  const outView = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) outView.setBigUint64(8 * i, h[i]!);
  return out;
}

/**
 * The `random` module (a new reference): the state type and the generator's natives defined,
 * then its Python source run in its namespace.
 */
export function randomModule(b: Protocols): Ref {
  compiled ??= deserializeCode(RANDOM_COMPILED);
  const vm: Host = b.vm;
  const py = vm.py;
  const native: NativeType = py.defineType({ name: "Random", basicSize: RandomState.basicSize });
  const stateType = b.newNativeType("Random", native, "_random");
  const mt = new Twister(() => py.memory.u32);
  const state = (o: Ref | undefined): Ref => {
    if (o === undefined || vm.typeOf(o) !== stateType)
      vm.raise("TypeError", "a random state object is required");
    return o;
  };
  return pythonModule(
    b,
    {
      name: "random",
      filename: FILENAME,
      source: SOURCE,
      natives: {
        _new_state: () => {
          const o = py.allocate(native);
          mt.initGenrand(o, 19650218);
          return o;
        },
        _seed: (a) => {
          const o = state(a[0]);
          const n = a[1];
          if (n === undefined || n === py.none) {
            const key = new Uint32Array(N);
            globalThis.crypto.getRandomValues(key);
            mt.initByArray(o, key);
          } else {
            const v = BigInt(vm.intOf(n));
            mt.initByArray(o, seedWords(v < 0n ? -v : v));
          }
          return py.newRef(py.none);
        },
        _random: (a) => py.float(mt.random(state(a[0]))),
        _getrandbits: (a) => {
          const o = state(a[0]);
          const k = numberIndex(b, a[1]!);
          if (k < 0n) vm.raise("ValueError", "number of bits must be non-negative");
          if (k > 0x7fffffffn)
            vm.raise("OverflowError", "Python int too large to convert to C int");
          return py.int(k === 0n ? 0 : mt.getrandbits(o, Number(k)));
        },
        _getstate: (a) => {
          const o = state(a[0]);
          // The words are read before any int is made: making one may grow the heap, which
          // replaces the memory's typed arrays.
          const at = (o + RandomState.state) >>> 2;
          const words = Array.from(py.memory.u32.subarray(at, at + N));
          words.push(py.memory.u32[(o + RandomState.index) >>> 2]!);
          const items = words.map((w) => py.int(w));
          const t = py.tuple(items);
          for (const i of items) py.decref(i);
          return t;
        },
        _setstate: (a) => {
          const o = state(a[0]);
          const s = a[1]!;
          if (vm.kindOf(s) !== "tuple") vm.raise("TypeError", "state vector must be a tuple");
          const items = py.items(s);
          if (items.length !== N + 1) vm.raise("ValueError", "state vector is the wrong size");
          const words = new Uint32Array(N);
          for (let i = 0; i < N; i++) {
            const v = numberIndex(b, items[i]!);
            if (v < 0n) vm.raise("OverflowError", "can't convert negative value to unsigned int");
            if (v > 0xffffffffffffffffn)
              vm.raise("OverflowError", "Python int too large to convert to C unsigned long");
            words[i] = Number(v & 0xffffffffn);
          }
          const index = numberIndex(b, items[N]!);
          if (index < 0n || index > BigInt(N)) vm.raise("ValueError", "invalid state");
          py.memory.u32.set(words, (o + RandomState.state) >>> 2);
          py.memory.u32[(o + RandomState.index) >>> 2] = Number(index);
          return py.newRef(py.none);
        },
        _sha512: (a) => b.bytes(sha512(b.bytesType.data(a[0]!))),
        _urandom: (a) => {
          const n = numberIndex(b, a[0]!);
          if (n < 0n) vm.raise("ValueError", "negative argument not allowed");
          return b.bytes(urandom(Number(n)));
        },
        _index: (a) => py.int(numberIndex(b, a[0]!)),
      },
    },
    compiled,
  );
}
