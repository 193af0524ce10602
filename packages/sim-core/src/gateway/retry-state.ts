import type { Rng } from '../engine/rng.js';
import type { RetryPolicy } from '../net/istio/retry.js';

/**
 * What Envoy's router does between tries (envoy source/common/router/retry_state_impl.cc):
 * which failures a policy's `retry_on` retries, and the back-off before each retry.
 */

/** A connection that failed or was reset before a response (connect-failure, and the broader 5xx, gateway-error, reset). */
export function retriesConnectFailure(p: RetryPolicy): boolean {
  return p.retryOn.includes('connect-failure') || p.retryOn.includes('5xx') || p.retryOn.includes('gateway-error') || p.retryOn.includes('reset');
}

/** A connection the upstream reset after the request was sent: `reset`, and the broader 5xx and gateway-error. */
export function retriesReset(p: RetryPolicy): boolean {
  return p.retryOn.includes('5xx') || p.retryOn.includes('gateway-error') || p.retryOn.includes('reset');
}

/** A try that timed out (perTryTimeout): Envoy retries it on 5xx, gateway-error and reset. */
export function retriesTimeout(p: RetryPolicy): boolean {
  return p.retryOn.includes('5xx') || p.retryOn.includes('gateway-error') || p.retryOn.includes('reset');
}

/** An upstream response the policy retries. */
export function retriable(status: number, p: RetryPolicy): boolean {
  if (p.retryOn.includes('5xx') && status >= 500) return true;
  if (p.retryOn.includes('gateway-error') && (status === 502 || status === 503 || status === 504)) return true;
  if (p.retryOn.includes('retriable-4xx') && status === 409) return true;
  if (p.retryOn.includes('retriable-status-codes') && p.retriableStatusCodes.includes(status)) return true;
  return false;
}

/** The back-off before retry `attempt` (≥ 1): the base interval doubling per retry, fully jittered, capped at 10× the base. */
export function backoffMs(retries: RetryPolicy, attempt: number, rng: Rng): number {
  const base = retries.backoffBaseIntervalMs ?? 25;
  const cap = Math.min(base * 2 ** (attempt - 1), base * 10);
  return rng.next() * cap;
}

/** Envoy's order of response flags in access logs (source/common/stream_info/utility.cc ALL_RESPONSE_STRINGS_FLAGS). */
const FLAG_ORDER = ['LH', 'UH', 'UT', 'LR', 'UR', 'UF', 'UC', 'UO', 'NR', 'DI', 'FI', 'RL', 'UAEX', 'RLSE', 'DC', 'URX', 'SI', 'IH', 'DPE', 'UMSDR', 'RFCF', 'NFCF', 'DT', 'UPE', 'NC', 'OM'];

/** A reply's flags with the fault delay (DI) and exhausted retries (URX) added, comma-separated in Envoy's order. */
export function responseFlags(flags: string | undefined, delayed: boolean, retriesExhausted: boolean): string | undefined {
  const set = new Set(flags === undefined ? [] : flags.split(','));
  if (delayed) set.add('DI');
  if (retriesExhausted) set.add('URX');
  if (set.size === 0) return undefined;
  return [...set].sort((a, b) => FLAG_ORDER.indexOf(a) - FLAG_ORDER.indexOf(b)).join(',');
}
