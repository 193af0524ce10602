import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findBuiltin, loadScenarioFile, runScenario, startScenario } from '@knsim/scenarios';
import { makeSummary, stableStringify } from '@knsim/report';
import { driveSlices } from '../../src/interrupt.js';

/**
 * Issue 15: Ctrl-C (SIGINT) stops `knsim run` promptly and writes a partial summary marked
 * `"complete": false`, with a line on stderr and exit code 130 (128 + SIGINT, as shells expect).
 * The run is taken in slices with event-loop turns between them; the slices run exactly the
 * events of one uninterrupted run.
 */
const bin = fileURLToPath(new URL('../../bin/knsim.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'knsim-interrupt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A scenario that would simulate two hours of load: minutes of wall time. */
const LONG = `name: long
manifests:
  - inline: |
      apiVersion: serving.knative.dev/v1
      kind: Service
      metadata: {name: app}
      spec:
        template:
          spec:
            containers: [{image: app}]
steps:
  - load: {name: l, url: "http://app.default.example.com/", rps: 500, duration: 2h}
`;

/** Starts `knsim ARGS`, sends SIGINT once it has simulated for a while, and collects what it did. */
function interrupted(args: string[]): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string; afterSignalMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    let sentAt = 0;
    const timer = setTimeout(() => {
      sentAt = performance.now();
      child.kill('SIGINT');
    }, 4_000);
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(guard);
      resolve({ code, signal, stdout, stderr, afterSignalMs: sentAt === 0 ? -1 : performance.now() - sentAt });
    });
  });
}

describe('Ctrl-C (issue 15)', () => {
  writeFileSync(join(dir, 'long.yaml'), LONG);

  it('knsim run: stops promptly, writes summary.json with "complete": false, says so on stderr, exits 130', async () => {
    const r = await interrupted(['run', 'long.yaml', '--out', 'out']);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(130);
    expect(r.afterSignalMs).toBeGreaterThan(0);
    expect(r.afterSignalMs).toBeLessThan(10_000);
    expect(r.stderr).toMatch(/^knsim: interrupted \(Ctrl-C\) at [0-9.]+ s simulated: wrote a partial .*summary\.json \("complete": false\)\n$/);
    const summary = JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8'));
    expect(summary.complete).toBe(false);
    expect(summary.simulatedMs).toBeGreaterThan(0);
    expect(summary.simulatedMs).toBeLessThan(7_200_000);
    expect(summary.loads.l.completed).toBeGreaterThan(0);
  }, 90_000);

  it('knsim run --json: the partial summary is the one JSON document on stdout', async () => {
    const r = await interrupted(['run', 'long.yaml', '--json']);
    expect(r.code).toBe(130);
    expect(JSON.parse(r.stdout).complete).toBe(false);
    expect(r.stderr).toMatch(/interrupted \(Ctrl-C\).*the summary above is partial/);
  }, 90_000);
});

describe('a run taken in slices gives the same results as one run (issue 15)', () => {
  const cases: Array<[string, () => ReturnType<typeof loadScenarioFile>]> = [
    ['scale-from-zero', () => loadScenarioFile(findBuiltin('scale-from-zero')!.file)],
    ['gray-release', () => loadScenarioFile(findBuiltin('gray-release')!.file)],
    [
      'faults',
      () => {
        const f = join(dir, 'faults.yaml');
        writeFileSync(f, LONG.replace(/steps:[^]*$/, 'steps:\n  - load: {name: l, url: "http://app.default.example.com/", rps: 50, duration: 30s, background: true}\n  - wait: 3s\n  - fault: {restartActivator: {}}\n  - fault: {slowControlPlane: {istioPush: 2s, endpoints: 1s, duration: 10s}}\n  - wait: 60s\n'));
        return loadScenarioFile(f);
      },
    ],
  ];
  for (const [name, load] of cases) {
    it(`${name}: sliced with an event-loop turn after every slice, summary.json is byte-identical`, async () => {
      const whole = stableStringify(makeSummary(runScenario(load())));
      const run = startScenario(load());
      expect(await driveSlices(run.slices, () => false, 0)).toBe(true);
      const r = run.result();
      expect(r.complete).toBeUndefined();
      expect(stableStringify(makeSummary(r))).toBe(whole);
    }, 120_000);
  }

  it('stopped between slices, the result is marked incomplete and has what ran until then', async () => {
    const run = startScenario(loadScenarioFile(findBuiltin('scale-from-zero')!.file));
    let turns = 0;
    expect(await driveSlices(run.slices, () => ++turns > 3, 0)).toBe(false);
    const r = run.result();
    expect(r.complete).toBe(false);
    expect(makeSummary(r).complete).toBe(false);
  });
});
