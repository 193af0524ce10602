import type { KnsimTraceEvent } from '@knsim/sim-core';

/**
 * The Chrome trace-event format (the JSON Object Format of Google's "Trace Event Format"
 * document), which Perfetto and chrome://tracing open. Times are microseconds.
 */
export interface ChromeTraceEvent {
  name: string;
  ph: 'b' | 'e' | 'C' | 'i' | 'M';
  ts: number;
  pid: number;
  tid: number;
  cat?: string;
  id2?: { local: string };
  s?: 'p' | 't' | 'g';
  args?: Record<string, unknown>;
}

export interface ChromeTrace {
  traceEvents: ChromeTraceEvent[];
  displayTimeUnit: 'ms';
  otherData: Record<string, string>;
}

const us = (ms: number) => Math.round(ms * 1000);

/**
 * A run's trace as a Chrome trace: a process (track group) per component instance (each
 * gateway pod, each activator, each pod's queue-proxy and app, the DNS), an async slice per hop
 * of each request, a process per revision with counter tracks of desired and ready pods and
 * instant events for scaling decisions, SKS mode changes and pod phases with their reasons.
 */
export function toChromeTrace(events: readonly KnsimTraceEvent[], meta: Record<string, string> = {}): ChromeTrace {
  const out: ChromeTraceEvent[] = [];
  const pids = new Map<string, number>();
  const pid = (name: string, sort: number): number => {
    let p = pids.get(name);
    if (p === undefined) {
      p = pids.size + 1;
      pids.set(name, p);
      out.push({ name: 'process_name', ph: 'M', ts: 0, pid: p, tid: 0, args: { name } });
      out.push({ name: 'process_sort_index', ph: 'M', ts: 0, pid: p, tid: 0, args: { sort_index: sort * 1000 + p } });
    }
    return p;
  };
  const starts = new Map<number, Extract<KnsimTraceEvent, { type: 'request.start' }>>();
  const replicas = new Map<string, { desired: number; ready: number }>();
  const readyPods = new Map<string, Set<string>>();
  const counter = (revision: string, t: number) => {
    const c = replicas.get(revision)!;
    out.push({ name: 'pods', ph: 'C', ts: us(t), pid: pid(`revision ${revision}`, 5), tid: 0, args: { desired: c.desired, ready: c.ready } });
  };
  const rev = (revision: string) => {
    if (!replicas.has(revision)) replicas.set(revision, { desired: 0, ready: 0 });
    return replicas.get(revision)!;
  };
  for (const e of events) {
    switch (e.type) {
      case 'request.start':
        starts.set(e.id, e);
        break;
      case 'request.end': {
        const s = starts.get(e.id);
        const label = `${s?.method ?? 'GET'} ${s?.url ?? ''}`;
        for (const h of e.hops) {
          const group = h.component === 'queue-proxy' || h.component === 'app' ? `pod ${h.name} · ${h.component}` : `${h.component} ${h.name}`;
          const sort = { dns: 0, gateway: 1, activator: 2, 'queue-proxy': 3, app: 3 }[h.component] ?? 4;
          const p = pid(group, sort);
          const args = { request: e.id, ...(e.tag !== undefined ? { tag: e.tag } : {}), status: e.status, hop: h.component };
          out.push({ name: label, cat: h.component, ph: 'b', ts: us(h.startMs), pid: p, tid: 0, id2: { local: `r${e.id}` }, args });
          out.push({ name: label, cat: h.component, ph: 'e', ts: us(h.endMs), pid: p, tid: 0, id2: { local: `r${e.id}` } });
        }
        starts.delete(e.id);
        break;
      }
      case 'kpa.scale':
        rev(e.revision).desired = e.to;
        counter(e.revision, e.t);
        out.push({ name: `scale ${e.from} → ${e.to}`, cat: 'kpa', ph: 'i', s: 'p', ts: us(e.t), pid: pid(`revision ${e.revision}`, 5), tid: 0, args: { from: e.from, to: e.to, reason: e.reason } });
        break;
      case 'revision.created':
        rev(e.revision);
        counter(e.revision, e.t);
        break;
      case 'autoscaler.decision':
        out.push({ name: `decide ${e.result.desiredPodCount}`, cat: 'autoscaler', ph: 'i', s: 'p', ts: us(e.t), pid: pid(`revision ${e.revision}`, 5), tid: 0, args: { ...e.inputs, ...e.result, reason: e.reason } });
        break;
      case 'sks.mode':
        out.push({ name: `SKS ${e.mode}`, cat: 'sks', ph: 'i', s: 'p', ts: us(e.t), pid: pid(`revision ${e.revision}`, 5), tid: 0, args: { mode: e.mode, numActivators: e.numActivators, reason: e.reason } });
        break;
      case 'pod.phase': {
        const set = readyPods.get(e.revision) ?? new Set<string>();
        readyPods.set(e.revision, set);
        const [a, b] = e.ready.split('/');
        if (e.phase === 'Running' && a === b && a !== '0') set.add(e.pod);
        else set.delete(e.pod);
        const c = rev(e.revision);
        if (c.ready !== set.size) {
          c.ready = set.size;
          counter(e.revision, e.t);
        }
        out.push({ name: `${e.phase} ${e.ready}`, cat: 'pod', ph: 'i', s: 'p', ts: us(e.t), pid: pid(`pod ${e.pod}`, 3), tid: 0, args: { revision: e.revision, phase: e.phase, ready: e.ready, restarts: e.restarts, reason: e.reason } });
        break;
      }
    }
  }
  return { traceEvents: out, displayTimeUnit: 'ms', otherData: { generator: 'knsim', ...meta } };
}

/**
 * The JSON Schema this module's output is checked against (its tests, and a user's): the Chrome trace-event format's JSON Object Format, after Google's "Trace
 * Event Format" document (the format Perfetto's JSON importer and chrome://tracing read): the
 * fields each phase needs, microsecond timestamps, integer pid/tid.
 */
export const CHROME_TRACE_SCHEMA = {
  type: 'object',
  required: ['traceEvents'],
  properties: {
    traceEvents: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'ph', 'ts', 'pid', 'tid'],
        properties: {
          name: { type: 'string' },
          cat: { type: 'string' },
          ph: { enum: ['B', 'E', 'X', 'i', 'I', 'C', 'b', 'n', 'e', 's', 't', 'f', 'P', 'N', 'O', 'D', 'M', 'R', 'c'] },
          ts: { type: 'number', minimum: 0 },
          dur: { type: 'number', minimum: 0 },
          pid: { type: 'integer' },
          tid: { type: 'integer' },
          id: { type: ['string', 'integer'] },
          id2: { type: 'object', properties: { local: { type: 'string' }, global: { type: 'string' } }, additionalProperties: false },
          s: { enum: ['g', 'p', 't'] },
          args: { type: 'object' },
        },
        allOf: [
          { if: { properties: { ph: { enum: ['b', 'e', 'n'] } } }, then: { anyOf: [{ required: ['id'] }, { required: ['id2'] }], required: ['cat'] } },
          { if: { properties: { ph: { const: 'X' } } }, then: { required: ['dur'] } },
          { if: { properties: { ph: { const: 'C' } } }, then: { required: ['args'], properties: { args: { type: 'object', additionalProperties: { type: 'number' } } } } },
          { if: { properties: { ph: { const: 'M' } } }, then: { required: ['args'], properties: { name: { enum: ['process_name', 'process_labels', 'process_sort_index', 'thread_name', 'thread_sort_index'] } } } },
        ],
      },
    },
    displayTimeUnit: { enum: ['ms', 'ns'] },
    otherData: { type: 'object' },
  },
} as const;
