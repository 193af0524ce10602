import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/index.js';
import { svc } from './load-helpers.js';

/**
 * Issue 14: what a cluster costs grows with the work, not with idle time or pod count. Laws over
 * counts (events, samples, endpoint deliveries), never timings.
 */

const HOUR = 3_600_000;

/** A Service that has scaled to zero: Ready, then ten quiet minutes. */
function idleAtZero(opts: { alwaysTick?: boolean } = {}): Cluster {
  const c = new Cluster({ seed: 3, ...opts });
  c.apply(svc('app'));
  c.waitForReady();
  c.runFor(600_000);
  expect(c.revision('app-00001').replicas).toBe(0);
  return c;
}

describe('idle simulated time', () => {
  it('costs at most 100 events per idle revision-hour (no scrape or tick that cannot change anything)', () => {
    const c = idleAtZero();
    const before = c.env.eventsProcessed;
    c.runFor(HOUR);
    expect(c.env.eventsProcessed - before).toBeLessThanOrEqual(100);
  });

  it('keeps the timeline flat: 100 idle days hold the samples of one idle hour (a sample at each change)', () => {
    const short = idleAtZero();
    short.runFor(HOUR);
    const long = idleAtZero();
    long.runFor(2400 * HOUR);
    expect(long.revision('app-00001').timeline.length).toBe(short.revision('app-00001').timeline.length);
    // … and the samples are the same: nothing changed after the first idle hour.
    expect(long.revision('app-00001').timeline).toEqual(short.revision('app-00001').timeline);
  });

  it('gives the same timeline with every tick run (alwaysTick) as with idle ticks parked, through idle, a wake-up and idle again', () => {
    const run = (alwaysTick: boolean) => {
      const c = idleAtZero({ alwaysTick });
      c.runFor(HOUR + 1234.5);
      const r = c.request({ url: 'http://app.default.example.com/' });
      c.runFor(HOUR);
      return { status: r.status, latencyMs: r.latencyMs, timeline: c.revision('app-00001').timeline, coldStarts: c.coldStarts('app-00001') };
    };
    const parked = run(false);
    expect(parked.status).toBe(200);
    expect(parked.coldStarts).toBe(1);
    expect(parked).toEqual(run(true));
  });

  it('wakes on the grid it parked on: scrapes, decisions and events after a wake at any phase are those of ticking every time', () => {
    // A wake-up within a second of the park finds the scrape armed before it still pending: it
    // is kept, not doubled by a second timer for the same instant (an event a ticking revision
    // does not run).
    const run = (alwaysTick: boolean, offsetMs: number) => {
      const c = idleAtZero({ alwaysTick });
      c.runFor(offsetMs);
      const before = c.env.eventsProcessed;
      const seen: string[] = [];
      c.trace.on('scrape', (e) => seen.push(`scrape ${e.t} ${e.pods} ${e.concurrency}`));
      // Decisions without data (ErrNoData) change nothing: only ticking every time has them while idle.
      c.trace.on('autoscaler.decision', (e) => e.inputs.stable !== null && seen.push(`decide ${e.t} ${e.result.desiredPodCount} ${e.inputs.stable} ${e.inputs.poke}`));
      const r = c.request({ url: 'http://app.default.example.com/' });
      c.runFor(120_000);
      return { latencyMs: r.latencyMs, seen, timeline: c.revision('app-00001').timeline, events: c.env.eventsProcessed - before };
    };
    for (let offsetMs = 0; offsetMs < 2000; offsetMs += 125) {
      const parked = run(false, offsetMs);
      const ticking = run(true, offsetMs);
      expect(parked.seen, `offset ${offsetMs}`).toEqual(ticking.seen);
      expect(parked.events, `events after a wake at offset ${offsetMs}`).toBe(ticking.events);
      expect(parked.timeline).toEqual(ticking.timeline);
      expect(parked.latencyMs).toBe(ticking.latencyMs);
    }
  });

  it('a timeline sample differs from the one before it in a recorded field', () => {
    const c = idleAtZero({ alwaysTick: true });
    c.request({ url: 'http://app.default.example.com/' });
    c.runFor(HOUR);
    const tl = c.revision('app-00001').timeline;
    for (let i = 1; i < tl.length; i++) {
      const { tMs: _a, ...prev } = tl[i - 1]!;
      const { tMs: _b, ...cur } = tl[i]!;
      expect(cur).not.toEqual(prev);
    }
  });
});

/** A Service held at P pods from the start (min-scale = initial scale), run until all are Ready. */
function scaleUp(pods: number): { deliveries: Array<{ t: number; service: string }>; events: number } {
  // Ten nodes hold 1,000 pods (kubelet's --max-pods is 110 a node; three would leave most Pending).
  const c = new Cluster({ seed: 1, nodes: 10 });
  const deliveries: Array<{ t: number; service: string }> = [];
  c.trace.on('endpoints', (e) => deliveries.push({ t: e.t, service: e.service }));
  c.apply(svc('app', { annotations: { 'autoscaling.knative.dev/min-scale': String(pods) } }));
  c.waitForReady();
  while (c.revision('app-00001').readyPods.length < pods) c.runFor(100);
  c.runFor(1000);
  return { deliveries: deliveries.filter((d) => d.service === 'app-00001'), events: c.env.eventsProcessed };
}

describe('endpoints of a scale-up', () => {
  const small = scaleUp(100);
  const large = scaleUp(1000);

  it('are published at most once per revision per instant', () => {
    for (const { deliveries } of [small, large]) {
      const instants = new Set(deliveries.map((d) => d.t));
      expect(instants.size).toBe(deliveries.length);
    }
  });

  it('cost a delivery per propagation window, not per pod: 10× the pods, under 2× the deliveries', () => {
    expect(large.deliveries.length).toBeLessThan(2 * small.deliveries.length);
  });
});
