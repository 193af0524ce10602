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

/** How a try ended without an answer from the upstream, as the router classifies it (or did not: TRY_ANSWERED). */
export type TryFailure = typeof TRY_ANSWERED | typeof TRY_UNREACHABLE | typeof TRY_TIMED_OUT | typeof TRY_RESET;
export const TRY_ANSWERED = 0;
/** The endpoint's node is gone: no SYN-ACK until the connect timeout. */
export const TRY_UNREACHABLE = 1;
/** The route's per-try timeout expired. */
export const TRY_TIMED_OUT = 2;
/** The upstream reset the connection after the request went out. */
export const TRY_RESET = 3;

/**
 * Whether the policy retries a try that failed so: a connect timeout, or a refused connection
 * (TRY_ANSWERED with no answer), as a connect failure; a per-try timeout and a reset by their
 * own conditions (wouldRetryFromReset).
 */
export function retriesFailedTry(failed: TryFailure, p: RetryPolicy): boolean {
  if (failed === TRY_TIMED_OUT) return retriesTimeout(p);
  if (failed === TRY_RESET) return retriesReset(p);
  return retriesConnectFailure(p);
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
