import { LawViolation } from './law-violation.js';

const LAW = 'tie-order independence';

/** JSON with object keys sorted, so two observations compare by content. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x !== null && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x,
  );
}

/**
 * What a run observes must not depend on the order of simultaneous events. `run` builds its
 * cluster with the options given (the seed, and `tieShuffle` off, then on: a seeded permutation
 * of every tie) and returns an observation as plain data: counts, a final state, the set of
 * revisions that answered — never timings, which a different order legitimately changes. The
 * two observations must be equal. A property over seeds tries a new permutation for each.
 */
export function tieOrderIndependent<T>(run: (options: { seed: number; tieShuffle: boolean }) => T, seed: number): T {
  const plain = run({ seed, tieShuffle: false });
  const shuffled = run({ seed, tieShuffle: true });
  const a = canonical(plain);
  const b = canonical(shuffled);
  if (a !== b) throw new LawViolation(LAW, `seed ${seed} observed differently when ties were shuffled:\n  in order: ${a}\n  shuffled: ${b}`, { seed, plain, shuffled });
  return plain;
}
