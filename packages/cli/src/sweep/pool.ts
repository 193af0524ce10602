import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { Axis, Parameters, ScenarioBundle } from '@knsim/scenarios';
import { tuneJitForSweeps } from './jit.js';
import type { RunOutcome, RunTask } from './task.js';

/**
 * The thread's script: ./thread.js beside this module (dist/sweep/), or the bundle's
 * (dist/bundle/sweep-thread.js, scripts/bundle.mjs) when this code runs from the bundle.
 */
function threadScript(): string {
  const candidates = [new URL('./thread.js', import.meta.url), new URL('./sweep-thread.js', import.meta.url)];
  const found = candidates.find((u) => u.protocol === 'file:' && existsSync(fileURLToPath(u)));
  return (found ?? candidates[0]!).href;
}

/** One worker per core, as many as there are. */
export const defaultWorkers = (): number => availableParallelism();

/** The sweep's thread pool: piscina, one scenario (sent once, as workerData) and any number of runs. */
export class RunPool {
  private readonly pool: Piscina;

  /** `shared`: the scenario and axes every task of this pool uses; without it each task brings its own. */
  constructor(threads: number, shared?: { bundle: ScenarioBundle; axes: Axis[] }) {
    tuneJitForSweeps();
    this.pool = new Piscina({
      filename: threadScript(),
      minThreads: threads,
      maxThreads: threads,
      // Threads stay up for the whole sweep: starting one costs a module load.
      idleTimeout: 60_000,
      concurrentTasksPerWorker: 2,
      ...(shared ? { workerData: shared } : {}),
    });
  }

  get threads(): number {
    return this.pool.maxThreads;
  }

  run(task: { parameters: Parameters; seed: number } | RunTask): Promise<RunOutcome> {
    return this.pool.run(task) as Promise<RunOutcome>;
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}

/**
 * Runs every task on `threads` threads; `onResult` is called as each finishes, in whatever order.
 * A run whose thread threw (a bug of ours, never a scenario's mistake) becomes a failed run.
 */
export async function runLocally(
  tasks: ReadonlyArray<{ parameters: Parameters; seed: number }>,
  shared: { bundle: ScenarioBundle; axes: Axis[] },
  threads: number,
  onResult: (index: number, outcome: RunOutcome) => void,
): Promise<void> {
  if (tasks.length === 0) return;
  const pool = new RunPool(Math.min(threads, tasks.length), shared);
  try {
    await Promise.all(
      tasks.map((t, i) =>
        pool.run(t).then(
          (o) => onResult(i, o),
          (e: unknown) => onResult(i, { error: `knsim failed: ${(e as Error).message ?? String(e)}`, ms: 0 }),
        ),
      ),
    );
  } finally {
    await pool.close();
  }
}
