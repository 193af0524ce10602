import { parseDuration } from '../../engine/duration.js';
import type { HTTPRetry } from '../../apis/istio/v1alpha3.js';

/**
 * A VirtualService `retries` block as Envoy's RetryPolicy (istio/istio
 * pilot/pkg/networking/core/route/retry/retry.go ConvertPolicy / DefaultPolicy).
 */
export interface RetryPolicy {
  /** Retries after the first try (total tries = 1 + numRetries). */
  numRetries: number;
  retryOn: string[];
  retriableStatusCodes: number[];
  /** Per-try timeout in ms; undefined = none (the route timeout bounds all tries). */
  perTryTimeoutMs?: number;
  /** `retry_host_predicate: previous_hosts`: a retry prefers another endpoint. */
  retryOtherHosts: boolean;
  hostSelectionRetryMaxAttempts: number;
  /** Envoy's default base interval; Istio sets it only when `backoff` is given. */
  backoffBaseIntervalMs: number;
}

export const DEFAULT_RETRY_ON = ['connect-failure', 'refused-stream', 'unavailable', 'cancelled', 'retriable-status-codes'];

/**
 * The mesh default applied when a route says nothing about retries: 2 retries on connection
 * level failures. 503 is no longer among the retriable codes (EXCLUDE_UNSAFE_503_FROM_DEFAULT_RETRY).
 */
export function defaultRetryPolicy(): RetryPolicy {
  return {
    numRetries: 2,
    retryOn: [...DEFAULT_RETRY_ON],
    retriableStatusCodes: [],
    retryOtherHosts: true,
    hostSelectionRetryMaxAttempts: 5,
    backoffBaseIntervalMs: 25,
  };
}

/** ConvertPolicy: omitted → the default; `attempts: 0` (including `retries: {}`) → no policy at all. */
export function convertRetryPolicy(retries: HTTPRetry | undefined): RetryPolicy | null {
  if (retries === undefined) return defaultRetryPolicy();
  const attempts = retries.attempts ?? 0;
  if (attempts <= 0) return null;
  const out = defaultRetryPolicy();
  out.numRetries = attempts;
  if (retries.retryOn) {
    const tokens = retries.retryOn.split(',').map((t) => t.trim()).filter((t) => t !== '');
    // parseRetryOn: numbers are retriable status codes, and then retriable-status-codes must be on.
    out.retriableStatusCodes = tokens.filter((t) => /^\d+$/.test(t)).map(Number);
    out.retryOn = tokens.filter((t) => !/^\d+$/.test(t));
    if (out.retriableStatusCodes.length > 0 && !out.retryOn.includes('retriable-status-codes')) out.retryOn.push('retriable-status-codes');
  }
  if (retries.perTryTimeout !== undefined) out.perTryTimeoutMs = parseDuration(retries.perTryTimeout);
  if (retries.retryIgnorePreviousHosts === false) out.retryOtherHosts = false;
  if (retries.backoff !== undefined) out.backoffBaseIntervalMs = parseDuration(retries.backoff);
  return out;
}
