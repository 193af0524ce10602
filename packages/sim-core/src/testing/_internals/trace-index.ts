/**
 * Readings of a recorded trace the laws share. Positions are indexes into the event list, not
 * times: events at the same instant still have an order, and a law must not depend on ties.
 */
import type { KnsimTraceEvent } from '../../trace/events.js';

type Ev<K extends KnsimTraceEvent['type']> = Extract<KnsimTraceEvent, { type: K }>;

/** A span of positions [from, to) in the event list; `to` is Infinity while it lasts. */
export interface Span {
  from: number;
  to: number;
}

/** A pod counts as ready when it is Running with every container ready (`2/2 Running`). */
export function podReady(e: Ev<'pod.phase'>): boolean {
  if (e.phase !== 'Running') return false;
  const [a, b] = e.ready.split('/');
  return a !== undefined && a === b && a !== '0';
}

/** Each revision's Ready=True spans, by `namespace/name`. */
export function readySpans(events: readonly KnsimTraceEvent[]): Map<string, Span[]> {
  const out = new Map<string, Span[]>();
  events.forEach((e, i) => {
    let ready: boolean;
    if (e.type === 'object.deleted' && e.kind === 'Revision') ready = false;
    else if (e.type === 'condition' && e.kind === 'Revision' && e.condition === 'Ready') ready = e.status === 'True';
    else return;
    const key = `${e.namespace}/${e.name}`;
    const spans = out.get(key) ?? [];
    const open = spans.at(-1)?.to === Infinity ? spans.at(-1) : undefined;
    if (ready && !open) spans.push({ from: i, to: Infinity });
    else if (!ready && open) open.to = i;
    out.set(key, spans);
  });
  return out;
}

/** One traffic block a Route programmed, and the span of positions it may be in force. */
export interface ProgrammedBlock {
  namespace: string;
  route: string;
  traffic: Ev<'route.programmed'>['traffic'];
  /** From its programming until it was replaced in the control plane. */
  programmed: Span;
  /**
   * From its programming until the gateways surely had its successor: the first push
   * (`gateway.config`) after the ingress reconcile (`virtualservices`) that followed the next
   * programming of the same Route. A request may be routed by the block any time in it.
   */
  inForce: Span;
}

/** Every block each Route programmed, in order. */
export function programmedBlocks(events: readonly KnsimTraceEvent[]): ProgrammedBlock[] {
  const blocks: ProgrammedBlock[] = [];
  const lastByRoute = new Map<string, ProgrammedBlock>();
  events.forEach((e, i) => {
    if (e.type !== 'route.programmed') return;
    const key = `${e.namespace}/${e.route}`;
    const prev = lastByRoute.get(key);
    if (prev) {
      prev.programmed.to = i;
      prev.inForce.to = pushedAfter(events, i, e.namespace, e.ingress);
    }
    const b: ProgrammedBlock = { namespace: e.namespace, route: e.route, traffic: e.traffic, programmed: { from: i, to: Infinity }, inForce: { from: i, to: Infinity } };
    blocks.push(b);
    lastByRoute.set(key, b);
  });
  // A deleted Route's last block stops with it (its VirtualServices go at the next push).
  events.forEach((e, i) => {
    if (e.type !== 'object.deleted' || e.kind !== 'Route') return;
    const b = lastByRoute.get(`${e.namespace}/${e.name}`);
    if (b && b.programmed.to === Infinity) {
      b.programmed.to = i;
      b.inForce.to = pushedAfter(events, i);
    }
  });
  return blocks;
}

/** The position of the first gateway push after the ingress's next reconcile from `i` (or any push, without an ingress). */
function pushedAfter(events: readonly KnsimTraceEvent[], i: number, namespace?: string, ingress?: string): number {
  let j = i + 1;
  if (ingress !== undefined) {
    while (j < events.length && !(events[j]!.type === 'virtualservices' && (events[j] as Ev<'virtualservices'>).namespace === namespace && (events[j] as Ev<'virtualservices'>).ingress === ingress)) j++;
  }
  while (j < events.length && events[j]!.type !== 'gateway.config') j++;
  return j < events.length ? j : Infinity;
}

export const overlaps = (a: Span, from: number, to: number) => a.from <= to && from < a.to;
