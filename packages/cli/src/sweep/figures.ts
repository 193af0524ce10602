import type { SummaryJson } from '@knsim/report';

/** A run's figures by name (`loads.burst.latencyMs.p99`): numbers only, so they aggregate. */
export type Figures = Record<string, number>;

const PERCENTILES = ['p50', 'p90', 'p99', 'max', 'mean'] as const;

/**
 * The figures of a run, read from its summary.json: per load the requests sent and answered,
 * each status's count and the latency percentiles; per request step its status and latency; per
 * revision its cold starts and most ready pods, and over all revisions the cold starts and the
 * most ready pods; the checks passed and failed when the scenario has checks.
 */
export function summaryFigures(s: SummaryJson): Figures {
  const f: Figures = {};
  for (const [name, l] of Object.entries(s.loads)) {
    f[`loads.${name}.sent`] = l.sent;
    f[`loads.${name}.completed`] = l.completed;
    for (const [code, n] of Object.entries(l.byStatus)) f[`loads.${name}.status.${code}`] = n;
    for (const p of PERCENTILES) f[`loads.${name}.latencyMs.${p}`] = l.latencyMs[p];
  }
  for (const [name, q] of Object.entries(s.requests)) {
    f[`requests.${name}.status`] = q.status;
    f[`requests.${name}.latencyMs`] = q.latencyMs;
  }
  let coldStarts = 0;
  let maxReadyPods = 0;
  for (const [name, r] of Object.entries(s.revisions)) {
    f[`revisions.${name}.coldStarts`] = r.coldStarts;
    f[`revisions.${name}.maxReadyPods`] = r.maxReadyPods;
    coldStarts += r.coldStarts;
    maxReadyPods = Math.max(maxReadyPods, r.maxReadyPods);
  }
  f.coldStarts = coldStarts;
  f.maxReadyPods = maxReadyPods;
  if (s.checks !== undefined) {
    f['checks.passed'] = s.checks.filter((c) => c.ok).length;
    f['checks.failed'] = s.checks.filter((c) => !c.ok).length;
  }
  return f;
}
