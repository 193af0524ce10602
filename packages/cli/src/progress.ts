/**
 * Progress of a long run on stderr, when stderr is a terminal: percent of the simulated time
 * done, requests answered and an estimate of the wall time left. One line, rewritten in place;
 * `done()` clears it. Wall-clock time is read here, in the CLI, never in the simulation.
 */
export interface Progress {
  update(doneFraction: number, detail: string): void;
  done(): void;
}

/** Whether to show progress: stderr is a TTY and neither --quiet nor --json was given. */
export function progressWanted(o: { quiet?: boolean; json?: boolean }, stream: { isTTY?: boolean } = process.stderr): boolean {
  return stream.isTTY === true && !o.quiet && !o.json;
}

export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${Math.round(seconds - m * 60)} s`;
}

/** A progress line on `write` (stderr); `now` gives wall-clock ms (injectable for tests). */
export function makeProgress(write: (s: string) => void, now: () => number = () => performance.now()): Progress {
  const start = now();
  let shown = false;
  return {
    update(fraction, detail) {
      const f = Math.min(1, Math.max(0, fraction));
      const elapsed = (now() - start) / 1000;
      const eta = f > 0 ? formatEta((elapsed * (1 - f)) / f) : '?';
      write(`\r\x1b[K  ${(100 * f).toFixed(0).padStart(3)}%  ${detail}  ETA ${eta}`);
      shown = true;
    },
    done() {
      if (shown) write('\r\x1b[K');
      shown = false;
    },
  };
}
