import type { ClientResponse, Hop, RevisionSample } from '@knsim/sim-core';
import { formatChecks, type CheckResult } from './checks.js';
import { latencySummary, round3, roundHops, sortedRecord, type LatencySummary } from './stats.js';

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
  /** Faults a scenario injected (`fault` steps). */
  faults?: readonly FaultLine[];
}

/** One injected fault (a scenario's `fault` step). */
export interface FaultLine {
  tMs: number;
  fault: string;
  revision: string;
  pod: string;
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
  /** The faults injected, in order (only when the scenario has `fault` steps). */
  faults?: FaultLine[];
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
      timeline: rt.timeline.map((s) => ({ tMs: round3(s.tMs), desiredPods: s.desiredPods, readyPods: s.readyPods, panic: s.panic, activatorInPath: s.activatorInPath })),
      maxReadyPods: rt.maxReadyPods,
      coldStarts: rt.coldStarts,
      pods: (r.podWatch.get(name) ?? []).map((l) => ({ ...l, tMs: round3(l.tMs) })),
    };
  }
  const out: SummaryJson = { scenario: r.scenario, seed: r.seed, simulatedMs: round3(r.simulatedMs), loads, requests, revisions };
  // Only a scenario with fault steps gets the key: the summaries of the others stay byte for byte.
  if (r.faults !== undefined && r.faults.length > 0) out.faults = r.faults.map((f) => ({ ...f, tMs: round3(f.tMs) }));
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

/** A few lines a person reads after a run. */
export function formatSummary(s: SummaryJson): string {
  const lines = [`scenario ${s.scenario} (seed ${s.seed}): ${(s.simulatedMs / 1000).toFixed(1)} s simulated`];
  for (const [name, l] of Object.entries(s.loads)) {
    const status = Object.entries(l.byStatus).map(([k, v]) => `${v}× ${k}`).join(', ');
    const revs = Object.entries(l.byRevision).map(([k, v]) => `${k} ${((100 * v) / Math.max(1, l.completed)).toFixed(1)}%`).join(', ');
    lines.push(`load ${name}: ${l.completed}/${l.sent} answered (${status}); latency p50 ${l.latencyMs.p50} ms, p99 ${l.latencyMs.p99} ms, max ${l.latencyMs.max} ms${revs ? `; ${revs}` : ''}`);
  }
  for (const [name, q] of Object.entries(s.requests)) {
    const body = q.body.length > 60 ? `${q.body.slice(0, 57)}...` : q.body;
    lines.push(`request ${name}: ${q.status === 0 ? q.error : q.status} ${JSON.stringify(body)} in ${q.latencyMs} ms via ${q.hops.map((h) => h.component).join(' → ')}${q.revision ? ` (${q.revision})` : ''}`);
  }
  for (const [name, r] of Object.entries(s.revisions)) {
    const last = r.timeline.at(-1);
    lines.push(`revision ${name}: max ${r.maxReadyPods} ready pods, ${r.coldStarts} cold start${r.coldStarts === 1 ? '' : 's'}${last ? `, at the end ${last.readyPods} ready` : ''}`);
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
