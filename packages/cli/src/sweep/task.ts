import { NotReadyError, UserInputError } from '@knsim/sim-core';
import { loadBundle, runScenario, ScenarioError, withParameters, type Axis, type Parameters, type ScenarioBundle } from '@knsim/scenarios';
import { CheckSubjectError, evaluateChecks, makeSummary } from '@knsim/report';
import { summaryFigures, type Figures } from './figures.js';

/** One run as a worker gets it: the scenario, the matrix's axes, a combination and a seed. */
export interface RunTask {
  bundle: ScenarioBundle;
  axes: Axis[];
  parameters: Parameters;
  seed: number;
}

/** What a run gives back: its figures, or why it could not finish; `ms` is its own wall time (for the benchmark). */
export interface RunOutcome {
  figures?: Figures;
  error?: string;
  ms: number;
}

/** Errors a run's own inputs cause: the same run fails the same way every time, so retrying is pointless. */
export function isRunError(e: unknown): e is Error {
  return e instanceof ScenarioError || e instanceof UserInputError || e instanceof NotReadyError || e instanceof CheckSubjectError;
}

/** Runs one combination with one seed, as `knsim run` would, and reads its figures from the summary. */
export function executeRun(task: RunTask, now: () => number = () => performance.now()): RunOutcome {
  const t0 = now();
  try {
    const loaded = loadBundle(withParameters(task.bundle, task.axes, task.parameters));
    const summary = makeSummary(runScenario(loaded, { seed: task.seed }));
    if (loaded.checks.length > 0) summary.checks = evaluateChecks(summary, loaded.checks);
    return { figures: summaryFigures(summary), ms: now() - t0 };
  } catch (e) {
    if (isRunError(e)) return { error: e.message, ms: now() - t0 };
    throw e;
  }
}
