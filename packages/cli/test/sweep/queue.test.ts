import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knsim } from '../helpers.js';
import { bin, redisServerAvailable, startRedis, testRedis, type TestRedis } from './redis.js';
import { folder, ISSUE_SWEEP } from './fixtures.js';

// Issue 18: sweeps on a Redis-backed BullMQ queue, against a real redis-server.
interface Proc {
  child: ChildProcess;
  out: () => string;
  done: Promise<number | null>;
}

function start(args: string[], cwd?: string): Proc {
  const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const done = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  return { child, out: () => out, done };
}

async function stop(w: Proc): Promise<void> {
  if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
  await w.done;
}

const until = async (cond: () => boolean, ms: number) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

const haveRedis = !!process.env.KNSIM_TEST_REDIS || redisServerAvailable();
if (!haveRedis && !process.env.CI) process.stderr.write('\n*** knsim queue tests SKIPPED: no redis-server on this machine (apt-get install -y redis-server) and no KNSIM_TEST_REDIS ***\n\n');

describe.runIf(haveRedis || !!process.env.CI)('knsim sweep --queue and knsim worker (BullMQ on Redis)', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    const r = await testRedis();
    if (!r) throw new Error('no Redis');
    redis = r;
  }, 30_000);
  afterAll(async () => redis?.stop());

  it('two worker processes give the same sweep.json, sweep.csv and report.html as local threads', async () => {
    const dir = folder({ 'sweep.yaml': ISSUE_SWEEP });
    const url = `${redis.url}/1`;
    const workers = [start(['worker', '--queue', url, '--concurrency', '1']), start(['worker', '--queue', url, '--concurrency', '2'])];
    try {
      const coord = start(['sweep', 'sweep.yaml', '--out', 'queued', '--queue', url], dir);
      expect(await coord.done, coord.out()).toBe(0);
      expect(knsim(['sweep', 'sweep.yaml', '--out', 'local', '--quiet'], { cwd: dir }).code).toBe(0);
      expect(readFileSync(join(dir, 'queued', 'sweep.json'), 'utf8')).toBe(readFileSync(join(dir, 'local', 'sweep.json'), 'utf8'));
      expect(readFileSync(join(dir, 'queued', 'report.html'), 'utf8')).toBe(readFileSync(join(dir, 'local', 'report.html'), 'utf8'));
      expect(readFileSync(join(dir, 'queued', 'sweep.csv'), 'utf8')).toBe(readFileSync(join(dir, 'local', 'sweep.csv'), 'utf8'));
      // The workers served the sweep's own queue (a short sweep may be done before the second
      // worker's next look for sweeps, so at least one, and none served another queue).
      const served = workers.map((w) => /serving (knsim-\S+)/.exec(w.out())?.[1]).filter((q) => q !== undefined);
      expect(served.length).toBeGreaterThanOrEqual(1);
      for (const q of served) expect(q).toMatch(/^knsim-window-vs-latency-[0-9a-f]{16}$/);
    } finally {
      await Promise.all(workers.map(stop));
    }
  });

  it('a worker killed mid-sweep: its run is recovered (stalled job) and every run is in the results exactly once', async () => {
    const dir = folder({ 'sweep.yaml': 'name: killed\nscenario: scale-from-zero\nseeds: 1..10\n' });
    const url = `${redis.url}/2`;
    const a = start(['worker', '--queue', url, '--concurrency', '1']);
    const b = start(['worker', '--queue', url, '--concurrency', '1']);
    try {
      const coord = start(['sweep', 'sweep.yaml', '--out', 'queued', '--queue', url], dir);
      const runs = join(dir, 'queued', 'runs');
      await until(() => existsSync(runs) && readdirSync(runs).length >= 2, 60_000);
      expect(coord.child.exitCode).toBe(null);
      a.child.kill('SIGKILL');
      expect(await coord.done, coord.out()).toBe(0);
      const doc = JSON.parse(readFileSync(join(dir, 'queued', 'sweep.json'), 'utf8'));
      expect(doc.runs.map((r: { seed: number }) => r.seed)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(doc.runs.every((r: { error?: string }) => r.error === undefined)).toBe(true);
      expect(knsim(['sweep', 'sweep.yaml', '--out', 'local', '--quiet'], { cwd: dir }).code).toBe(0);
      expect(readFileSync(join(dir, 'queued', 'sweep.json'), 'utf8')).toBe(readFileSync(join(dir, 'local', 'sweep.json'), 'utf8'));
    } finally {
      await Promise.all([a, b].map(stop));
    }
  }, 120_000);

  it('a run that fails is reported as failed with its error, never dropped', async () => {
    const dir = folder({ 'sweep.yaml': 'name: slow\nscenario: life-of-a-request\nseeds: [1]\nmatrix:\n  annotations: { hello: { knsim.dev/startup-time: ["1s", "20m"] } }\n' });
    const url = `${redis.url}/3`;
    const w = start(['worker', '--queue', url, '--concurrency', '1']);
    try {
      const coord = start(['sweep', 'sweep.yaml', '--out', 'out', '--queue', url], dir);
      expect(await coord.done).toBe(1);
      expect(coord.out()).toContain('knsim: 1 of 2 run(s) failed; the first: Service default/hello is not Ready after 600s');
      const doc = JSON.parse(readFileSync(join(dir, 'out', 'sweep.json'), 'utf8'));
      expect(doc.runs[1].error).toContain('is not Ready after 600s');
      expect(doc.runs[0].coldStarts).toBe(1);
    } finally {
      await stop(w);
    }
  });

  it('a worker stops on SIGTERM even when Redis has gone away (never a hang)', async () => {
    if (!redisServerAvailable()) return;
    const gone = await startRedis();
    const w = start(['worker', '--queue', `${gone.url}/0`, '--concurrency', '1']);
    await until(() => w.out().includes('waiting for sweeps'), 30_000);
    await gone.stop();
    await new Promise((r) => setTimeout(r, 1_500));
    w.child.kill('SIGTERM');
    const t0 = Date.now();
    const code = await Promise.race([w.done, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 30_000))]);
    if (code === 'hung') w.child.kill('SIGKILL');
    expect(code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(20_000);
  });

  it('a password in the URL works and is never printed; a wrong one or no Redis at all is exit 2, at once', async () => {
    if (!redisServerAvailable()) return;
    const secret = 'pw-Zq81xy';
    const locked = await startRedis({ password: secret });
    const url = `redis://:${secret}@127.0.0.1:${locked.port}/0`;
    const dir = folder({ 'sweep.yaml': 'name: pw\nscenario: life-of-a-request\nseeds: 1..2\n' });
    const w = start(['worker', '--queue', url, '--concurrency', '1']);
    try {
      const coord = start(['sweep', 'sweep.yaml', '--out', 'out', '--queue', url], dir);
      expect(await coord.done, coord.out()).toBe(0);
      expect(coord.out()).toContain(`redis://***@127.0.0.1:${locked.port}`);
      expect(coord.out()).not.toContain(secret);
      expect(w.out()).toContain('waiting for sweeps on redis://***@');
      const wrong = knsim(['sweep', 'sweep.yaml', '--out', 'x', '--queue', `redis://:not-${secret}@127.0.0.1:${locked.port}`], { cwd: dir });
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toMatch(/^knsim: cannot use Redis at redis:\/\/\*\*\*@127\.0\.0\.1:\d+: WRONGPASS/);
      expect(wrong.stderr + wrong.stdout).not.toContain(secret);
      const none = knsim(['worker', '--queue', `redis://:${secret}@127.0.0.1:1`]);
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('knsim: cannot use Redis at redis://***@127.0.0.1:1');
      expect(none.stderr).not.toContain(secret);
    } finally {
      await stop(w);
      expect(w.out()).not.toContain(secret);
      await locked.stop();
    }
  });
});
