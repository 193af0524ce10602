import { setFlagsFromString } from 'node:v8';

/**
 * V8's interrupt budget for the sweep's threads: 8× Node 20's default (V8 11.3's 66 KiB of
 * bytecode run before a function is considered for TurboFan).
 *
 * A knsim run walks a large code base (YAML, the API objects, the controllers, Envoy's config,
 * the data plane) and most of its functions run a few times per run. With V8's default budget
 * TurboFan keeps optimising them, run after run, for a thousand runs and more: on V8's own
 * background threads, as much CPU again as the run itself over a thread's first 200 runs of
 * `life-of-a-request` (docs/sweeps.md, "What limits the speedup"). With one pool thread that
 * compiling takes the otherwise idle core; with a thread per core it takes the cores the runs
 * need. With 8× the budget only the functions that are really hot are optimised: measured on
 * 200 cold runs of life-of-a-request in one thread, the same 6.2 ms of the thread's CPU per run
 * and 1.5 ms instead of 5.5 ms of background CPU (total 7.7 ms instead of 11.7 ms per run).
 * The budget changes when code is optimised, never what it computes: the runs' figures are the
 * same bytes.
 */
export const SWEEP_INTERRUPT_BUDGET = 540_672;

/** The V8 flags knsim set for this process's runs (empty until tuneJitForSweeps, or when the user chose their own). */
export const jitFlags: string[] = [];
let tuned = false;

/**
 * Raises V8's interrupt budget for the runs of this process, once, before the sweep's threads
 * start (V8's flags are the whole process's; a worker thread reads them when it starts). A
 * budget given on node's command line (`node --interrupt-budget=N`) is left as it is.
 */
export function tuneJitForSweeps(execArgv: readonly string[] = process.execArgv): void {
  if (tuned) return;
  tuned = true;
  if (execArgv.some((a) => /^--interrupt[-_]budget(=|$)/.test(a))) return;
  const flag = `--interrupt-budget=${SWEEP_INTERRUPT_BUDGET}`;
  setFlagsFromString(flag);
  jitFlags.push(flag);
}
