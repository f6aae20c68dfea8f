import fc from "fast-check";
import { expect } from "vitest";

/**
 * Runs a property that must fail (200 runs from a fixed seed) and returns its shrunk command
 * sequence and error message.
 */
export function counterexample<T>(
  property: fc.IPropertyWithHooks<[Iterable<T>]>,
  seed = 42,
): { commands: string[]; message: string } {
  const details = fc.check(property, { numRuns: 200, seed });
  expect(details.failed, "the property should have caught the broken system").toBe(true);
  const commands = String(details.counterexample![0])
    .replace(/ \/\*replayPath=.*\*\//, "")
    .split(",")
    .filter((c) => c !== "");
  expect(details.numShrinks, "the counterexample should have been shrunk").toBeGreaterThan(0);
  const error = details.errorInstance;
  return { commands, message: error instanceof Error ? error.message : String(error) };
}
