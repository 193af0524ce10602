/**
 * The metrics a scenario's `checks:` may bound, by subject, and how a check reads when printed.
 * Checks are read over the run's summary (packages/report evaluates them); here is only what
 * the scenario format allows.
 */

export type CheckSubject = 'load' | 'revision' | 'request';

export type CheckMetric =
  | 'share'
  | 'p50Ms'
  | 'p90Ms'
  | 'p99Ms'
  | 'maxMs'
  | 'meanMs'
  | 'status5xx'
  | 'status4xx'
  | 'noAnswer'
  | 'completed'
  | 'coldStarts'
  | 'maxReadyPods'
  | 'readyPodsAtEnd'
  | 'status'
  | 'latencyMs';

/** A check as a run reads it: one subject, one metric, numeric bounds, and its printed form. */
export interface Check {
  subject: CheckSubject;
  /** The load, revision or request step it reads. */
  name: string;
  metric: CheckMetric;
  /** `share`: the revision whose share of the load's answers is read. */
  revision?: string;
  min?: number;
  max?: number;
  /** `%`, ` ms` or nothing: how the observed value prints. */
  unit: string;
  /** The check's `name`, or one made from its fields (`load phase1: share of app-v2 in [35, 65]%`). */
  label: string;
}

interface MetricInfo {
  /** What the metric reads, in words. */
  what: (revision?: string) => string;
  unit: string;
  /** Bounds may be Go durations. */
  duration?: boolean;
}

/** Each subject's metrics, in the order an error message lists them. */
export const CHECK_METRICS: Readonly<Record<CheckSubject, Readonly<Partial<Record<CheckMetric, MetricInfo>>>>> = {
  load: {
    share: { what: (r) => `share of ${r}`, unit: '%' },
    p50Ms: { what: () => 'p50 latency', unit: ' ms', duration: true },
    p90Ms: { what: () => 'p90 latency', unit: ' ms', duration: true },
    p99Ms: { what: () => 'p99 latency', unit: ' ms', duration: true },
    maxMs: { what: () => 'max latency', unit: ' ms', duration: true },
    meanMs: { what: () => 'mean latency', unit: ' ms', duration: true },
    status5xx: { what: () => '5xx answers', unit: '' },
    status4xx: { what: () => '4xx answers', unit: '' },
    noAnswer: { what: () => 'requests without an HTTP answer', unit: '' },
    completed: { what: () => 'answered requests', unit: '' },
  },
  revision: {
    coldStarts: { what: () => 'cold starts', unit: '' },
    maxReadyPods: { what: () => 'most ready pods', unit: '' },
    readyPodsAtEnd: { what: () => 'ready pods at the end', unit: '' },
  },
  request: {
    status: { what: () => 'status', unit: '' },
    latencyMs: { what: () => 'latency', unit: ' ms', duration: true },
  },
};

/** Metrics that cover a subject's 5xx answers (or missing ones): a check on them means they were considered. */
export const ERROR_METRICS: ReadonlySet<CheckMetric> = new Set(['status5xx', 'noAnswer', 'status']);

/** `load phase1: share of app-v2 in [35, 65]%`. */
export function checkLabel(c: Omit<Check, 'label' | 'unit'>): string {
  const info = CHECK_METRICS[c.subject][c.metric]!;
  const bound = c.min !== undefined && c.max !== undefined ? (c.min === c.max ? `= ${c.min}` : `in [${c.min}, ${c.max}]`) : c.min !== undefined ? `≥ ${c.min}` : `≤ ${c.max}`;
  return `${c.subject} ${c.name}: ${info.what(c.revision)} ${bound}${info.unit}`;
}
