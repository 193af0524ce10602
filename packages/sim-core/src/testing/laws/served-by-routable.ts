import type { KnsimTraceEvent } from '../../trace/events.js';
import { overlaps, programmedBlocks, readySpans, type Span } from '../_internals/trace-index.js';
import { LawViolation } from './law-violation.js';

const LAW = 'served only by routable revisions';

/**
 * No request is answered by a revision that was not Ready, or that no traffic block held, while
 * the request was in flight. A block counts from its programming until the gateways surely
 * received its successor (the push after the next ingress reconcile), since the data plane
 * lags the control plane; Ready is the Revision's Ready condition. Reads a trace recorded from
 * the cluster's start. Returns how many answers were checked.
 */
export function servedByRoutable(events: readonly KnsimTraceEvent[]): { checked: number } {
  const blocks = programmedBlocks(events);
  // Ready spans by revision name (a request.end names no namespace): any namespace's will do.
  const ready = new Map<string, Span[]>();
  for (const [key, spans] of readySpans(events)) {
    const name = key.slice(key.indexOf('/') + 1);
    ready.set(name, [...(ready.get(name) ?? []), ...spans]);
  }
  const starts = new Map<number, number>();
  const problems: string[] = [];
  let checked = 0;
  events.forEach((e, i) => {
    if (e.type === 'request.start') starts.set(e.id, i);
    if (e.type !== 'request.end' || e.revision === null) return;
    checked++;
    const from = starts.get(e.id) ?? 0;
    const rev = e.revision;
    const inBlock = blocks.some((b) => overlaps(b.inForce, from, i) && b.traffic.some((t) => t.revisionName === rev));
    const wasReady = (ready.get(rev) ?? []).some((s) => overlaps(s, from, i));
    if (!inBlock || !wasReady) {
      problems.push(`request ${e.id} (t=${e.t} ms, status ${e.status}) was answered by ${rev}, which was ${[!inBlock ? 'in no traffic block' : '', !wasReady ? 'not Ready' : ''].filter(Boolean).join(' and ')}`);
    }
  });
  if (problems.length > 0) {
    throw new LawViolation(LAW, `${problems.length} answer(s) from revisions that were not routable:\n  ${problems.slice(0, 10).join('\n  ')}${problems.length > 10 ? '\n  …' : ''}`, { problems });
  }
  return { checked };
}
