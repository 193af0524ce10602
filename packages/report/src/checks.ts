import { readyAtEnd, round3 } from './stats.js';
import type { SummaryJson } from './summary.js';

/** A check as the scenario format gives it (`@knsim/scenarios` Check): one metric of one subject, bounded. */
export interface CheckInput {
  subject: 'load' | 'revision' | 'request';
  name: string;
  metric: string;
  /** `share`: the revision whose share of the load's answers is read. */
  revision?: string;
  min?: number;
  max?: number;
  unit: string;
  label: string;
}

/** A check's outcome, as summary.json keeps it. */
export interface CheckResult {
  check: string;
  /** What was read (null: nothing to read, e.g. a share of a load no request of which was answered). */
  observed: number | null;
  min?: number;
  max?: number;
  unit: string;
  ok: boolean;
}

const sumStatus = (byStatus: Readonly<Record<string, number>>, lo: number, hi: number) =>
  Object.entries(byStatus).reduce((a, [k, n]) => (Number(k) >= lo && Number(k) <= hi ? a + n : a), 0);

/** The value a check reads from the summary; undefined when its subject is not in it. */
function observe(s: SummaryJson, c: CheckInput): number | null | undefined {
  if (c.subject === 'load') {
    const l = s.loads[c.name];
    if (l === undefined) return undefined;
    switch (c.metric) {
      case 'share':
        return l.completed === 0 ? null : round3((100 * (l.byRevision[c.revision!] ?? 0)) / l.completed);
      case 'p50Ms':
        return l.latencyMs.p50;
      case 'p90Ms':
        return l.latencyMs.p90;
      case 'p99Ms':
        return l.latencyMs.p99;
      case 'maxMs':
        return l.latencyMs.max;
      case 'meanMs':
        return l.latencyMs.mean;
      case 'status5xx':
        return sumStatus(l.byStatus, 500, 599);
      case 'status4xx':
        return sumStatus(l.byStatus, 400, 499);
      case 'noAnswer':
        return l.byStatus['0'] ?? 0;
      case 'completed':
        return l.completed;
    }
  } else if (c.subject === 'revision') {
    const r = s.revisions[c.name];
    if (r === undefined) return undefined;
    switch (c.metric) {
      case 'coldStarts':
        return r.coldStarts;
      case 'maxReadyPods':
        return r.maxReadyPods;
      case 'readyPodsAtEnd':
        return readyAtEnd(r.pods);
    }
  } else {
    const q = s.requests[c.name];
    if (q === undefined) return undefined;
    if (c.metric === 'status') return q.status;
    if (c.metric === 'latencyMs') return q.latencyMs;
  }
  throw new RangeError(`check ${c.label}: no metric ${JSON.stringify(c.metric)} for a ${c.subject}`);
}

/** A check whose subject the summary does not hold (a revision that never ran): the scenario's mistake. */
export class CheckSubjectError extends Error {
  override name = 'CheckSubjectError';
  constructor(
    readonly index: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads each check over a run's summary, in order: the observed value and whether it lies
 * within the bounds. Throws CheckSubjectError when a check names something the run does not
 * have (loads and requests are checked when the scenario is parsed; revisions only exist after).
 */
export function evaluateChecks(s: SummaryJson, checks: readonly CheckInput[]): CheckResult[] {
  return checks.map((c, i) => {
    const observed = observe(s, c);
    if (observed === undefined) {
      const have = Object.keys(c.subject === 'revision' ? s.revisions : c.subject === 'load' ? s.loads : s.requests);
      throw new CheckSubjectError(i, `no ${c.subject} named ${JSON.stringify(c.name)} in the run${have.length > 0 ? ` (${have.map((h) => JSON.stringify(h)).join(', ')})` : ''}`);
    }
    const ok = observed !== null && (c.min === undefined || observed >= c.min) && (c.max === undefined || observed <= c.max);
    return { check: c.label, observed, ...(c.min !== undefined ? { min: c.min } : {}), ...(c.max !== undefined ? { max: c.max } : {}), unit: c.unit, ok };
  });
}

/**
 * The README's rule for `curl`, for a scenario: a load or request step that got a 5xx answer,
 * or no HTTP answer at all, fails the run unless the scenario accounted for it (`expect5xx`, or a
 * check bounding its 5xx or status). One message per offender, naming what to add.
 */
export function unaccountedErrors(s: SummaryJson, accounted: { loads: readonly string[]; requests: readonly string[] }): string[] {
  const out: string[] = [];
  const codes = (byStatus: Readonly<Record<string, number>>) =>
    Object.entries(byStatus)
      .filter(([k]) => k === '0' || (Number(k) >= 500 && Number(k) <= 599))
      .map(([k, n]) => `${n}× ${k === '0' ? 'no answer' : k}`);
  for (const [name, l] of Object.entries(s.loads)) {
    const bad = codes(l.byStatus);
    if (bad.length === 0 || accounted.loads.includes(name)) continue;
    const metric = bad.some((b) => !b.endsWith('no answer')) ? 'status5xx' : 'noAnswer';
    out.push(`load ${name} got ${bad.join(', ')} and no check covers it: add a check such as {load: ${name}, ${metric}: {max: N}}, or expect5xx: true on the load if that is its point`);
  }
  for (const [name, q] of Object.entries(s.requests)) {
    if (!(q.status === 0 || (q.status >= 500 && q.status <= 599)) || accounted.requests.includes(name)) continue;
    out.push(`request ${name} got ${q.status === 0 ? `no answer (${q.error ?? 'no HTTP response'})` : q.status} and no check covers it: add {request: ${name}, status: {min: …, max: …}}, or expect5xx: true on the request`);
  }
  return out;
}

/** `✓ load phase1: share of app-v2 in [35, 65]% (observed 48.3%)`, one line per check. */
export function formatChecks(results: readonly CheckResult[]): string {
  return results.map((r) => `${r.ok ? '✓' : '✗'} ${r.check} (observed ${r.observed === null ? 'nothing' : `${r.observed}${r.unit}`})`).join('\n');
}
