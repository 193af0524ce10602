import fc from 'fast-check';

/**
 * Gives a generated value the text fast-check prints for it in a counterexample (its
 * `toStringMethod`), so a failing property shows ready-to-apply YAML rather than a JS literal.
 * The method is not enumerable: equality, JSON and spreading see the plain value.
 */
export function printable<T extends object>(value: T, print: (v: T) => string): T {
  Object.defineProperty(value, fc.toStringMethod, { value: () => print(value), enumerable: false });
  return value;
}
