import type { Condition, ConditionStatus } from '../apis/serving/v1/types.js';

/** Sets a condition, keeping lastTransitionTime when the status does not change. Returns true if anything changed. */
export function setCondition(conditions: Condition[], type: string, status: ConditionStatus, now: number, reason?: string, message?: string): boolean {
  const i = conditions.findIndex((c) => c.type === type);
  const prev = i >= 0 ? conditions[i] : undefined;
  const next: Condition = {
    type,
    status,
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
    lastTransitionTime: prev && prev.status === status ? (prev.lastTransitionTime ?? now) : now,
  };
  if (prev && prev.status === next.status && prev.reason === next.reason && prev.message === next.message) return false;
  if (i >= 0) conditions[i] = next;
  else conditions.push(next);
  // Sorted by type; usually already (a replaced condition keeps its place), and then not sorted again.
  let sorted = true;
  for (let j = 1; j < conditions.length && sorted; j++) sorted = !(conditions[j - 1]!.type > conditions[j]!.type);
  if (!sorted) conditions.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
  return true;
}

export function getCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** Ready from its dependents: False if any is False, True if all are True, else Unknown (the first not-True's reason). */
export function aggregate(conditions: readonly Condition[], types: readonly string[]): { status: ConditionStatus; reason?: string; message?: string } {
  const deps = types.map((t) => getCondition(conditions, t) ?? { type: t, status: 'Unknown' as ConditionStatus });
  const failed = deps.find((c) => c.status === 'False');
  if (failed) return { status: 'False', ...(failed.reason ? { reason: failed.reason } : {}), ...(failed.message ? { message: failed.message } : {}) };
  const pending = deps.find((c) => c.status !== 'True');
  if (pending) return { status: 'Unknown', ...(pending.reason ? { reason: pending.reason } : {}), ...(pending.message ? { message: pending.message } : {}) };
  return { status: 'True' };
}
