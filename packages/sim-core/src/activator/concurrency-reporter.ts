import type { Environment } from '../engine/environment.js';
import { RequestStats } from '../queue/stats.js';

/** A stat as the activator sends it to the autoscaler over its websocket. */
export interface ActivatorStat {
  revisionKey: string; // "namespace/revision"
  podName: string;
  averageConcurrentRequests: number;
  requestCount: number;
  /** The immediate stat sent on a revision's first request (it may poke the autoscaler). */
  first: boolean;
}

export type StatSink = (stat: ActivatorStat) => void;

interface RevisionStats {
  stats: RequestStats;
  firstRequest: number;
}

/**
 * The activator's ConcurrencyReporter (pkg/activator/handler/concurrency_reporter.go): counts
 * from arrival, so requests buffered while a revision has no pods count as load. The first
 * request of a revision with no current entry sends {concurrency 1, count 1} at once — with the
 * autoscaler's Poke, that is how scale-from-zero starts in well under the 2 s tick. Every second
 * it reports each revision's time-weighted concurrency, subtracting the already-reported first
 * request once (floor 0), and forgets revisions that were idle for the whole second.
 */
export class ConcurrencyReporter {
  private readonly stats = new Map<string, RevisionStats>();
  private ticking = false;

  constructor(
    private readonly env: Environment,
    readonly podName: string,
    private readonly sink: StatSink,
    private readonly periodMs = 1000,
  ) {}

  handleRequestIn(revisionKey: string): void {
    let s = this.stats.get(revisionKey);
    if (s === undefined) {
      s = { stats: new RequestStats(this.env.now), firstRequest: 1 };
      this.stats.set(revisionKey, s);
      this.sink({ revisionKey, podName: this.podName, averageConcurrentRequests: 1, requestCount: 1, first: true });
      this.ensureTicking();
    }
    s.stats.in(this.env.now, false);
  }

  handleRequestOut(revisionKey: string): void {
    this.stats.get(revisionKey)?.stats.out(this.env.now, false);
  }

  private ensureTicking(): void {
    if (this.ticking) return;
    this.ticking = true;
    const env = this.env;
    // Reports are sent on a wall-clock ticker in Go; here on the simulated second boundaries.
    const nextTick = (Math.floor(env.now / this.periodMs) + 1) * this.periodMs;
    env.timeoutAt(nextTick).addCallback(() => this.tick());
  }

  private tick(): void {
    const now = this.env.now;
    for (const key of [...this.stats.keys()].sort()) {
      const s = this.stats.get(key)!;
      const report = s.stats.report(now);
      const firstAdj = s.firstRequest;
      s.firstRequest = 0;
      if (report.averageConcurrency === 0) this.stats.delete(key);
      this.sink({
        revisionKey: key,
        podName: this.podName,
        averageConcurrentRequests: Math.max(report.averageConcurrency - firstAdj, 0),
        requestCount: report.requestCount - firstAdj,
        first: false,
      });
    }
    if (this.stats.size > 0) this.env.timeout(this.periodMs).addCallback(() => this.tick());
    else this.ticking = false;
  }
}
