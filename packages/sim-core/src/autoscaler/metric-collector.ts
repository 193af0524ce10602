import type { TraceBus } from '../trace/bus.js';
import type { KnsimTraceEvent } from '../trace/events.js';
import type { Pod } from '../k8s/pod.js';
import { TimedFloat64Buckets, WeightedFloat64Buckets } from './buckets.js';
import type { KpaSettings } from './kpa-settings.js';

interface Averager {
  record(nowMs: number, value: number): void;
  windowAverage(nowMs: number): number;
  isEmpty(nowMs: number): boolean;
}

/** Bucket granularity (config.BucketSize). */
const BUCKET_MS = 1000;

/**
 * The autoscaler's metric collector for one revision (pkg/autoscaler/metrics/collector.go):
 * every second it scrapes the Running and Ready pods' queue-proxy stats (knsim sums all of them
 * exactly, where Knative samples when there are more than 3), and it records the activator's
 * stats as they arrive. Pod stats exclude what came through the activator (the activator
 * reports that load itself, including requests it is still buffering). Values go into stable
 * and panic windows of the revision's scaling metric (concurrency or requests per second).
 */
export class MetricCollector {
  /** Stable and panic windows of the scaling metric, fixed for the revision. */
  private readonly stable: Averager;
  private readonly panic: Averager;
  private readonly metric: 'concurrency' | 'rps';
  private readonly scrapePods: boolean;

  constructor(settings: KpaSettings) {
    const make = (windowMs: number): Averager =>
      settings.aggregation === 'weighted-exponential' ? new WeightedFloat64Buckets(windowMs, BUCKET_MS) : new TimedFloat64Buckets(windowMs, BUCKET_MS);
    this.stable = make(settings.deciderSpec.stableWindowMs);
    this.panic = make(settings.deciderSpec.panicWindowMs);
    this.metric = settings.deciderSpec.scalingMetric;
    // resolveScrapeTarget: with TBC = −1 the activator is always in the path and pods are never scraped.
    this.scrapePods = settings.deciderSpec.targetBurstCapacity !== -1;
  }

  private record(now: number, conc: number, rps: number): void {
    const v = this.metric === 'rps' ? rps : conc;
    this.stable.record(now, v);
    this.panic.record(now, v);
  }

  scrape(now: number, readyPods: readonly Pod[], trace: TraceBus<KnsimTraceEvent>, namespace: string, revision: string): void {
    if (!this.scrapePods || readyPods.length === 0) return;
    let conc = 0;
    let rps = 0;
    for (const p of readyPods) {
      const r = p.queueProxy.stats.report(now);
      conc += r.averageConcurrency - r.averageProxiedConcurrency;
      rps += r.requestCount - r.proxiedRequestCount;
    }
    this.record(now, conc, rps);
    if (trace.active) trace.emit({ type: 'scrape', t: now, namespace, revision, pods: readyPods.length, concurrency: round6(conc), rps: round6(rps) });
  }

  recordActivator(now: number, concurrency: number, requestCount: number): void {
    this.record(now, concurrency, requestCount);
  }

  /** Stable and panic averages of the scaling metric, or null when there is no data (ErrNoData). */
  averages(now: number): { stable: number; panic: number } | null {
    if (this.scrapePods && this.stable.isEmpty(now)) return null;
    return { stable: this.stable.windowAverage(now), panic: this.panic.windowAverage(now) };
  }
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
