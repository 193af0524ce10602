import type { Hop, KnsimTraceEvent } from '@knsim/sim-core';

type Ev<K extends KnsimTraceEvent['type']> = Extract<KnsimTraceEvent, { type: K }>;

/** A hop of one request, its times relative to when the request was sent, and why it went so. */
export interface ExplainedHop {
  component: string;
  /** `gateway (re-entry)` for the second pass through a gateway. */
  label: string;
  name: string;
  startMs: number;
  endMs: number;
  why: string;
}

export interface ExplainedRequest {
  id: number;
  tag?: string;
  method: string;
  url: string;
  tMs: number;
  status: number;
  latencyMs: number;
  revision: string | null;
  pod: string | null;
  error?: string;
  hops: ExplainedHop[];
}

/** The trace indexed once for explaining many requests: events by request id and by revision. */
export interface TraceIndex {
  starts: Map<number, Ev<'request.start'>>;
  ends: Map<number, Ev<'request.end'>>;
  byRequest: Map<number, KnsimTraceEvent[]>;
  /** sks.mode, autoscaler.decision, pod.phase, kubelet.probe, activator.probe, kpa.scale by revision name. */
  byRevision: Map<string, KnsimTraceEvent[]>;
  routes: Array<Ev<'route.programmed'>>;
}

const revisionName = (key: string) => key.slice(key.indexOf('/') + 1);

export function indexTrace(events: readonly KnsimTraceEvent[]): TraceIndex {
  const ix: TraceIndex = { starts: new Map(), ends: new Map(), byRequest: new Map(), byRevision: new Map(), routes: [] };
  const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => {
    const a = m.get(k);
    if (a === undefined) m.set(k, [v]);
    else a.push(v);
  };
  for (const e of events) {
    switch (e.type) {
      case 'request.start':
        ix.starts.set(e.id, e);
        break;
      case 'request.end':
        ix.ends.set(e.id, e);
        break;
      case 'dns.query':
      case 'gateway.route':
      case 'activator.buffered':
      case 'queue.rejected':
      case 'timeout':
        push(ix.byRequest, e.id, e);
        break;
      case 'route.programmed':
        ix.routes.push(e);
        break;
      case 'sks.mode':
      case 'autoscaler.decision':
      case 'pod.phase':
      case 'kubelet.probe':
      case 'kpa.scale':
        push(ix.byRevision, e.revision, e);
        break;
      case 'activator.probe':
        push(ix.byRevision, revisionName(e.revision), e);
        break;
    }
  }
  return ix;
}

const ms = (x: number) => `${Number(x.toFixed(3))} ms`;

/** The latest event of a kind for a revision at or before t. */
function latest<K extends KnsimTraceEvent['type']>(ix: TraceIndex, revision: string, type: K, t: number): Ev<K> | undefined {
  let found: Ev<K> | undefined;
  for (const e of ix.byRevision.get(revision) ?? []) {
    if (e.t > t) break;
    if (e.type === type) found = e as Ev<K>;
  }
  return found;
}

/** Why the route sent this request to `revision`: the traffic block programmed last before t. */
function routeWhy(ix: TraceIndex, revision: string, t: number, authority: string | undefined): string {
  let route: Ev<'route.programmed'> | undefined;
  for (const r of ix.routes) if (r.t <= t && r.traffic.some((x) => x.revisionName === revision)) route = r;
  if (route === undefined) return `revision ${revision}`;
  const entry = route.traffic.find((x) => x.revisionName === revision && x.tag !== undefined && authority !== undefined && authority.startsWith(`${x.tag}-`));
  if (entry !== undefined) return `revision ${revision} picked by its tag host (tag ${entry.tag} of route ${route.route})`;
  const split = route.traffic.filter((x) => x.percent > 0);
  if (split.length <= 1) return `revision ${revision} picked: route ${route.route} sends it 100% of the traffic`;
  return `revision ${revision} picked by weighted random draw from route ${route.route}'s split ${split.map((x) => `${x.revisionName} ${x.percent}%`).join(', ')}`;
}

