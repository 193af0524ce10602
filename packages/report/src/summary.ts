import type { ClientResponse, Hop, RevisionSample } from '@knsim/sim-core';
import { formatChecks, type CheckResult } from './checks.js';
import { latencySummary, readyAtEnd, round3, roundHops, sortedRecord, type LatencySummary } from './stats.js';

/**
 * What a summary is made of: a scenario run's results as plain data (the scenario runner's
 * RunResult is one). Loads, requests and revisions by name; no cluster.
 */
export interface RunRecord {
  scenario: string;
  seed: number;
  simulatedMs: number;
  loads: ReadonlyMap<string, LoadRecord>;
  requests: ReadonlyMap<string, ResponseRecord>;
  /** Each revision's scaling record at the end of the run, in the order the summary lists them. */
  revisions: ReadonlyMap<string, RevisionRecord>;
  /** Per revision, `kubectl get pods -w`: a line per STATUS or READY change. */
  podWatch: ReadonlyMap<string, readonly PodWatchLine[]>;
  /** Higress WasmPlugin verdicts: per plugin (`namespace/name`), how many requests got each decision. */
  plugins?: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Faults a scenario injected (`fault` steps). */
  faults?: readonly FaultLine[];
  /** false when the run was stopped before its end. */
  complete?: false;
}

/** One injected fault (a scenario's `fault` step). */
export interface FaultLine {
  tMs: number;
  fault: string;
  /** The revision a revision fault hit. */
  revision?: string;
  /** The node a node fault hit, and the pods it evicted. */
  node?: string;
  pods?: readonly string[];
  /** The pod a pod fault hit (or the system pod a restart did). */
  pod?: string;
  /** restartActivator / restartGateway: the requests inside the pod, whose connections were reset. */
  requestsReset?: number;
  /** loseNode: when the node's pods were marked NotReady, and when they were evicted. */
  notReadyMs?: number;
  evictedMs?: number;
  /** When a windowed fault ends (a restarted pod: when it is Ready again). */
  endMs?: number;
}

export interface LoadRecord {
  startMs: number;
  endMs: number;
  sent: number;
  completed: number;
  byStatus: ReadonlyMap<string, number>;
  byRevision: ReadonlyMap<string, number>;
  latencies: readonly number[];
}

/** A response as a summary reports it. */
export type ResponseRecord = Pick<ClientResponse, 'status' | 'body' | 'latencyMs' | 'revision' | 'pod' | 'hops' | 'error'>;

export interface RevisionRecord {
  timeline: ReadonlyArray<Pick<RevisionSample, 'tMs' | 'desiredPods' | 'readyPods' | 'panic' | 'activatorInPath'>>;
  maxReadyPods: number;
  coldStarts: number;
}

/** One line of `kubectl get pods -w`. */
export interface PodWatchLine {
  tMs: number;
  pod: string;
  ready: string;
  status: string;
}

export interface SummaryJson {
  scenario: string;
  seed: number;
  simulatedMs: number;
  loads: Record<string, { startMs: number; endMs: number; sent: number; completed: number; byStatus: Record<string, number>; byRevision: Record<string, number>; latencyMs: LatencySummary }>;
  requests: Record<string, { status: number; body: string; latencyMs: number; revision: string | null; pod: string | null; hops: Hop[]; error?: string }>;
  revisions: Record<
    string,
    {
      timeline: Array<{ tMs: number; desiredPods: number; readyPods: number; panic: boolean; activatorInPath: boolean }>;
      maxReadyPods: number;
      coldStarts: number;
      /** `kubectl get pods -w` for the revision: a line per STATUS or READY change. */
      pods: PodWatchLine[];
    }
  >;
  /** The scenario's checks and how they came out (only when it declares some). */
  checks?: CheckResult[];
  /** Gateway plugin decisions per WasmPlugin (only when a plugin decided something). */
  plugins?: Record<string, Record<string, number>>;
  /** The faults injected, in order (only when the scenario has `fault` steps). */
  faults?: FaultLine[];
  /** false when the run was stopped before its end (Ctrl-C): what happened until then (absent for a complete run). */
  complete?: false;
}

