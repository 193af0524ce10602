import type { KnsimTraceEvent } from '../../trace/events.js';
import { podReady } from '../_internals/trace-index.js';
import { LawViolation } from './law-violation.js';

export interface ScaleBoundsOptions {
  revision: string;
  namespace?: string;
  /** autoscaling.knative.dev/min-scale (default 0). */
  minScale?: number;
  /** autoscaling.knative.dev/max-scale (default 0: unbounded). */
  maxScale?: number;
  /**
   * A revision that becomes routable while below min-scale (brought back from zero) may take
   * this long to start its pods (default 2 minutes); once it reaches min-scale, it must stay.
   */
  graceMs?: number;
}

const LAW = 'scale bounds';

/**
 * min-scale ≤ ready pods ≤ max-scale while the revision is routable: Ready, and in the traffic
 * block a Route programmed (Knative applies min-scale only to a revision that traffic can reach).
 * Ready pods are counted from the trace's pod events (`2/2 Running`), exactly, not sampled.
 * Returns the most ready pods seen while routable.
 */
export function scaleWithinBounds(events: readonly KnsimTraceEvent[], o: ScaleBoundsOptions): { maxReadyWhileRoutable: number; routableMs: number } {
  const ns = o.namespace ?? 'default';
  const min = o.minScale ?? 0;
  const max = o.maxScale ?? 0;
  const grace = o.graceMs ?? 120_000;
  const pods = new Map<string, boolean>();
  let ready = 0;
  const blocks = new Map<string, boolean>();
  let revisionReady = false;
  let routableSince: number | undefined;
  let reachedMin = false;
  let lateReported = false;
  let maxSeen = 0;
  let routableMs = 0;
  const problems: string[] = [];
  const check = (t: number, why: string) => {
    if (routableSince === undefined) return;
    maxSeen = Math.max(maxSeen, ready);
    if (ready >= min) reachedMin = true;
    if (max > 0 && ready > max) problems.push(`t=${t} ms: ${ready} ready pods > max-scale ${max} (${why})`);
    if (ready < min && (reachedMin || t - routableSince > grace)) {
      lateReported = true;
      problems.push(`t=${t} ms: ${ready} ready pods < min-scale ${min} (${why}; routable since ${routableSince} ms)`);
    }
  };
  for (const e of events) {
    if (problems.length >= 10) break;
    let why: string | undefined;
    if (e.type === 'pod.phase' && e.revision === o.revision && e.namespace === ns) {
      const now = podReady(e) && e.phase !== 'Terminated';
      if ((pods.get(e.pod) ?? false) !== now) ready += now ? 1 : -1;
      pods.set(e.pod, now);
      why = `pod ${e.pod} ${e.ready} ${e.phase}`;
    } else if (e.type === 'route.programmed' && e.namespace === ns) {
      blocks.set(e.route, e.traffic.some((t) => t.revisionName === o.revision));
      why = `route ${e.route} programmed`;
    } else if (e.type === 'condition' && e.kind === 'Revision' && e.name === o.revision && e.namespace === ns && e.condition === 'Ready') {
      revisionReady = e.status === 'True';
      why = `Ready=${e.status}`;
    } else if (e.type === 'object.deleted' && e.namespace === ns && ((e.kind === 'Revision' && e.name === o.revision) || e.kind === 'Route')) {
      if (e.kind === 'Route') blocks.delete(e.name);
      else revisionReady = false;
      why = `${e.kind} ${e.name} deleted`;
    }
    if (routableSince !== undefined && why === undefined) {
      if (!lateReported && ready < min && !reachedMin && e.t - routableSince > grace) check(e.t, `still below min-scale ${grace} ms after becoming routable`);
      continue;
    }
    if (why === undefined) continue;
    const routable = revisionReady && [...blocks.values()].some(Boolean);
    if (routable && routableSince === undefined) {
      routableSince = e.t;
      reachedMin = false;
      lateReported = false;
    } else if (!routable && routableSince !== undefined) {
      routableMs += e.t - routableSince;
      routableSince = undefined;
    }
    check(e.t, why);
  }
  if (routableSince !== undefined) routableMs += (events.at(-1)?.t ?? routableSince) - routableSince;
  if (problems.length > 0) throw new LawViolation(LAW, `${o.revision} left [${min}, ${max || '∞'}] while routable:\n  ${problems.join('\n  ')}`, { problems });
  return { maxReadyWhileRoutable: maxSeen, routableMs };
}
