import type { Environment } from '../engine/environment.js';
import type { TraceBus } from '../trace/bus.js';
import type { KnsimTraceEvent } from '../trace/events.js';
import type { Pod } from '../k8s/pod.js';
import { TimedFloat64Buckets, WeightedFloat64Buckets } from '../autoscaler/buckets.js';
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
 * and panic windows for concurrency and for requests per second.
 */
export class MetricCollector {
  private readonly stableConc: Averager;
  private readonly panicConc: Averager;
  private readonly stableRps: Averager;
  private readonly panicRps: Averager;
  private readonly metric: 'concurrency' | 'rps';
  private readonly scrapePods: boolean;

  constructor(
    env: Environment,
    settings: KpaSettings,
  ) {
    void env;
    const make = (windowMs: number): Averager =>
      settings.aggregation === 'weighted-exponential' ? new WeightedFloat64Buckets(windowMs, BUCKET_MS) : new TimedFloat64Buckets(windowMs, BUCKET_MS);
    this.stableConc = make(settings.deciderSpec.stableWindowMs);
    this.panicConc = make(settings.deciderSpec.panicWindowMs);
    this.stableRps = make(settings.deciderSpec.stableWindowMs);
    this.panicRps = make(settings.deciderSpec.panicWindowMs);
    this.metric = settings.deciderSpec.scalingMetric;
    // resolveScrapeTarget: with TBC = −1 the activator is always in the path and pods are never scraped.
    this.scrapePods = settings.deciderSpec.targetBurstCapacity !== -1;
  }

  private record(now: number, conc: number, rps: number): void {
    this.stableConc.record(now, conc);
    this.panicConc.record(now, conc);
    this.stableRps.record(now, rps);
    this.panicRps.record(now, rps);
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

  recordActivator(now: number, concurrency: number, requestCount: number, _pod: string): void {
    this.record(now, concurrency, requestCount);
  }

  /** Stable and panic averages of the scaling metric, or null when there is no data (ErrNoData). */
  averages(now: number): { stable: number; panic: number } | null {
    const [s, p] = this.metric === 'rps' ? [this.stableRps, this.panicRps] : [this.stableConc, this.panicConc];
    if (this.scrapePods && s.isEmpty(now)) return null;
    return { stable: s.windowAverage(now), panic: p.windowAverage(now) };
  }
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