/** Explains one request from the trace: each hop with what it did and why. Undefined if it never ended. */
export function explainRequest(ix: TraceIndex, id: number): ExplainedRequest | undefined {
  const start = ix.starts.get(id);
  const end = ix.ends.get(id);
  if (start === undefined || end === undefined) return undefined;
  const t0 = start.t;
  const own = ix.byRequest.get(id) ?? [];
  const routes = own.filter((e): e is Ev<'gateway.route'> => e.type === 'gateway.route');
  const buffered = own.filter((e): e is Ev<'activator.buffered'> => e.type === 'activator.buffered');
  let gatewaySeen = 0;
  const hops = end.hops.map((h: Hop): ExplainedHop => {
    const base = { component: h.component, name: h.name, startMs: h.startMs - t0, endMs: h.endMs - t0 };
    const why = (() => {
      switch (h.component) {
        case 'dns': {
          const q = own.find((e): e is Ev<'dns.query'> => e.type === 'dns.query');
          return q ? `${q.client} lookup of ${q.name}: ${q.answer}` : `lookup of ${h.name}`;
        }
        case 'gateway': {
          const r = routes[gatewaySeen++];
          if (r === undefined) return `gateway ${h.name}`;
          const matched = r.vhost === null ? `no virtual host matched ${r.authority}` : `${r.authority}${r.path} matched virtual host ${r.vhost}${r.virtualService ? ` of VirtualService ${r.virtualService}` : ''}`;
          return `${matched}: ${r.result}`;
        }
        case 'activator': {
          const rev = end.revision;
          const parts: string[] = [];
          if (rev !== null) {
            const mode = latest(ix, rev, 'sks.mode', h.startMs);
            const d = latest(ix, rev, 'autoscaler.decision', h.startMs);
            parts.push(`SKS ${mode?.mode ?? 'Proxy'} mode put the activator in the path${d ? ` (excess burst capacity ${d.result.excessBurstCapacity}${d.result.excessBurstCapacity < 0 ? ' < 0' : ''})` : ''}`);
          }
          const b = buffered.find((x) => x.activator === h.name);
          if (b !== undefined) {
            parts.push(`buffered ${ms(h.endMs - b.t)} (${b.reason}; ${b.queued} queued)`);
            if (rev !== null) {
              const evs = (ix.byRevision.get(rev) ?? []).filter((e) => e.t >= b.t && e.t <= h.endMs);
              const failures = evs.filter((e) => e.type === 'kubelet.probe' && e.result === 'Failure').length;
              const ready = evs.find((e): e is Ev<'pod.phase'> => e.type === 'pod.phase' && e.phase === 'Running' && /^(\d+)\/\1$/.test(e.ready));
              const probe = evs.find((e): e is Ev<'activator.probe'> => e.type === 'activator.probe' && e.healthy);
              if (ready) parts.push(`waited for pod ${ready.pod} to become ready (+${ms(ready.t - t0)})${failures > 0 ? ` after ${failures} failed kubelet probe${failures === 1 ? '' : 's'}` : ''}`);
              if (probe) parts.push(`the activator's own probe saw it healthy at +${ms(probe.t - t0)}`);
            }
          } else parts.push(`forwarded at once to a pod with spare capacity`);
          return parts.join('; ');
        }
        case 'queue-proxy': {
          const rejected = own.find((e): e is Ev<'queue.rejected'> => e.type === 'queue.rejected' && e.pod === h.name);
          if (rejected) return `rejected: ${rejected.reason}`;
          const direct = !end.hops.some((x) => x.component === 'activator');
          const rev = end.revision;
          const mode = rev !== null ? latest(ix, rev, 'sks.mode', h.startMs) : undefined;
          return `${direct ? `SKS ${mode?.mode ?? 'Serve'} mode: the gateway sent it straight to the pod; ` : ''}queue-proxy of ${h.name} admitted it and proxied to the app`;
        }
        case 'app':
          return `${end.revision !== null ? routeWhy(ix, end.revision, t0, routes[0]?.authority) : 'the app'}; the user container of ${h.name} answered in ${ms(h.endMs - h.startMs)}`;
        default:
          return `${h.component} ${h.name}`;
      }
    })();
    const label = h.component === 'gateway' && gatewaySeen > 1 ? 'gateway (re-entry)' : h.component;
    return { ...base, label, why };
  });
  const timeouts = own.filter((e): e is Ev<'timeout'> => e.type === 'timeout');
  for (const t of timeouts) {
    const hop = hops.find((h) => h.component === t.component && h.name === t.instance);
    if (hop) hop.why += `; timed out after ${ms(t.afterMs)}`;
  }
  return {
    id,
    ...(start.tag !== undefined ? { tag: start.tag } : {}),
    method: start.method,
    url: start.url,
    tMs: t0,
    status: end.status,
    latencyMs: end.latencyMs,
    revision: end.revision,
    pod: end.pod,
    ...(end.error !== undefined ? { error: end.error } : {}),
    hops,
  };
}

/** The ids of the requests tagged `tag`, in the order they were sent. */
export function requestsTagged(ix: TraceIndex, tag: string): number[] {
  return [...ix.starts.values()].filter((s) => s.tag === tag).map((s) => s.id);
}
