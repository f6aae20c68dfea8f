// The hash of objects that hash by identity (instances of classes without __eq__, functions,
// `object()`): CPython's `_Py_HashPointer` of the object's address.

/** `_Py_HashPointer`: the address rotated right by 4 bits, as a signed 64-bit hash. */
export function hashPointer(address: number): bigint {
  const y = ((BigInt(address) >> 4n) | (BigInt(address & 15) << 60n)) & 0xffffffffffffffffn;
  const signed = y >= 1n << 63n ? y - (1n << 64n) : y;
  return signed === -1n ? -2n : signed;
}
