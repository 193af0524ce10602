// A worker thread of the sweep's pool (piscina loads this file): runs the tasks it is given.
// The scenario and the axes come once, as the pool's workerData; a task adds them when it
// carries its own (the queue's worker, whose jobs may come from several sweeps).
import { workerData } from 'node:worker_threads';
import { executeRun, type RunOutcome, type RunTask } from './task.js';

const shared = (workerData ?? {}) as Partial<Pick<RunTask, 'bundle' | 'axes'>>;

export default function run(task: Pick<RunTask, 'parameters' | 'seed'> & Partial<RunTask>): RunOutcome {
  return executeRun({ bundle: task.bundle ?? shared.bundle!, axes: task.axes ?? shared.axes!, parameters: task.parameters, seed: task.seed });
}
