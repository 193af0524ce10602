/** One report of queue-proxy's request statistics (networking pkg/http/stats). */
export interface RequestStatsReport {
  /** Time-weighted mean concurrency over the period (all requests, proxied included). */
  averageConcurrency: number;
  averageProxiedConcurrency: number;
  /** Arrivals per second over the period. */
  requestCount: number;
  proxiedRequestCount: number;
}

/**
 * Concurrency counted from the moment a request enters queue-proxy's proxy handler (before
 * the breaker, so queued requests count) until it leaves, integrated over time; and arrivals.
 * Requests from the activator (`K-Proxy-Request: activator`) are also counted as proxied, so
 * the autoscaler can subtract what the activator already reported.
 */
export class RequestStats {
  concurrency = 0;
  proxiedConcurrency = 0;
  private area = 0;
  private proxiedArea = 0;
  private count = 0;
  private proxiedCount = 0;
  private last: number;
  private windowStart: number;

  constructor(now: number) {
    this.last = now;
    this.windowStart = now;
  }

  private advance(now: number): void {
    const dt = now - this.last;
    if (dt > 0) {
      this.area += this.concurrency * dt;
      this.proxiedArea += this.proxiedConcurrency * dt;
      this.last = now;
    }
  }

  in(now: number, proxied: boolean): void {
    this.advance(now);
    this.concurrency++;
    this.count++;
    if (proxied) {
      this.proxiedConcurrency++;
      this.proxiedCount++;
    }
  }

  out(now: number, proxied: boolean): void {
    this.advance(now);
    this.concurrency--;
    if (proxied) this.proxiedConcurrency--;
  }

  /** The report for the period since the previous one, which starts a new period. */
  report(now: number): RequestStatsReport {
    this.advance(now);
    const elapsed = now - this.windowStart;
    const r: RequestStatsReport =
      elapsed > 0
        ? {
            averageConcurrency: this.area / elapsed,
            averageProxiedConcurrency: this.proxiedArea / elapsed,
            requestCount: (this.count * 1000) / elapsed,
            proxiedRequestCount: (this.proxiedCount * 1000) / elapsed,
          }
        : { averageConcurrency: this.concurrency, averageProxiedConcurrency: this.proxiedConcurrency, requestCount: 0, proxiedRequestCount: 0 };
    this.area = 0;
    this.proxiedArea = 0;
    this.count = 0;
    this.proxiedCount = 0;
    this.windowStart = now;
    return r;
  }
}
