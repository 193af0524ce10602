import type { DnsAnswer } from './records.js';
import { COREDNS_TTL_SECONDS } from './coredns.js';

/**
 * CoreDNS's `cache 30`: answers (and NXDOMAINs) are reused for up to 30 s, or the record TTL
 * when shorter. Time is passed in; entries are keyed by the lower-cased name.
 */
export class DnsCache {
  private readonly entries = new Map<string, { answer: DnsAnswer; expiresMs: number }>();

  constructor(private readonly maxTtlMs = COREDNS_TTL_SECONDS * 1000) {}

  get(name: string, nowMs: number): DnsAnswer | undefined {
    const e = this.entries.get(name.toLowerCase());
    if (e === undefined) return undefined;
    if (nowMs >= e.expiresMs) {
      this.entries.delete(name.toLowerCase());
      return undefined;
    }
    return e.answer;
  }

  put(name: string, answer: DnsAnswer, nowMs: number): void {
    const ttls = answer.records.map((r) => r.ttl * 1000);
    const ttl = Math.min(this.maxTtlMs, ...ttls);
    this.entries.set(name.toLowerCase(), { answer, expiresMs: nowMs + ttl });
  }

  /** The cached answer, or a fresh one from `query` (then cached); says which. */
  lookup(name: string, nowMs: number, query: (name: string) => DnsAnswer): { answer: DnsAnswer; cached: boolean } {
    const hit = this.get(name, nowMs);
    if (hit !== undefined) return { answer: hit, cached: true };
    const answer = query(name);
    this.put(name, answer, nowMs);
    return { answer, cached: false };
  }
}
