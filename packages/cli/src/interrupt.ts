/**
 * Ctrl-C for the commands that simulate for long (`knsim run`, `curl -n`, `bench`): the
 * simulation runs in slices (sim-core's generators and `Environment.runSlice`), and between
 * slices the CLI gives Node's event loop a turn about every YIELD_EVERY_MS of wall time, so the
 * SIGINT handler runs and the command stops at the next slice. The slices run the same events as
 * one uninterrupted run: results do not depend on how often it yields. A second Ctrl-C exits at
 * once. Real time is read here, in the CLI, never in the simulation.
 */

/** Exit code for a run stopped by SIGINT (128 + 2, as shells report it). */
export const EXIT_INTERRUPTED = 130;

/** How often the event loop gets a turn while a simulation runs (wall ms). */
const YIELD_EVERY_MS = 25;

export interface InterruptFlag {
  /** True once SIGINT arrived. */
  readonly requested: boolean;
  /** Removes the handler (Node's default behaviour again). */
  dispose(): void;
}

/** Listens for SIGINT until `dispose`: the first sets `requested`, a second exits at once with 130. */
export function listenForInterrupt(): InterruptFlag {
  let requested = false;
  const handler = () => {
    if (requested) process.exit(EXIT_INTERRUPTED);
    requested = true;
  };
  process.on('SIGINT', handler);
  return {
    get requested() {
      return requested;
    },
    dispose: () => void process.off('SIGINT', handler),
  };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs `slices` to its end, giving the event loop a turn about every `everyMs` of wall time (0:
 * after every slice) and stopping at the first turn after `stop()` becomes true. Resolves to true
 * when it ran to the end, false when stopped.
 */
export async function driveSlices(slices: Iterator<unknown>, stop: () => boolean, everyMs = YIELD_EVERY_MS): Promise<boolean> {
  let last = performance.now();
  for (;;) {
    if (slices.next().done) return true;
    if (everyMs === 0 || performance.now() - last >= everyMs) {
      await turn();
      if (stop()) return false;
      last = performance.now();
    }
  }
}