/** summary.json: everything a reader (or a test) needs, with every map's keys sorted. */
export function makeSummary(r: RunRecord): SummaryJson {
  const loads: SummaryJson['loads'] = {};
  for (const name of [...r.loads.keys()].sort()) {
    const l = r.loads.get(name)!;
    loads[name] = {
      startMs: round3(l.startMs),
      endMs: round3(l.endMs),
      sent: l.sent,
      completed: l.completed,
      byStatus: sortedRecord(l.byStatus),
      byRevision: sortedRecord(l.byRevision),
      latencyMs: latencySummary(l.latencies),
    };
  }
  const requests: SummaryJson['requests'] = {};
  for (const name of [...r.requests.keys()].sort()) {
    const q = r.requests.get(name)!;
    requests[name] = {
      status: q.status,
      body: q.body,
      latencyMs: round3(q.latencyMs),
      revision: q.revision,
      pod: q.pod,
      hops: roundHops(q.hops),
      ...(q.error !== undefined ? { error: q.error } : {}),
    };
  }
  const revisions: SummaryJson['revisions'] = {};
  for (const [name, rt] of r.revisions) {
    revisions[name] = {
      timeline: changesOnly(rt.timeline),
      maxReadyPods: rt.maxReadyPods,
      coldStarts: rt.coldStarts,
      pods: (r.podWatch.get(name) ?? []).map((l) => ({ ...l, tMs: round3(l.tMs) })),
    };
  }
  const out: SummaryJson = { scenario: r.scenario, seed: r.seed, simulatedMs: round3(r.simulatedMs), loads, requests, revisions };
  if (r.plugins !== undefined && r.plugins.size > 0) {
    out.plugins = {};
    for (const name of [...r.plugins.keys()].sort()) out.plugins[name] = sortedRecord(r.plugins.get(name)!);
  }
  // Only a scenario with fault steps gets the key: the summaries of the others stay byte for byte.
  if (r.complete === false) out.complete = false;
  if (r.faults !== undefined && r.faults.length > 0) out.faults = r.faults.map((f) => ({ ...f, tMs: round3(f.tMs), ...(f.endMs !== undefined ? { endMs: round3(f.endMs) } : {}), ...(f.notReadyMs !== undefined ? { notReadyMs: round3(f.notReadyMs) } : {}), ...(f.evictedMs !== undefined ? { evictedMs: round3(f.evictedMs) } : {}) }));
  return out;
}

type SummarySample = SummaryJson['revisions'][string]['timeline'][number];

/**
 * The timeline as the summary shows it: a sample where one of its fields changed (the revision
 * records pod phases and burst capacity too, which the summary leaves out), each holding until
 * the next.
 */
function changesOnly(timeline: RevisionRecord['timeline']): SummarySample[] {
  const out: SummarySample[] = [];
  for (const s of timeline) {
    const last = out.at(-1);
    if (last && last.desiredPods === s.desiredPods && last.readyPods === s.readyPods && last.panic === s.panic && last.activatorInPath === s.activatorInPath) continue;
    out.push({ tMs: round3(s.tMs), desiredPods: s.desiredPods, readyPods: s.readyPods, panic: s.panic, activatorInPath: s.activatorInPath });
  }
  return out;
}

/** JSON with object keys in sorted order, so the same run gives the same bytes. */
export function stableStringify(v: unknown): string {
  return JSON.stringify(sortDeep(v), null, 2) + '\n';
}

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) out[k] = sortDeep((v as Record<string, unknown>)[k]);
  return out;
}

const BLOCKS = '▁▂▃▄▅▆▇█';

/**
 * A one-line sparkline of a count over the run: `width` columns, each the highest value the
 * step function (t, value) reaches in its slice of [0, endMs]; blank where it is zero.
 */
export function sparkline(samples: ReadonlyArray<readonly [number, number]>, endMs: number, width = 40): string {
  if (samples.length === 0 || endMs <= 0) return '';
  const sorted = [...samples].sort((a, b) => a[0] - b[0]);
  const cols = new Array<number>(width).fill(0);
  const col = (t: number) => Math.min(width - 1, Math.max(0, Math.floor((t / endMs) * width)));
  sorted.forEach(([t, v], i) => {
    const until = sorted[i + 1]?.[0] ?? endMs;
    for (let c = col(t); c <= col(Math.max(t, until - 1e-9)); c++) cols[c] = Math.max(cols[c]!, v);
  });
  const top = Math.max(...cols);
  return cols.map((v) => (v === 0 ? ' ' : BLOCKS[Math.min(BLOCKS.length - 1, Math.ceil((v / top) * BLOCKS.length) - 1)])).join('');
}

