import type { KeyRateLimitConfig } from '../../apis/higress/plugin-config.js';
import { parseQuery, type HttpRequest } from '../http.js';

/**
 * key-rate-limit (alibaba/higress plugins/wasm-cpp/extensions/key_rate_limit, plugin.cc and
 * bucket.cc): a token bucket per (rule id, key) in the Envoy's shared data — one per gateway
 * replica, not shared between replicas — that starts full at N tokens; each request takes one,
 * and at zero the request gets 429 `Too many requests`. The plugin's timer ticks every 500 ms
 * from when it was configured; a tick at which `now - lastRefilled >= interval` refills the
 * bucket to N (tokens + N, capped at N) and sets lastRefilled. lastRefilled starts at 0 (the
 * epoch on a real clock), so the first tick refills, and from then on the refills come every
 * interval: a fixed window of N requests anchored at the first tick. A reconfiguration starts
 * the buckets full again.
 *
 * The buckets are computed when a request comes rather than on every tick (a tick that leaves
 * no request between it and the next refill changes nothing); a tick at the same instant as a
 * request counts as before it.
 */
export const RATE_LIMITED_BODY = 'Too many requests';
/** bucket.cc: the plugin's tick period. */
export const RATE_LIMIT_TICK_MS = 500;

export type KeyRateLimitDecision = { kind: 'skip'; reason: 'no key' | 'unlisted key' } | { kind: 'allow'; key: string; left: number } | { kind: 'limited'; key: string };

/** One Envoy's buckets for one configuration of the plugin. */
export class KeyRateLimiter {
  private readonly buckets = new Map<string, { window: number; used: number }>();

  /** `configuredAtMs`: when Envoy configured the plugin (its timer starts then). */
  constructor(private readonly configuredAtMs: number) {}

  decide(ruleId: number, config: KeyRateLimitConfig, req: HttpRequest, nowMs: number): KeyRateLimitDecision {
    // An absent header or parameter is the empty key (plugin.cc checkPlugin), limited only when `key: ""` is listed.
    const key = limitKeyOf(config, req);
    const limit = config.limits.get(key);
    if (limit === undefined) return { kind: 'skip', reason: key === '' ? 'no key' : 'unlisted key' };
    // The refills so far: ticks at configuredAt + 500 ms · k (k ≥ 1); the first one refills and
    // every interval after it another. Before the first tick the bucket is as initialised (full).
    const firstTick = this.configuredAtMs + RATE_LIMIT_TICK_MS;
    const window = nowMs < firstTick ? -1 : Math.floor((nowMs - firstTick) / limit.intervalMs);
    const id = `${ruleId}\u0000${key}`;
    let b = this.buckets.get(id);
    if (b === undefined || b.window !== window) {
      b = { window, used: 0 };
      this.buckets.set(id, b);
    }
    if (b.used >= limit.tokens) return { kind: 'limited', key };
    b.used++;
    return { kind: 'allow', key, left: limit.tokens - b.used };
  }
}

/** The header's value, or the query parameter's value, undecoded (plugin.cc); '' when absent. */
function limitKeyOf(config: KeyRateLimitConfig, req: HttpRequest): string {
  if (config.limitByHeader !== undefined) return req.headers.getLower(config.limitByHeader.toLowerCase()) ?? '';
  const q = req.path.indexOf('?');
  if (q < 0) return '';
  return parseQuery(req.path.slice(q + 1)).find((x) => x.rawKey === config.limitByParam)?.rawValue ?? '';
}
