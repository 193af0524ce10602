import { createHash } from 'node:crypto';
import { Queue, QueueEvents, UnrecoverableError, Worker, type Job, type RedisOptions as BullRedisOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { stableStringify } from '@knsim/report';
import type { Axis, Parameters, ScenarioBundle } from '@knsim/scenarios';
import { UserError } from '../errors.js';
import type { Figures } from './figures.js';
import { RunPool } from './pool.js';

/**
 * Sweeps on a Redis-backed BullMQ queue. The coordinator (`knsim sweep --queue`) stores the
 * sweep's scenario once under `knsim:sweep:<queue>`, adds one job per run to the sweep's own
 * queue (its name derived from the sweep, so two sweeps never mix) and announces the queue in the
 * set `knsim:sweeps`; workers (`knsim worker --queue`) watch that set and serve every queue in it
 * on their own thread pool. BullMQ carries the reliability: a job whose worker died is moved back
 * to wait when its lock expires (stalled-job recovery), a job that threw is retried a bounded
 * number of times, and a job's result is stored with it until the coordinator has merged it.
 */

/** The set of queues workers serve. */
export const SWEEPS_KEY = 'knsim:sweeps';
const sweepKey = (queue: string) => `knsim:sweep:${queue}`;

/** Attempts of a job before it is reported as failed (a run's own error is never retried: it would fail the same way). */
export const JOB_ATTEMPTS = 3;
/** A worker holds a job's lock this long and renews it at half; a dead worker's job is stalled after it. */
export const LOCK_MS = 10_000;
/** How often workers look for stalled jobs, and for new sweeps. */
export const STALLED_CHECK_MS = 5_000;
const DISCOVER_MS = 1_000;
/** How long a stopping worker waits to finish its runs and close its connections. */
const CLOSE_MS = 10_000;

export interface RedisTarget {
  options: RedisOptions;
  /** The URL with its password replaced by `***`: the only form ever printed. */
  shown: string;
  password: string;
}

/** Everything before the last `@` (where a password would be) replaced by `***`. */
const redact = (url: string) => url.replace(/^([a-z][a-z0-9+.-]*:\/\/)?.*@/is, (_m, scheme: string | undefined) => `${scheme ?? ''}***@`);

/** `redis://[[user]:password@]host[:port][/db]` or `rediss://…` (TLS). */
export function parseRedisUrl(url: string): RedisTarget {
  const shown = redact(url);
  const bad = (why: string) => new UserError(`--queue takes redis://[:password@]host[:port][/db] (${why}), got ${shown}`);
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw bad('not a URL');
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw bad(`the scheme must be redis or rediss`);
  if (u.hostname === '') throw bad('no host');
  const dbText = u.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d+$/.test(dbText)) throw bad(`the database must be a number`);
  if (u.search !== '' || u.hash !== '') throw bad('no query or fragment');
  const password = decodeURIComponent(u.password);
  const options: RedisOptions = {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port === '' ? 6379 : Number(u.port),
    db: dbText === '' ? 0 : Number(dbText),
    ...(u.username !== '' ? { username: decodeURIComponent(u.username) } : {}),
    ...(password !== '' ? { password } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
  return { options, shown: `${u.protocol}//${password !== '' || u.username !== '' ? '***@' : ''}${u.host}${u.pathname === '/' ? '' : u.pathname}`, password };
}

/** A message from Redis or the network, with the password scrubbed should it ever appear in one. */
function scrub(t: RedisTarget, msg: string): string {
  return t.password === '' ? msg : msg.split(t.password).join('***');
}

/** Fails fast (exit 2, the URL without its password) when Redis cannot be reached or refuses us. */
export async function checkRedis(t: RedisTarget): Promise<void> {
  const probe = new Redis({ ...t.options, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 5_000, enableOfflineQueue: false });
  // The connection's own error (WRONGPASS, ECONNREFUSED) says more than the command's "Connection is closed".
  let cause: Error | undefined;
  probe.on('error', (e: Error) => (cause ??= e));
  try {
    await probe.connect();
    await probe.ping();
  } catch (e) {
    throw new UserError(`cannot use Redis at ${t.shown}: ${scrub(t, (cause ?? (e as Error)).message)}`);
  } finally {
    probe.disconnect();
  }
}

/** The queue of a sweep: its name and a digest of everything that makes its runs (two sweeps never share one). */
export function queueName(sweepName: string, digest: string, axes: readonly Axis[], seeds: readonly number[], version: string): string {
  const h = createHash('sha256').update(stableStringify({ sweepName, digest, axes, seeds, version })).digest('hex');
  return `knsim-${sweepName}-${h.slice(0, 16)}`;
}

/** What a worker needs besides a job's parameters and seed, stored once per sweep. */
interface SweepPayload {
  version: string;
  bundle: ScenarioBundle;
  axes: Axis[];
}

interface JobData {
  parameters: Parameters;
  seed: number;
}

interface JobResult {
  figures: Figures;
}

type RunJob = Job<JobData, JobResult>;
// BullMQ's generics describe a job's data and result; ours are checked where they are made.
type RunQueue = Queue;

/** BullMQ's connection options: the same fields, and no retry limit (its blocking connections need none). */
const bullConnection = (t: RedisTarget): BullRedisOptions => {
  const { host, port, db, username, password, tls } = t.options;
  return { host, port, db, username, password, tls, maxRetriesPerRequest: null };
};

export interface QueueRunOptions {
  prepared: { sweep: { name: string; axes: Axis[]; seeds: number[] }; bundle: ScenarioBundle; digest: string };
  version: string;
  tasks: ReadonlyArray<{ key: string; parameters: Parameters; seed: number }>;
  onResult: (index: number, outcome: { figures?: Figures; error?: string }) => void;
  log: (message: string) => void;
}

/** The coordinator: puts every run on the sweep's queue and waits until each has completed or failed for good. */
export async function runOnQueue(url: string, o: QueueRunOptions): Promise<void> {
  const t = parseRedisUrl(url);
  await checkRedis(t);
  if (o.tasks.length === 0) return;
  const { sweep, bundle, digest } = o.prepared;
  const name = queueName(sweep.name, digest, sweep.axes, sweep.seeds, o.version);
  const connection = bullConnection(t);
  const queue: RunQueue = new Queue(name, { connection });
  const client = new Redis({ ...t.options, maxRetriesPerRequest: null });
  const events = new QueueEvents(name, { connection });
  const errors = new Set<string>();
  const onError = (e: Error) => {
    const m = scrub(t, e.message);
    if (!errors.has(m)) o.log(`knsim: Redis at ${t.shown}: ${m}`);
    errors.add(m);
  };
  queue.on('error', onError);
  events.on('error', onError);
  client.on('error', onError);
  const index = new Map(o.tasks.map((task, i) => [`r-${task.key}`, i]));
  const seen = new Set<string>();
  let wake: () => void = () => {};
  const finish = (jobId: string, outcome: { figures?: Figures; error?: string }) => {
    const i = index.get(jobId);
    if (i === undefined || seen.has(jobId)) return;
    seen.add(jobId);
    o.onResult(i, outcome);
    if (seen.size === index.size) wake();
  };
  const settle = (job: RunJob | undefined, state: string) => {
    if (!job?.id) return;
    if (state === 'completed' && job.returnvalue?.figures) finish(job.id, { figures: job.returnvalue.figures });
    else if (state === 'failed') finish(job.id, { error: job.failedReason || 'failed' });
  };
  events.on('completed', ({ jobId }) => void getJob(queue, jobId).then((j) => settle(j, 'completed'), onError));
  events.on('failed', ({ jobId }) => void getJob(queue, jobId).then((j) => settle(j, 'failed'), onError));
  try {
    await events.waitUntilReady();
    const payload: SweepPayload = { version: o.version, bundle, axes: sweep.axes };
    await client.set(sweepKey(name), JSON.stringify(payload));
    await queue.addBulk(
      o.tasks.map((task) => ({
        name: 'run',
        data: { parameters: task.parameters, seed: task.seed },
        // The run's key is its job id: adding a run already on the queue (a restarted coordinator) adds nothing.
        opts: { jobId: `r-${task.key}`, attempts: JOB_ATTEMPTS, backoff: { type: 'fixed', delay: 1_000 }, removeOnComplete: false, removeOnFail: false },
      })),
    );
    // Runs that failed for good under an earlier coordinator of this sweep are tried again, as locally.
    for (const j of await queue.getJobs(['failed'], 0, -1)) if (j.id !== undefined && index.has(j.id)) await j.retry();
    await client.sadd(SWEEPS_KEY, name);
    o.log(`knsim: ${o.tasks.length} run(s) on queue ${name} at ${t.shown}; start workers with: knsim worker --queue ${t.shown}`);
    // Events carry the results as they come; a sweep of finished jobs (a coordinator restarted, an
    // event missed while reconnecting) is reconciled from the queue's own sets.
    const reconcile = async () => {
      const counts = await queue.getJobCounts('completed', 'failed');
      if ((counts.completed ?? 0) + (counts.failed ?? 0) <= seen.size) return;
      for (const state of ['completed', 'failed'] as const) {
        const jobs = await queue.getJobs([state], 0, -1);
        for (const j of jobs) settle(j as RunJob, state);
      }
    };
    while (seen.size < index.size) {
      await reconcile();
      if (seen.size >= index.size) break;
      await new Promise<void>((res) => {
        wake = res;
        setTimeout(res, 2_000);
      });
    }
    await client.srem(SWEEPS_KEY, name);
    await client.del(sweepKey(name));
    await queue.obliterate({ force: true });
  } finally {
    await events.close();
    await queue.close();
    client.disconnect();
  }
}

async function getJob(queue: RunQueue, id: string): Promise<RunJob | undefined> {
  return ((await queue.getJob(id)) as RunJob | null) ?? undefined;
}

export interface WorkerOptions {
  concurrency: number;
  version: string;
  log: (message: string) => void;
  /** Resolves when the worker should stop (SIGINT, SIGTERM). */
  stop: Promise<void>;
}

/** `knsim worker`: serves every sweep announced on Redis, `concurrency` runs at a time on as many threads. */
export async function serveQueue(url: string, o: WorkerOptions): Promise<void> {
  const t = parseRedisUrl(url);
  await checkRedis(t);
  const connection = bullConnection(t);
  const redis = new Redis({ ...t.options, maxRetriesPerRequest: null });
  const pool = new RunPool(o.concurrency);
  const workers = new Map<string, Worker<JobData, JobResult>>();
  const payloads = new Map<string, Promise<SweepPayload | undefined>>();
  const errors = new Set<string>();
  const onError = (e: Error) => {
    const m = scrub(t, e.message);
    if (!errors.has(m)) o.log(`knsim worker: Redis at ${t.shown}: ${m}`);
    errors.add(m);
  };
  redis.on('error', onError);
  const payloadOf = (queue: string) => {
    let p = payloads.get(queue);
    if (!p) {
      p = redis.get(sweepKey(queue)).then((s) => (s === null ? undefined : (JSON.parse(s) as SweepPayload)));
      payloads.set(queue, p);
    }
    return p;
  };
  const processor = (queue: string) => async (job: RunJob): Promise<JobResult> => {
    const payload = await payloadOf(queue);
    if (payload === undefined) throw new UnrecoverableError(`the sweep of queue ${queue} is gone from Redis`);
    if (payload.version !== o.version) throw new UnrecoverableError(`this worker is knsim ${o.version}, the sweep was started by knsim ${payload.version}`);
    // A thread that crashed throws here, and BullMQ retries the job; a run's own error fails it for good.
    const out = await pool.run({ bundle: payload.bundle, axes: payload.axes, parameters: job.data.parameters, seed: job.data.seed });
    if (out.error !== undefined || out.figures === undefined) throw new UnrecoverableError(out.error ?? 'the run gave no figures');
    return { figures: out.figures };
  };
  const discover = async () => {
    const queues = new Set(await redis.smembers(SWEEPS_KEY));
    for (const q of queues) {
      if (workers.has(q)) continue;
      const w = new Worker<JobData, JobResult>(q, processor(q), { connection, concurrency: o.concurrency, lockDuration: LOCK_MS, stalledInterval: STALLED_CHECK_MS, maxStalledCount: 2 });
      w.on('error', onError);
      w.on('failed', (job, err) => {
        if (job) o.log(`knsim worker: ${q}: the run ${JSON.stringify(job.data.parameters)} seed ${job.data.seed} failed (attempt ${job.attemptsMade}): ${scrub(t, err.message)}`);
      });
      workers.set(q, w);
      o.log(`knsim worker: serving ${q}`);
    }
    for (const [q, w] of workers) {
      if (queues.has(q)) continue;
      workers.delete(q);
      payloads.delete(q);
      await w.close();
    }
  };
  o.log(`knsim worker: ${o.concurrency} thread(s), waiting for sweeps on ${t.shown}`);
  let stopped = false;
  void o.stop.then(() => (stopped = true));
  try {
    while (!stopped) {
      // With Redis gone, a command waits for it to come back: a stop must not wait with it.
      await Promise.race([discover().catch(onError), o.stop]);
      await Promise.race([o.stop, new Promise((res) => setTimeout(res, DISCOVER_MS))]);
    }
  } finally {
    // Finish the runs held, unless Redis is gone: then stop anyway, and the runs go back to the
    // queue by stalled-job recovery once Redis and another worker are there.
    const all = [...workers.values()];
    let timer: NodeJS.Timeout | undefined;
    const closed = await Promise.race([
      Promise.all(all.map((w) => w.close())).then(() => true),
      new Promise<false>((res) => (timer = setTimeout(() => res(false), CLOSE_MS))),
    ]);
    clearTimeout(timer);
    if (!closed) {
      o.log(`knsim worker: Redis at ${t.shown} did not answer; stopping without it`);
      await Promise.all(all.map((w) => w.disconnect().catch(() => {})));
    }
    await pool.close();
    redis.disconnect();
  }
}