/** A step of the run as the human summary orders it (the scenario runner's StepRecord). */
export interface SummaryStep {
  kind: string;
  name?: string;
  what: string;
  startMs: number;
}

/**
 * A few lines a person reads after a run: with the run's steps, loads and requests in step
 * order with the time each began (else by name); each revision with a sparkline of its ready
 * pods and its pods at the end as the watch below shows them.
 */
export function formatSummary(s: SummaryJson, steps?: readonly SummaryStep[]): string {
  const lines = [`scenario ${s.scenario} (seed ${s.seed}): ${(s.simulatedMs / 1000).toFixed(1)} s simulated`];
  const loadLine = (name: string) => {
    const l = s.loads[name]!;
    const status = Object.entries(l.byStatus).map(([k, v]) => `${v}× ${k}`).join(', ');
    const revs = Object.entries(l.byRevision).map(([k, v]) => `${k} ${((100 * v) / Math.max(1, l.completed)).toFixed(1)}%`).join(', ');
    return `load ${name}: ${l.completed}/${l.sent} answered (${status}); latency p50 ${l.latencyMs.p50} ms, p99 ${l.latencyMs.p99} ms, max ${l.latencyMs.max} ms${revs ? `; ${revs}` : ''}`;
  };
  const requestLine = (name: string) => {
    const q = s.requests[name]!;
    const body = q.body.length > 60 ? `${q.body.slice(0, 57)}...` : q.body;
    return `request ${name}: ${q.status === 0 ? q.error : q.status} ${JSON.stringify(body)} in ${q.latencyMs} ms via ${q.hops.map((h) => h.component).join(' → ')}${q.revision ? ` (${q.revision})` : ''}`;
  };
  if (steps !== undefined) {
    for (const st of steps) {
      const at = `${(st.startMs / 1000).toFixed(1)}s`.padStart(7);
      if (st.kind === 'load' && st.name !== undefined && s.loads[st.name]) lines.push(`${at}  ${loadLine(st.name)}`);
      else if (st.kind === 'request' && st.name !== undefined && s.requests[st.name]) lines.push(`${at}  ${requestLine(st.name)}`);
      else lines.push(`${at}  ${st.what}`);
    }
  } else {
    for (const name of Object.keys(s.loads)) lines.push(loadLine(name));
    for (const name of Object.keys(s.requests)) lines.push(requestLine(name));
  }
  for (const [name, r] of Object.entries(s.revisions)) {
    const spark = sparkline(r.timeline.map((x) => [x.tMs, x.readyPods] as const), s.simulatedMs);
    const cold = r.coldStarts === 0 ? 'no cold start' : `${r.coldStarts} cold start${r.coldStarts === 1 ? '' : 's'} (scale-up from zero)`;
    lines.push(`revision ${name}: max ${r.maxReadyPods} ready pods, ${cold}, at the end ${readyAtEnd(r.pods)} ready`);
    if (spark.trim() !== '') lines.push(`  ready pods |${spark}| 0 → ${(s.simulatedMs / 1000).toFixed(0)} s`);
    // The pod watch, as kubectl shows it, when it is short enough to read.
    if (r.pods.length > 0 && r.pods.length <= 24) {
      for (const p of r.pods) lines.push(`  ${p.pod.padEnd(48)} ${p.ready.padEnd(4)} ${p.status.padEnd(18)} ${(p.tMs / 1000).toFixed(1)}s`);
    }
  }
  if (s.checks !== undefined && s.checks.length > 0) {
    const failed = s.checks.filter((c) => !c.ok).length;
    lines.push(`checks: ${s.checks.length - failed} passed, ${failed} failed`, ...formatChecks(s.checks).split('\n').map((l) => `  ${l}`));
  }
  return lines.join('\n');
}
