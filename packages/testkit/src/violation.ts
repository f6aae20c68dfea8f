/**
 * Thrown inside a property when the system under test disagrees with its model. fast-check
 * catches it, shrinks the command sequence, and reports the message with the counterexample.
 */
export class ModelViolation extends Error {
  override readonly name = "ModelViolation";
}

/** Throws a {@link ModelViolation} with `message` unless `condition` holds. */
export function expectThat(condition: boolean, message: () => string): asserts condition {
  if (!condition) throw new ModelViolation(message());
}
