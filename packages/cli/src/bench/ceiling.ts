import { Worker } from 'node:worker_threads';

/**
 * What this machine's cores give work shaped like a simulation's, measured without knsim: the
 * same fixed JavaScript job — short-lived small objects, a Map and array churn, as a run's
 * requests and events make — on one worker thread, then on `threads` threads at once (each the
 * same job). The wall-time ratio is the speedup the hardware allows such work: on virtual CPUs
 * that share a physical core's caches and memory bandwidth it is well under `threads` even for
 * code with no shared state at all, and knsim's pool can only come close to it, never above.
 */
const JOB = `
const { parentPort, workerData } = require('node:worker_threads');
function churn(n) {
  let live = [];
  const index = new Map();
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const o = { id: i, at: i * 0.5, name: 'r' + (i & 1023), hops: [i, i + 1] };
    live.push(o);
    index.set(o.name, o);
    sum += o.hops[1] - o.hops[0];
    if (live.length > 2000) live = live.slice(1000);
  }
  return sum + index.size;
}
const t0 = process.hrtime.bigint();
let s = 0;
for (let r = 0; r < workerData.rounds; r++) s += churn(200000);
parentPort.postMessage({ ms: Number(process.hrtime.bigint() - t0) / 1e6, s });
`;

function runJobs(threads: number, rounds: number): Promise<number> {
  const t0 = process.hrtime.bigint();
  return Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<void>((resolve, reject) => {
          const w = new Worker(JOB, { eval: true, workerData: { rounds } });
          w.once('message', () => {
            void w.terminate();
            resolve();
          });
          w.once('error', reject);
        }),
    ),
  ).then(() => Number(process.hrtime.bigint() - t0) / 1e6);
}

export interface CeilingReport {
  /** Wall ms of the job on one thread, and of `threads` copies on `threads` threads at once (the best of `repeats`). */
  oneThreadMs: number;
  parallelMs: number;
  /** threads × oneThreadMs / parallelMs: the speedup this machine allows simulation-shaped work. */
  speedup: number;
}

/** The machine's ceiling for `threads` threads, each pass the best of `repeats` (alternating). */
export async function machineCeiling(threads: number, repeats = 2, rounds = 4): Promise<CeilingReport> {
  let one = Infinity;
  let many = Infinity;
  for (let i = 0; i < repeats; i++) {
    one = Math.min(one, await runJobs(1, rounds));
    many = Math.min(many, await runJobs(threads, rounds));
  }
  return { oneThreadMs: one, parallelMs: many, speedup: (threads * one) / many };
}
