import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * A real Redis for the queue tests: the one `.ci/run` started (KNSIM_TEST_REDIS=redis://…), or a
 * `redis-server` of our own on a free loopback port. Without either the tests are skipped with a
 * loud message, except in CI, where a missing Redis is a failure.
 */
export interface TestRedis {
  /** redis://127.0.0.1:PORT (no database: each test file picks its own). */
  url: string;
  host: string;
  port: number;
  stop(): Promise<void>;
}

export const redisServerAvailable = (): boolean => spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).status === 0;

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

async function waitForPort(port: number, proc: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (proc.exitCode !== null) throw new Error(`redis-server exited with ${proc.exitCode}`);
    const r = spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' });
    if (r.stdout?.trim() === 'PONG' || r.stdout?.includes('NOAUTH')) return;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('redis-server did not answer');
}

/** Starts a private redis-server (optionally with a password) on a free loopback port. */
export async function startRedis(opts: { password?: string } = {}): Promise<TestRedis> {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...(opts.password ? ['--requirepass', opts.password] : [])];
  const proc = spawn('redis-server', args, { stdio: 'ignore' });
  await waitForPort(port, proc);
  return {
    url: `redis://127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    stop: () =>
      new Promise<void>((res) => {
        if (proc.exitCode !== null) return res();
        proc.once('exit', () => res());
        proc.kill('SIGTERM');
      }),
  };
}

/** The shared Redis of CI, or a private one; undefined (and a loud message) when there is none to be had. */
export async function testRedis(): Promise<TestRedis | undefined> {
  const fromCi = process.env.KNSIM_TEST_REDIS;
  if (fromCi) {
    const u = new URL(fromCi);
    return { url: `redis://${u.host}`, host: u.hostname, port: Number(u.port || 6379), stop: async () => {} };
  }
  if (redisServerAvailable()) return startRedis();
  const msg = '\n*** knsim queue tests SKIPPED: no redis-server on this machine (apt-get install -y redis-server), and KNSIM_TEST_REDIS is not set ***\n';
  if (process.env.CI) throw new Error(`${msg} In CI Redis must be there: .ci/run starts it.`);
  process.stderr.write(msg);
  return undefined;
}

export const bin = fileURLToPath(new URL('../../bin/knsim.js', import.meta.url));
