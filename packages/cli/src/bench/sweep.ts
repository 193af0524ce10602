import { loadavg } from 'node:os';
import { bundleOf, findBuiltin, loadScenarioFile, type ScenarioBundle } from '@knsim/scenarios';
import { UserError } from '../errors.js';
import { jitFlags, tuneJitForSweeps } from '../sweep/jit.js';
import { defaultWorkers, RunPool } from '../sweep/pool.js';
import { executeRun, type RunOutcome } from '../sweep/task.js';
import { machineCeiling, type CeilingReport } from './ceiling.js';
import { threadCpu, threadTimes, type ThreadCpu } from './thread-cpu.js';

export interface SweepBenchParams {
  /** Runs of the scenario (seeds 1..runs). */
  runs: number;
  /** Threads of the parallel pass (default: one per core). */
  workers: number;
  /** The built-in scenario the runs run. */
  scenario: string;
  /** Runs each thread of a pool does before the clock starts (default 2). */
  warmup?: number;
}

export interface SweepBenchReport {
  scenario: string;
  runs: number;
  workers: number;
  /** The parallel pass: `runs` runs on `workers` threads, warm. */
  wallSeconds: number;
  runsPerSecond: number;
  /** The same runs on one thread of a pool, in the same invocation. */
  oneWorkerWallSeconds: number;
  /** oneWorkerWallSeconds / wallSeconds. */
  speedup: number;
  /** Mean wall ms of a run measured inside its thread (the run alone), on the one-thread pool. */
  runMsMean: number;
  /** The one-thread pool's wall ms per run: the run plus the pool's dispatch and the messages. */
  pooledMsPerRun: number;
  /** pooledMsPerRun − runMsMean, and as a percent of runMsMean. */
  overheadMsPerRun: number;
  overheadPercent: number;
  /** The same runs in the main thread, no pool at all, for comparison. */
  directMsPerRun: number;
  /**
   * CPU ms per run (every thread of the process) in the main thread and through the one-thread
   * pool, and the pool's share: CPU time does not count the waits for a core on a busy machine,
   * so this is the overhead to trust when the load average is above the cores.
   */
  directCpuMsPerRun: number;
  pooledCpuMsPerRun: number;
  overheadCpuPercent: number;
  /** Starting the parallel pool's threads and warming them (module loads, JIT), once per sweep, not counted above. */
  poolStartSeconds: number;
  /** Runs each pool thread did before the clock started. */
  warmupRunsPerThread: number;
  /** The V8 flags knsim set for the runs (src/sweep/jit.ts): every pass, the main thread's included, runs with them. */
  jitFlags: string[];
  /**
   * Where each timed pass's CPU time went, thread by thread (Linux only: absent elsewhere): the
   * one-thread pass and the parallel pass. CPU time does not count the waits for a core, so
   * these hold on a busy machine where the wall times do not.
   */
  threadCpu?: { oneWorker: ThreadCpu; parallel: ThreadCpu };
  /**
   * The one-thread pass's critical path over the parallel pass's (ThreadCpu.criticalPathMs):
   * the speedup the same CPU work would show on idle cores.
   */
  cpuSpeedup?: number;
  /**
   * The same number of threads running a fixed simulation-shaped JavaScript job without knsim
   * (bench/ceiling.ts): the speedup this machine's cores allow such work, measured in the same
   * invocation. `speedup` cannot exceed it by much; compare the two, not `speedup` with `workers`.
   */
  machineCeiling: CeilingReport;
  /** os.loadavg() when the benchmark started and when it ended: on a shared machine the speedup is only as good as the idle cores. */
  loadAverageBefore: number[];
  loadAverage: number[];
  cores: number;
}

const seconds = () => Number(process.hrtime.bigint()) / 1e9;
/** CPU seconds of the whole process, every thread included (user + system). */
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

const rounded = (xs: number[]) => xs.map((x) => Math.round(x * 100) / 100);

async function timePool(bundle: ScenarioBundle, runs: number, threads: number, warmup: number, cores: number): Promise<{ wall: number; cpu: number; start: number; outcomes: RunOutcome[]; threadCpu?: ThreadCpu }> {
  const t0 = seconds();
  const existing = threadTimes();
  const pool = new RunPool(threads, { bundle, axes: [] });
  try {
    // Warm every thread before the clock starts: a sweep pays this once.
    await Promise.all(Array.from({ length: threads * warmup }, (_, i) => pool.run({ parameters: {}, seed: 1_000_000 + i })));
    const start = seconds() - t0;
    const before = threadTimes();
    const t1 = seconds();
    const c1 = cpuSeconds();
    const outcomes = await Promise.all(Array.from({ length: runs }, (_, i) => pool.run({ parameters: {}, seed: i + 1 })));
    const wall = seconds() - t1;
    const cpu = cpuSeconds() - c1;
    const after = threadTimes();
    if (!existing || !before || !after) return { wall, cpu, start, outcomes };
    // The pool's threads are those that started with it.
    const poolTids = new Set([...before.keys()].filter((tid) => !existing.has(tid)));
    return { wall, cpu, start, outcomes, threadCpu: threadCpu(before, after, String(process.pid), poolTids, cores) };
  } finally {
    await pool.close();
  }
}

