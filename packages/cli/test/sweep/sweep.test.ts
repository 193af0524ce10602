import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { knsim } from '../helpers.js';
import { bin } from './redis.js';
import { folder, ISSUE_SWEEP, LOAD_SCENARIO } from './fixtures.js';

// Issue 18: knsim sweep on this machine's worker threads.
const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');

describe('knsim sweep', () => {
  it("runs the issue's form (a built-in, seeds 1..3, a ConfigMap key and a Service annotation): sweep.json and sweep.csv", () => {
    const dir = folder({ 'sweep.yaml': ISSUE_SWEEP });
    const r = knsim(['sweep', 'sweep.yaml', '--out', 'out'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('sweep window-vs-latency (scenario life-of-a-request): 12 runs, 4 combination(s) × 3 seed(s)');
    const doc = JSON.parse(read(join(dir, 'out'), 'sweep.json'));
    expect(doc.runs).toHaveLength(12);
    expect(doc.runs[0]).toMatchObject({ parameters: { 'config.config-autoscaler.stable-window': '30s', 'annotations.hello.autoscaling.knative.dev/target': '10' }, seed: 1, coldStarts: 1, 'requests.cold.status': 200 });
    expect(doc.runs.map((x: { seed: number }) => x.seed)).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3]);
    expect(doc.combinations).toHaveLength(4);
    const c = doc.combinations[0];
    expect(c.runs).toBe(3);
    expect(c['requests.cold.latencyMs']).toEqual({ mean: expect.any(Number), sd: expect.any(Number), ci95: [expect.any(Number), expect.any(Number)] });
    const csv = read(join(dir, 'out'), 'sweep.csv').trimEnd().split('\n');
    expect(csv).toHaveLength(1 + 12 + 4);
    const header = csv[0]!.split(',');
    expect(header.slice(0, 7)).toEqual(['row', 'config.config-autoscaler.stable-window', 'annotations.hello.autoscaling.knative.dev/target', 'seed', 'runs', 'failed', 'error']);
    for (const f of ['coldStarts', 'maxReadyPods', 'requests.cold.latencyMs', 'requests.cold.latencyMs.ci95low', 'requests.cold.latencyMs.ci95high', 'requests.cold.latencyMs.sd']) expect(header).toContain(f);
    expect(csv[1]).toMatch(/^run,30s,10,1,1,0,,/);
    expect(csv[13]).toMatch(/^combination,30s,10,,3,0,,/);
  });

  it('writes the same bytes with 1 worker and with 3: the merge does not depend on who ran what, or when', () => {
    const dir = folder({ 'sweep.yaml': ISSUE_SWEEP });
    expect(knsim(['sweep', 'sweep.yaml', '--workers', '1', '--out', 'one', '--quiet'], { cwd: dir }).code).toBe(0);
    expect(knsim(['sweep', 'sweep.yaml', '--workers', '3', '--out', 'three', '--quiet'], { cwd: dir }).code).toBe(0);
    expect(read(join(dir, 'three'), 'sweep.json')).toBe(read(join(dir, 'one'), 'sweep.json'));
    expect(read(join(dir, 'three'), 'sweep.csv')).toBe(read(join(dir, 'one'), 'sweep.csv'));
  });

  it('writes DIR/report.html beside sweep.json: the same bytes with 1 worker and with 2, every chart against each axis; --no-report skips it', () => {
    const dir = folder({ 'sweep.yaml': ISSUE_SWEEP });
    const one = knsim(['sweep', 'sweep.yaml', '--workers', '1', '--out', 'one'], { cwd: dir });
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toContain(`wrote ${join(dir, 'one', 'sweep.json')}, ${join(dir, 'one', 'sweep.csv')}, ${join(dir, 'one', 'report.html')}`);
    expect(knsim(['sweep', 'sweep.yaml', '--workers', '2', '--out', 'two', '--quiet'], { cwd: dir }).code).toBe(0);
    const html = read(join(dir, 'one'), 'report.html');
    expect(read(join(dir, 'two'), 'report.html')).toBe(html);
    expect(html).toContain('<h1>window-vs-latency</h1>');
    expect(html).toContain('<code>knsim sweep sweep.yaml</code>');
    expect(html).toContain('<li><code>config.config-autoscaler.stable-window</code>: <code>30s</code>, <code>60s</code></li>');
    for (const axis of ['config_config-autoscaler_stable-window', 'annotations_hello_autoscaling_knative_dev_target'])
      for (const f of ['requests_cold_latencyMs', 'coldStarts', 'maxReadyPods']) expect(html, `${axis} ${f}`).toContain(`data-chart="sweep-${axis}-${f}"`);
    // The combinations' means ± interval, as sweep.json has them.
    const doc = JSON.parse(read(join(dir, 'one'), 'sweep.json'));
    const cold = doc.combinations[0]['requests.cold.latencyMs'];
    expect(html).toContain(`${cold.mean.toFixed(3).replace(/\.?0+$/, '')} ± `);
    expect(html).not.toMatch(/<script|<link|<img|https?:/i);
    expect(html.length).toBeLessThan(2_000_000);
    expect(knsim(['sweep', 'sweep.yaml', '--out', 'none', '--no-report', '--quiet'], { cwd: dir }).code).toBe(0);
    expect(readdirSync(join(dir, 'none')).sort()).toEqual(['runs', 'sweep.csv', 'sweep.json']);
  });

  it('renders hostile annotation values in report.html as text', () => {
    const dir = folder({ 'sweep.yaml': `name: hostile\nscenario: life-of-a-request\nseeds: [1]\nmatrix:\n  annotations:\n    hello: { example.com/note: ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>'] }\n` });
    const r = knsim(['sweep', 'sweep.yaml', '--out', 'out', '--quiet'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const html = read(join(dir, 'out'), 'report.html');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toMatch(/<[^>]*\sonerror=/);
    expect(html).toContain('<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>');
    expect(html).toContain('<code>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</code>');
  });

  it('reads a scenario beside the sweep file, sweeps a load rate, and counts checks passed per run', () => {
    const dir = folder({
      'steady.yaml': LOAD_SCENARIO,
      'sweep.yaml': 'name: rates\nscenario: steady.yaml\nseeds: [1, 2]\nmatrix:\n  loads: { steady: { rps: [10, 40] } }\n',
    });
    const r = knsim(['sweep', 'sweep.yaml', '--out', 'out', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(r.stdout).toBe(read(join(dir, 'out'), 'sweep.json'));
    const sent = doc.runs.map((x: Record<string, number>) => x['loads.steady.sent']);
    expect(sent[2]).toBeGreaterThan(2 * sent[0]);
    expect(doc.runs.every((x: Record<string, number>) => x['checks.passed'] === 1 && x['checks.failed'] === 0 && x['loads.steady.status.200'] === x['loads.steady.completed'])).toBe(true);
    expect(r.stderr).toBe('');
  });

  it('resumes: finished runs are kept in DIR/runs by their key and not run again; missing ones are', () => {
    const dir = folder({ 'sweep.yaml': ISSUE_SWEEP });
    const out = join(dir, 'out');
    expect(knsim(['sweep', 'sweep.yaml', '--out', 'out', '--quiet'], { cwd: dir }).code).toBe(0);
    const first = read(out, 'sweep.json');
    const kept = readdirSync(join(out, 'runs')).sort();
    expect(kept).toHaveLength(12);
    // Interrupted after 9 runs: three are gone; a cached one is marked so we can see it was not re-run.
    for (const f of kept.slice(0, 3)) rmSync(join(out, 'runs', f));
    const marked = join(out, 'runs', kept[5]!);
    const rec = JSON.parse(readFileSync(marked, 'utf8'));
    writeFileSync(marked, JSON.stringify({ ...rec, figures: { ...rec.figures, coldStarts: 99 } }));
    const again = knsim(['sweep', 'sweep.yaml', '--out', 'out'], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('12 runs, 4 combination(s) × 3 seed(s), 9 from an earlier invocation');
    expect(readdirSync(join(out, 'runs')).sort()).toEqual(kept);
    const doc = JSON.parse(read(out, 'sweep.json'));
    expect(doc.runs.filter((x: { coldStarts: number }) => x.coldStarts === 99)).toHaveLength(1);
    // Without the mark, the resumed sweep is the uninterrupted one, byte for byte.
    writeFileSync(marked, JSON.stringify(rec));
    expect(knsim(['sweep', 'sweep.yaml', '--out', 'out', '--quiet'], { cwd: dir }).code).toBe(0);
    expect(read(out, 'sweep.json')).toBe(first);
  });

  it('a changed scenario is a different key: nothing stale is reused', () => {
    const dir = folder({ 'steady.yaml': LOAD_SCENARIO, 'sweep.yaml': 'name: rates\nscenario: steady.yaml\nseeds: [1]\n' });
    expect(knsim(['sweep', 'sweep.yaml', '--out', 'out', '--quiet'], { cwd: dir }).code).toBe(0);
    writeFileSync(join(dir, 'steady.yaml'), LOAD_SCENARIO.replace('rps: 20', 'rps: 5'));
    const r = knsim(['sweep', 'sweep.yaml', '--out', 'out'], { cwd: dir });
    expect(r.stdout).not.toContain('from an earlier invocation');
    expect(readdirSync(join(dir, 'out', 'runs'))).toHaveLength(2);
  });

  it('a run that cannot finish is reported with its error, the others are merged, and the exit code is 1', () => {
    const dir = folder({ 'sweep.yaml': 'name: slow\nscenario: life-of-a-request\nseeds: [1]\nmatrix:\n  annotations: { hello: { knsim.dev/startup-time: ["1s", "20m"] } }\n' });
    const r = knsim(['sweep', 'sweep.yaml', '--out', 'out'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('knsim: 1 of 2 run(s) failed; the first: Service default/hello is not Ready after 600s');
    const doc = JSON.parse(read(join(dir, 'out'), 'sweep.json'));
    expect(doc.runs[0].coldStarts).toBe(1);
    expect(doc.runs[1]).toEqual({ parameters: { 'annotations.hello.knsim.dev/startup-time': '20m' }, seed: 1, error: expect.stringContaining('is not Ready after 600s') });
    expect(doc.combinations[1]).toEqual({ parameters: { 'annotations.hello.knsim.dev/startup-time': '20m' }, runs: 0, failed: 1 });
    // A failed run is not kept: the next invocation tries it again.
    expect(readdirSync(join(dir, 'out', 'runs'))).toHaveLength(1);
  });

  it('a mistake in the sweep file: exit 2, one message naming the file and the field, nothing written', () => {
    const dir = folder({ 'sweep.yaml': 'name: bad\nscenario: life-of-a-request\nseeds: 1..2\nmatrix:\n  annotations: { nosuch: { autoscaling.knative.dev/target: ["10"] } }\n  config: { config-autoscaler.stable-window: ["fast"] }\n' });
    const r = knsim(['sweep', 'sweep.yaml', '--out', 'out'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('knsim: sweep.yaml: matrix.annotations.nosuch.autoscaling.knative.dev/target[0]: the scenario applies no Knative Service named "nosuch"');
    expect(r.stderr).toContain('sweep.yaml: matrix.config.config-autoscaler.stable-window[0]: ');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
    expect(existsSync(join(dir, 'out'))).toBe(false);
    const missing = knsim(['sweep', 'sweep.yaml'], { cwd: folder({ 'sweep.yaml': 'name: m\nscenario: nowhere.yaml\nseeds: [1]\n' }) });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('sweep.yaml: scenario: no scenario file or built-in scenario named "nowhere.yaml"');
    expect(knsim(['sweep', 'nope.yaml']).stderr).toContain('knsim: nope.yaml: no such sweep file');
    expect(knsim(['sweep', 'x.yaml', '--workers', '0']).code).toBe(2);
  });
});

describe('progress', () => {
  const hasScript = spawnSync('script', ['--version']).status === 0;

  it.skipIf(!hasScript)('shows runs done, runs/s and an ETA on a terminal, and nothing under --quiet, --json or without one', () => {
    const dir = folder({ 'sweep.yaml': 'name: p\nscenario: life-of-a-request\nseeds: 1..6\n' });
    // script(1) gives the command a terminal; its own output is what the terminal showed.
    const tty = (args: string) => spawnSync('script', ['-qec', `${process.execPath} ${bin} ${args}`, '/dev/null'], { cwd: dir, encoding: 'utf8', timeout: 120_000 }).stdout;
    const shown = tty('sweep sweep.yaml --out a --workers 2');
    expect(shown).toMatch(/runs 6\/6 done, \d+\.\d runs\/s, ETA/);
    expect(shown).toMatch(/\r {2}runs 0\/6 done, 0\.0 runs\/s, ETA --/);
    expect(tty('sweep sweep.yaml --out b --quiet')).not.toContain('runs/s');
    expect(tty('sweep sweep.yaml --out c --json')).not.toContain('runs/s');
    const piped = knsim(['sweep', 'sweep.yaml', '--out', 'd'], { cwd: dir });
    expect(piped.code).toBe(0);
    expect(piped.stderr).toBe('');
  });
});

describe('knsim bench sweep', () => {
  it('--json prints runs, workers, wallSeconds, runsPerSecond, the speedup over one worker and the pool overhead', () => {
    const r = knsim(['bench', 'sweep', '--runs', '4', '--workers', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ runs: 4, workers: 2, scenario: 'life-of-a-request' });
    for (const k of ['wallSeconds', 'runsPerSecond', 'oneWorkerWallSeconds', 'speedup', 'runMsMean', 'pooledMsPerRun', 'directMsPerRun', 'directCpuMsPerRun', 'pooledCpuMsPerRun']) expect(doc[k]).toBeGreaterThan(0);
    for (const k of ['overheadMsPerRun', 'overheadPercent', 'overheadCpuPercent', 'poolStartSeconds']) expect(typeof doc[k]).toBe('number');
    expect(doc.loadAverage).toHaveLength(3);
    expect(knsim(['bench', 'sweep', '--runs', '0']).code).toBe(2);
  });

  it('--warmup sets the runs per thread before the clock; on Linux each pass says where its CPU went, thread by thread, and the CPU speedup', () => {
    const r = knsim(['bench', 'sweep', '--runs', '4', '--workers', '2', '--warmup', '3', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.warmupRunsPerThread).toBe(3);
    // The machine's own ceiling for 2 threads, measured in the same invocation without knsim.
    expect(doc.machineCeiling.oneThreadMs).toBeGreaterThan(0);
    expect(doc.machineCeiling.speedup).toBeCloseTo((2 * doc.machineCeiling.oneThreadMs) / doc.machineCeiling.parallelMs);
    expect(doc.loadAverageBefore).toHaveLength(3);
    if (process.platform === 'linux') {
      expect(doc.threadCpu.oneWorker.poolMs).toHaveLength(1);
      expect(doc.threadCpu.parallel.poolMs).toHaveLength(2);
      for (const pass of [doc.threadCpu.oneWorker, doc.threadCpu.parallel]) {
        for (const k of ['mainMs', 'backgroundMs', 'waitMs']) expect(pass[k]).toBeGreaterThanOrEqual(0);
        expect(pass.criticalPathMs).toBeGreaterThanOrEqual(Math.max(...pass.poolMs));
      }
      expect(doc.cpuSpeedup).toBeCloseTo(doc.threadCpu.oneWorker.criticalPathMs / doc.threadCpu.parallel.criticalPathMs);
    }
    const text = knsim(['bench', 'sweep', '--runs', '2', '--workers', '2', '--warmup', '1']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('1 warm-up runs per thread');
    expect(text.stdout).toMatch(/machine ceiling +\d+\.\d\d× for 2 threads of simulation-shaped JavaScript without knsim/);
    if (process.platform === 'linux') expect(text.stdout).toMatch(/CPU by thread, 2 +main \d+, pool \d+ \+ \d+, V8 background \d+ ms/);
    expect(knsim(['bench', 'sweep', '--warmup', '0']).code).toBe(2);
  });

  it("runs with V8's interrupt budget raised for sweeps (src/sweep/jit.ts), and says so; a budget given to node is left alone", () => {
    const r = knsim(['bench', 'sweep', '--runs', '2', '--workers', '1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).jitFlags).toEqual(['--interrupt-budget=540672']);
    const own = spawnSync(process.execPath, ['--interrupt-budget=100000', bin, 'bench', 'sweep', '--runs', '2', '--workers', '1', '--json'], { encoding: 'utf8', timeout: 120_000 });
    expect(own.status, own.stderr).toBe(0);
    expect(JSON.parse(own.stdout).jitFlags).toEqual([]);
  });
});
