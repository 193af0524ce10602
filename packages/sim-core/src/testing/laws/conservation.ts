import type { KnsimTraceEvent } from '../../trace/events.js';
import { LawViolation } from './law-violation.js';

export interface ConservationReport {
  /** Requests started. */
  requests: number;
  /** Answers by status (`0`: no HTTP answer, a client error). */
  byStatus: Record<string, number>;
}

const LAW = 'conservation';

/**
 * Every request ends exactly once, in a response (an HTTP status) or a client error (status 0
 * with its reason): none lost, none answered twice, no answer to a request nobody sent. Reads
 * `request.start` / `request.end` from a trace recorded over the whole run. With `sent`, the
 * number of requests the test sent must also match what the cluster saw.
 */
export function conservation(events: readonly KnsimTraceEvent[], o: { sent?: number } = {}): ConservationReport {
  const started = new Map<number, number>();
  const ended = new Map<number, number>();
  const problems: string[] = [];
  const byStatus = new Map<string, number>();
  events.forEach((e, i) => {
    if (e.type === 'request.start') {
      if (started.has(e.id)) problems.push(`request ${e.id} started twice (events ${started.get(e.id)} and ${i})`);
      started.set(e.id, i);
    } else if (e.type === 'request.end') {
      if (!started.has(e.id)) problems.push(`request ${e.id} answered (event ${i}, status ${e.status}) but never started`);
      if (ended.has(e.id)) problems.push(`request ${e.id} answered twice (events ${ended.get(e.id)} and ${i})`);
      ended.set(e.id, i);
      if (e.status === 0 ? !e.error : !(e.status >= 100 && e.status <= 599)) problems.push(`request ${e.id} ended with status ${e.status}${e.status === 0 ? ' and no client error' : ', not an HTTP status'}`);
      byStatus.set(String(e.status), (byStatus.get(String(e.status)) ?? 0) + 1);
    }
  });
  const lost = [...started.keys()].filter((id) => !ended.has(id));
  if (lost.length > 0) problems.push(`${lost.length} request(s) never answered: ${lost.slice(0, 10).join(', ')}${lost.length > 10 ? ', …' : ''}`);
  if (o.sent !== undefined && o.sent !== started.size) problems.push(`the test sent ${o.sent} request(s) but the cluster saw ${started.size}`);
  if (problems.length > 0) throw new LawViolation(LAW, problems.join('; '), { problems, lost });
  return { requests: started.size, byStatus: Object.fromEntries([...byStatus].sort(([a], [b]) => Number(a) - Number(b))) };
}
