/** `runs 12/64 done, 3.4 runs/s, ETA 15 s`: the rate counts only the runs done in this invocation. */
export function formatProgress(done: number, total: number, ranHere: number, elapsedS: number): string {
  const rate = elapsedS > 0 ? ranHere / elapsedS : 0;
  const left = total - done;
  const eta = rate > 0 ? `ETA ${formatSeconds(left / rate)}` : 'ETA --';
  return `runs ${done}/${total} done, ${rate.toFixed(1)} runs/s, ${eta}`;
}

function formatSeconds(s: number): string {
  if (s < 90) return `${Math.ceil(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/**
 * Progress on stderr, rewritten in place, only when stderr is a terminal (and not under --quiet
 * or --json): a log file or a CI job gets no carriage returns.
 */
export class Progress {
  private readonly t0 = performance.now();
  private last = 0;
  private ranHere = 0;
  private done: number;

  constructor(
    private readonly total: number,
    already: number,
    private readonly enabled: boolean,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {
    this.done = already;
    this.draw(true);
  }

  /** A run finished here. */
  tick(): void {
    this.done++;
    this.ranHere++;
    this.draw(false);
  }

  end(): void {
    this.draw(true);
    if (this.enabled) this.out.write('\n');
  }

  private draw(force: boolean): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (!force && now - this.last < 200) return;
    this.last = now;
    this.out.write(`\r  ${formatProgress(this.done, this.total, this.ranHere, (now - this.t0) / 1000)}   `);
  }
}
