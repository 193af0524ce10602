import { describe, expect, it } from 'vitest';
import { knsim } from '../helpers.js';

describe('knsim basics', () => {
  it('prints its version and help, exit 0', () => {
    const v = knsim(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const h = knsim(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('bench');
  });

  it('rejects unknown options and commands with exit 2 and a message on stderr', () => {
    const r = knsim(['bench', 'mmc', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--bogus'");
    expect(r.stdout).toBe('');
    expect(knsim(['nonsense']).code).toBe(2);
  });
});

describe('knsim bench mmc', () => {
  it('--json prints exactly one JSON document with the documented keys', () => {
    const r = knsim(['bench', 'mmc', '--customers', '20000', '--seed', '3', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    for (const k of ['customers', 'events', 'wallSeconds', 'eventsPerSecond', 'meanWait', 'erlangCMeanWait', 'relativeError']) {
      expect(doc).toHaveProperty(k);
    }
    expect(doc.customers).toBe(20000);
    expect(doc.events).toBeGreaterThan(4 * 20000);
  });

  it('gives the same simulated result for the same seed', () => {
    const a = JSON.parse(knsim(['bench', 'mmc', '--customers', '5000', '--seed', '9', '--json']).stdout);
    const b = JSON.parse(knsim(['bench', 'mmc', '--customers', '5000', '--seed', '9', '--json']).stdout);
    expect(a.meanWait).toBe(b.meanWait);
    expect(a.events).toBe(b.events);
  });

  it("prints SimPy's mean wait to the bit for the issue's golden run (1,000,000 customers, seed 42, mulberry32)", () => {
    // `python3 shared/tools/simpy_mmc.py 1000000 42 mulberry32` with SimPy 4 prints mean_wait_full 0.654838967313272.
    const r = JSON.parse(knsim(['bench', 'mmc', '--seed', '42', '--rng', 'mulberry32', '--json']).stdout);
    expect(r.meanWait).toBe(0.654838967313272);
  });

  it('follows the SimPy sample path on shorter runs to within last-ulp differences of the logarithm', () => {
    // SimPy's values for 1,000 and 20,000 customers (seed 42, mulberry32). V8's Math.log and
    // glibc's log differ in the last bit for about 7% of arguments, so the exponential draws can
    // differ by one ulp; the paths agree to ~1e-15 (docs/kernel.md explains).
    for (const [n, simpy] of [
      [1000, 0.18506454978081655],
      [20000, 0.8223817848861987],
    ] as const) {
      const r = JSON.parse(knsim(['bench', 'mmc', '--customers', String(n), '--seed', '42', '--rng', 'mulberry32', '--json']).stdout);
      expect(Math.abs(r.meanWait - simpy) / simpy).toBeLessThan(1e-13);
    }
  });

  it('rejects impossible parameters as a user mistake (exit 2)', () => {
    const z = knsim(['bench', 'mmc', '--servers', '0']);
    expect(z.code).toBe(2);
    expect(z.stderr).toContain('--servers must be >= 1');
    const u = knsim(['bench', 'mmc', '--arrival-rate', '20']);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain('the queue is unstable');
    const n = knsim(['bench', 'mmc', '--customers', 'lots']);
    expect(n.code).toBe(2);
    expect(n.stderr).toContain('--customers takes a number');
  });
});

describe('knsim bench stack', () => {
  it('--json prints one JSON document with the keys the scaling issue names, every request answered', () => {
    const r = knsim(['bench', 'stack', '--requests', '3000', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    for (const k of ['requests', 'wallSeconds', 'requestsPerSecond', 'eventsPerSecond', 'peakRssMb']) expect(typeof doc[k]).toBe('number');
    expect(doc.requests).toBe(3000);
    expect(doc.byStatus).toEqual({ '200': 3000 });
    expect(doc.requestsPerSecond).toBeCloseTo(3000 / doc.wallSeconds, 6);
    expect(doc.eventsPerSecond).toBeCloseTo(doc.events / doc.wallSeconds, 3);
  });

  it('simulates the same run for the same seed, and another for another seed', () => {
    const run = (seed: string) => JSON.parse(knsim(['bench', 'stack', '--requests', '2000', '--seed', seed, '--json']).stdout);
    const [a, b, c] = [run('3'), run('3'), run('4')];
    expect(a.events).toBe(b.events);
    expect(a.maxReadyPods).toBe(b.maxReadyPods);
    expect(c.events).not.toBe(a.events);
  });

  it('--pods N holds the revision at N pods, out of the activator path, and reports CPU per request', () => {
    // 400 pods: more than the default three nodes hold (110 pods each), so the bench adds nodes.
    const doc = JSON.parse(knsim(['bench', 'stack', '--pods', '400', '--rps', '8000', '--requests', '2000', '--json']).stdout);
    expect(doc.pods).toBe(400);
    expect(doc.maxReadyPods).toBe(400);
    expect(doc.byStatus).toEqual({ '200': 2000 });
    expect(doc.cpuUsPerRequest).toBeCloseTo((doc.cpuSeconds * 1e6) / 2000, 6);
    const z = knsim(['bench', 'stack', '--pods', '0']);
    expect(z.code).toBe(2);
    expect(z.stderr).toContain('--pods must be >= 1');
  });

  it('rejects impossible parameters as a user mistake (exit 2)', () => {
    const z = knsim(['bench', 'stack', '--requests', '0']);
    expect(z.code).toBe(2);
    expect(z.stderr).toContain('--requests must be >= 1');
    expect(z.stdout).toBe('');
    const r = knsim(['bench', 'stack', '--rps', '-1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--rps must be > 0');
  });
});

describe('knsim bench property', () => {
  it('--json prints runs, wallSeconds, runsPerSecond and setupMsMean; the property holds', () => {
    const r = knsim(['bench', 'property', '--runs', '5', '--requests', '100', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    for (const k of ['runs', 'wallSeconds', 'runsPerSecond', 'setupMsMean', 'clusterMsMean', 'clusterSetupsPerSecond']) expect(typeof doc[k]).toBe('number');
    expect(doc.runs).toBe(5);
    expect(doc.requests).toBe(100);
    expect(doc.held).toBe(true);
    expect(doc.runsPerSecond).toBeCloseTo(5 / doc.wallSeconds, 6);
    // A fresh process by default: no warm-up. The CPU figure counts every thread (V8's compiler too).
    expect(doc).toMatchObject({ warmup: 0, warmupSeconds: 0 });
    expect(doc.cpuSeconds).toBeGreaterThan(0);
  });

  it('--warmup runs the property first, unmeasured, and reports it apart', () => {
    const r = knsim(['bench', 'property', '--runs', '3', '--warmup', '2', '--requests', '50', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ runs: 3, warmup: 2, held: true });
    expect(doc.warmupSeconds).toBeGreaterThan(0);
    const text = knsim(['bench', 'property', '--runs', '2', '--warmup', '1', '--requests', '20']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/warm-up\s+1 runs first, unmeasured/);
    expect(text.stdout).toMatch(/cpu seconds\s+\d/);
    const bad = knsim(['bench', 'property', '--warmup', '-1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--warmup must be >= 0');
  });

  it('rejects impossible parameters as a user mistake (exit 2)', () => {
    const z = knsim(['bench', 'property', '--runs', '0']);
    expect(z.code).toBe(2);
    expect(z.stderr).toContain('--runs must be >= 1');
  });
});

describe('knsim bench setup', () => {
  it('--json prints setups, msPerSetup, cpuMsPerSetup and setupsPerSecond for smallCluster() with one Service', () => {
    const r = knsim(['bench', 'setup', '--setups', '3', '--warmup', '1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    for (const k of ['setups', 'revisions', 'msPerSetup', 'cpuMsPerSetup', 'setupsPerSecond', 'setupsPerCpuSecond', 'events', 'peakRssMb']) expect(typeof doc[k]).toBe('number');
    expect(doc).toMatchObject({ setups: 3, revisions: 1, warmup: 1, seed: 1, coldSetups: 1 });
    expect(doc.setupsPerSecond).toBeCloseTo(1000 / doc.msPerSetup, 6);
    // The warm-up is reported too: its first setups are what a short suite pays with V8 cold.
    expect(doc.coldMsPerSetup).toBeGreaterThan(0);
    expect(doc.warmupMsPerSetup).toBeCloseTo(doc.coldMsPerSetup, 1);
    expect(doc.events).toBeGreaterThan(0);
    const text = knsim(['bench', 'setup', '--setups', '2', '--revisions', '2', '--warmup', '0']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('a 2-revision Service, Ready');
    expect(text.stdout).toContain('setups per second');
    expect(text.stdout).not.toContain('warm-up ms per setup');
    // The steady state is what the default measures: a few thousand unmeasured setups first.
    const help = knsim(['bench', 'setup', '--help']);
    expect(help.stdout).toMatch(/--setups <n>\s+setups measured \(default: 1000\)/);
    expect(help.stdout).toMatch(/--warmup <n>[\s\S]*\(default: 4000\)/);
  });

  it('rejects impossible parameters as a user mistake (exit 2)', () => {
    const z = knsim(['bench', 'setup', '--setups', '0']);
    expect(z.code).toBe(2);
    expect(z.stderr).toContain('--setups must be >= 1');
  });
});

describe('knsim bench control-plane', () => {
  it('--json prints services, events, cpuSeconds, wallSeconds, msPerService and peakRssMb; all Ready', () => {
    const r = knsim(['bench', 'control-plane', '--services', '3', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    for (const k of ['services', 'events', 'cpuSeconds', 'wallSeconds', 'msPerService', 'peakRssMb']) expect(typeof doc[k]).toBe('number');
    expect(doc.services).toBe(3);
    expect(doc.events).toBeGreaterThan(0);
    expect(doc.msPerService).toBeCloseTo((doc.wallSeconds * 1000) / 3, 6);
    const text = knsim(['bench', 'control-plane', '--services', '2']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('ms per service');
  });

  it('rejects impossible parameters as a user mistake (exit 2)', () => {
    const z = knsim(['bench', 'control-plane', '--services', '0']);
    expect(z.code).toBe(2);
    expect(z.stderr).toContain('--services must be >= 1');
  });
});
