import { hashStrings } from '../../trace/bus.js';
import type { KnsimTraceEvent } from '../../trace/events.js';
import { LawViolation } from './law-violation.js';

const LAW = 'same seed, same trace';

/**
 * Runs `run(seed)` twice and requires byte-identical traces (compared by the recorder's stable
 * hash). On a difference, the message shows the first event that differs in each run. Returns
 * the hash and the number of events.
 *
 * ```ts
 * sameSeedSameTrace((seed) => { const t = smallCluster({ seed, manifests }); burst(t.cluster, req, 20); return t.events; }, 7);
 * ```
 */
export function sameSeedSameTrace(run: (seed: number) => readonly KnsimTraceEvent[], seed: number): { hash: string; events: number } {
  const a = run(seed).map((e) => JSON.stringify(e));
  const b = run(seed).map((e) => JSON.stringify(e));
  const ha = hashStrings(a);
  const hb = hashStrings(b);
  if (ha !== hb) {
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    throw new LawViolation(LAW, `seed ${seed} gave two traces (hashes ${ha} and ${hb}); they first differ at event ${i}:\n  first run:  ${a[i] ?? '(ended)'}\n  second run: ${b[i] ?? '(ended)'}`, { seed, index: i, first: a[i], second: b[i] });
  }
  return { hash: ha, events: a.length };
}