/** `knsim bench sweep`: the same runs in this thread, on a one-thread pool and on `workers` threads. */
export async function benchSweep(p: SweepBenchParams): Promise<SweepBenchReport> {
  if (!(Number.isInteger(p.runs) && p.runs >= 1)) throw new UserError(`--runs must be a whole number >= 1, got ${p.runs}`);
  if (!(Number.isInteger(p.workers) && p.workers >= 1)) throw new UserError(`--workers must be a whole number >= 1, got ${p.workers}`);
  const warmup = p.warmup ?? 2;
  if (!(Number.isInteger(warmup) && warmup >= 1)) throw new UserError(`--warmup must be a whole number >= 1, got ${warmup}`);
  const loadAverageBefore = rounded(loadavg());
  const cores = defaultWorkers();
  const b = findBuiltin(p.scenario);
  if (!b) throw new UserError(`no built-in scenario named ${JSON.stringify(p.scenario)}`);
  const bundle = bundleOf(loadScenarioFile(b.file));
  // The pools tune V8 for their runs; the main thread's pass runs the same way.
  tuneJitForSweeps();
  // Direct: the runs in this thread, after two warm-up runs.
  for (let i = 0; i < 2; i++) executeRun({ bundle, axes: [], parameters: {}, seed: 999_990 + i });
  const d0 = seconds();
  const dc0 = cpuSeconds();
  for (let i = 0; i < p.runs; i++) executeRun({ bundle, axes: [], parameters: {}, seed: i + 1 });
  const direct = seconds() - d0;
  const directCpu = cpuSeconds() - dc0;
  const one = await timePool(bundle, p.runs, 1, warmup, cores);
  const many = await timePool(bundle, p.runs, p.workers, warmup, cores);
  const ceiling = await machineCeiling(p.workers);
  const failed = [...one.outcomes, ...many.outcomes].find((o) => o.error !== undefined);
  if (failed) throw new Error(`a benchmark run failed: ${failed.error}`);
  const runMsMean = one.outcomes.reduce((a, o) => a + o.ms, 0) / p.runs;
  const pooledMsPerRun = (one.wall * 1000) / p.runs;
  return {
    scenario: p.scenario,
    runs: p.runs,
    workers: p.workers,
    wallSeconds: many.wall,
    runsPerSecond: p.runs / many.wall,
    oneWorkerWallSeconds: one.wall,
    speedup: one.wall / many.wall,
    runMsMean,
    pooledMsPerRun,
    overheadMsPerRun: pooledMsPerRun - runMsMean,
    overheadPercent: ((pooledMsPerRun - runMsMean) / runMsMean) * 100,
    directMsPerRun: (direct * 1000) / p.runs,
    directCpuMsPerRun: (directCpu * 1000) / p.runs,
    pooledCpuMsPerRun: (one.cpu * 1000) / p.runs,
    overheadCpuPercent: ((one.cpu - directCpu) / directCpu) * 100,
    poolStartSeconds: many.start,
    warmupRunsPerThread: warmup,
    jitFlags: [...jitFlags],
    ...(one.threadCpu && many.threadCpu ? { threadCpu: { oneWorker: one.threadCpu, parallel: many.threadCpu }, cpuSpeedup: one.threadCpu.criticalPathMs / many.threadCpu.criticalPathMs } : {}),
    machineCeiling: ceiling,
    loadAverageBefore,
    loadAverage: rounded(loadavg()),
    cores,
  };
}

const cpuLine = (c: ThreadCpu) =>
  `main ${c.mainMs.toFixed(0)}, pool ${c.poolMs.map((x) => x.toFixed(0)).join(' + ')}, V8 background ${c.backgroundMs.toFixed(0)} ms; waited for a core ${c.waitMs.toFixed(0)} ms; critical path ${c.criticalPathMs.toFixed(0)} ms`;

export function formatSweepBench(r: SweepBenchReport): string {
  return [
    `sweep  ${r.runs} runs of ${r.scenario} (seeds 1..${r.runs}) on a worker-thread pool, ${r.warmupRunsPerThread} warm-up runs per thread${r.jitFlags.length > 0 ? `, V8 ${r.jitFlags.join(' ')}` : ''}`,
    `workers               ${r.workers} (of ${r.cores} cores; load average ${r.loadAverageBefore.join(' ')} before, ${r.loadAverage.join(' ')} after)`,
    `wall seconds          ${r.wallSeconds.toFixed(3)}`,
    `runs per second       ${r.runsPerSecond.toFixed(1)}`,
    `one worker            ${r.oneWorkerWallSeconds.toFixed(3)} s: speedup ${r.speedup.toFixed(2)}×`,
    `machine ceiling       ${r.machineCeiling.speedup.toFixed(2)}× for ${r.workers} threads of simulation-shaped JavaScript without knsim (${r.machineCeiling.oneThreadMs.toFixed(0)} ms alone, ${r.machineCeiling.parallelMs.toFixed(0)} ms side by side)`,
    `per run               ${r.runMsMean.toFixed(2)} ms in its thread, ${r.pooledMsPerRun.toFixed(2)} ms through a one-thread pool, ${r.directMsPerRun.toFixed(2)} ms in the main thread`,
    `pool overhead         ${r.overheadMsPerRun.toFixed(3)} ms of wall time per run (${r.overheadPercent.toFixed(2)}% of a run); starting and warming the threads ${r.poolStartSeconds.toFixed(3)} s, once`,
    `CPU per run           ${r.directCpuMsPerRun.toFixed(2)} ms in the main thread, ${r.pooledCpuMsPerRun.toFixed(2)} ms through the pool: overhead ${r.overheadCpuPercent.toFixed(2)}%`,
    ...(r.threadCpu && r.cpuSpeedup !== undefined
      ? [
          `CPU by thread, 1      ${cpuLine(r.threadCpu.oneWorker)}`,
          `CPU by thread, ${String(r.workers).padEnd(6)} ${cpuLine(r.threadCpu.parallel)}`,
          `CPU speedup           ${r.cpuSpeedup.toFixed(2)}× (critical paths: what the same CPU work would take on idle cores)`,
        ]
      : []),
  ].join('\n');
}
