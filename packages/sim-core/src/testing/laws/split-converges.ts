import { binomialInterval } from '../_internals/stats.js';
import { LawViolation } from './law-violation.js';

/** A traffic target as a Service's or Route's spec (or a `route.programmed` event) has it. */
export interface SplitTarget {
  revisionName?: string;
  latestRevision?: boolean;
  percent?: number;
  tag?: string;
}

export interface SplitReport {
  /** Responses a revision answered (the ones counted). */
  n: number;
  /** Responses no revision answered (a 404, a 503 before any pod); not counted. */
  unanswered: number;
  /** The family-wise false-failure probability the bounds are drawn at. */
  alpha: number;
  /** Per revision: its share, the expected count, the bound [lo, hi] and what was observed. */
  targets: Array<{ revision: string; percent: number; expected: number; bound: [number, number]; observed: number }>;
}

const LAW = 'split convergence';

/**
 * The answers' split over revisions matches the traffic block within an exact binomial bound:
 * each revision's count lies in the central interval of Binomial(n, percent/100) that leaves
 * alpha/m in the tails (m revisions, Bonferroni), so a correct router fails the law with
 * probability at most `alpha` (default 1e-6). A revision outside the block, or at 0%, must answer
 * nothing. `latest` names the revision a `latestRevision: true` target means. Returns the bounds.
 */
export function splitConverges(
  responses: ReadonlyArray<{ readonly revision: string | null }>,
  traffic: readonly SplitTarget[],
  o: { latest?: string; alpha?: number } = {},
): SplitReport {
  const alpha = o.alpha ?? 1e-6;
  const share = new Map<string, number>();
  for (const t of traffic) {
    const rev = t.latestRevision ? o.latest : t.revisionName;
    if (rev === undefined) throw new RangeError(`${LAW}: target ${JSON.stringify(t)} names no revision${t.latestRevision ? ' (pass { latest } for latestRevision targets)' : ''}`);
    share.set(rev, (share.get(rev) ?? 0) + (t.percent ?? 0));
  }
  const observed = new Map<string, number>();
  let unanswered = 0;
  for (const r of responses) {
    if (r.revision === null) unanswered++;
    else observed.set(r.revision, (observed.get(r.revision) ?? 0) + 1);
  }
  const n = responses.length - unanswered;
  const revisions = [...new Set([...share.keys(), ...observed.keys()])].sort();
  const targets = revisions.map((revision) => {
    const percent = share.get(revision) ?? 0;
    return { revision, percent, expected: (n * percent) / 100, bound: binomialInterval(n, percent / 100, alpha / revisions.length), observed: observed.get(revision) ?? 0 };
  });
  const report: SplitReport = { n, unanswered, alpha, targets };
  const bad = targets.filter((t) => t.observed < t.bound[0] || t.observed > t.bound[1]);
  if (bad.length > 0) {
    const lines = targets.map((t) => `  ${t.revision}: ${t.percent}% of ${n} → expected ${t.expected.toFixed(1)}, bound [${t.bound[0]}, ${t.bound[1]}], observed ${t.observed}${bad.includes(t) ? '  ✗' : ''}`);
    throw new LawViolation(LAW, `the answers do not follow the traffic block (alpha ${alpha}):\n${lines.join('\n')}`, report);
  }
  return report;
}
