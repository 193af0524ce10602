import fc from 'fast-check';

export interface PercentsOptions {
  /** Fewest parts (default 1). */
  minLength?: number;
  /** Most parts (default 4, at most 101, or 100 without zeros). */
  maxLength?: number;
  /** Whether a part may be 0 (default true). */
  zero?: boolean;
}

/**
 * Whole percents summing to exactly 100, valid by construction: n − 1 cut points in [0, 100]
 * (distinct points in [1, 99] when zero is not allowed), sorted, and the gaps between them.
 * Shrinking removes cuts (fewer parts) and moves them toward 0, so a failure shrinks toward
 * `[100]` or a 1%/99% canary.
 */
export function percents(o: PercentsOptions = {}): fc.Arbitrary<number[]> {
  const zero = o.zero ?? true;
  const min = o.minLength ?? 1;
  const max = o.maxLength ?? 4;
  if (!(Number.isInteger(min) && min >= 1 && Number.isInteger(max) && max >= min && max <= (zero ? 101 : 100))) {
    throw new RangeError(`percents: need 1 <= minLength <= maxLength <= ${zero ? 101 : 100}, got ${min} and ${max}`);
  }
  const cut = zero ? fc.integer({ min: 0, max: 100 }) : fc.integer({ min: 1, max: 99 });
  const cuts = zero ? fc.array(cut, { minLength: min - 1, maxLength: max - 1 }) : fc.uniqueArray(cut, { minLength: min - 1, maxLength: max - 1 });
  return cuts.map((cs) => {
    const sorted = [...cs].sort((a, b) => a - b);
    return [...sorted, 100].map((c, i) => c - (i === 0 ? 0 : sorted[i - 1]!));
  });
}
