/**
 * Faults injected into a revision for a window of simulated time (issue 15): `appErrors`, a
 * fraction of its program's answers become 500s; `appSlow`, each request takes longer;
 * `imagePullFailure`, pulling its image fails.
 * Every pod of the revision (those running and those started during the window) reads the same
 * windows; a request is judged when the program accepts it. Outside every window nothing is
 * drawn, so a run without these faults is unchanged.
 */
export class AppFaults {
  private readonly errors: Array<{ fromMs: number; toMs: number; fraction: number }> = [];
  private readonly slow: Array<{ fromMs: number; toMs: number; addMs: number }> = [];

  private readonly pullFailures: Array<{ fromMs: number; toMs: number }> = [];

  addPullFailure(fromMs: number, toMs: number): void {
    this.pullFailures.push({ fromMs, toMs });
  }

  /** Whether pulling the revision's image fails at `now` (an imagePullFailure window is open). */
  pullFails(now: number): boolean {
    for (const w of this.pullFailures) if (now >= w.fromMs && now < w.toMs) return true;
    return false;
  }

  addErrors(fromMs: number, toMs: number, fraction: number): void {
    this.errors.push({ fromMs, toMs, fraction });
  }

  addSlow(fromMs: number, toMs: number, addMs: number): void {
    this.slow.push({ fromMs, toMs, addMs });
  }

  /** The fraction of requests that fail at `now`: the largest of the windows open then (0: none). */
  errorRate(now: number): number {
    let rate = 0;
    for (const w of this.errors) if (now >= w.fromMs && now < w.toMs) rate = Math.max(rate, w.fraction);
    return rate;
  }

  /** The latency added at `now`: the sum of the windows open then. */
  extraMs(now: number): number {
    let ms = 0;
    for (const w of this.slow) if (now >= w.fromMs && now < w.toMs) ms += w.addMs;
    return ms;
  }

  /** Whether any window was ever set (the request path checks this first). */
  get any(): boolean {
    return this.errors.length > 0 || this.slow.length > 0;
  }
}
