import type { Condition, Service } from '../apis/serving/v1/types.js';

/** A Knative Service that is not Ready yet, and why. */
export interface UnreadyService {
  namespace: string;
  name: string;
  status: string;
  reason?: string;
  message?: string;
}

/** Knative Services (of those named, if any) whose Ready condition is not True for their latest generation. */
export function unreadyServices(services: readonly Service[], names?: readonly string[]): UnreadyService[] {
  const out: UnreadyService[] = [];
  for (const s of services) {
    if (names && !names.includes(s.metadata.name)) continue;
    const c = (s.status?.conditions ?? []).find((x: Condition) => x.type === 'Ready');
    // Like `kn`, wait for the controller to have seen the latest spec, not just for Ready.
    const current = (s.status?.observedGeneration ?? 0) === (s.metadata.generation ?? 1);
    if (c?.status === 'True' && current) continue;
    if (!current) {
      out.push({ namespace: s.metadata.namespace ?? 'default', name: s.metadata.name, status: 'Unknown', reason: 'OutOfDate', message: 'waiting for the controller to reconcile the latest generation' });
      continue;
    }
    out.push({ namespace: s.metadata.namespace ?? 'default', name: s.metadata.name, status: c?.status ?? 'Unknown', ...(c?.reason ? { reason: c.reason } : {}), ...(c?.message ? { message: c.message } : {}) });
  }
  return out;
}
