/** pkg/kubelet/kubelet.go backOffPeriod: the first back-off before a container restart. */
export const CONTAINER_BACKOFF_INITIAL_MS = 10_000;
/** pkg/kubelet/kubelet.go MaxContainerBackOff. */
export const CONTAINER_BACKOFF_MAX_MS = 300_000;

/**
 * kubelet's CrashLoopBackOff for one container: client-go util/flowcontrol/backoff.go `Backoff`
 * as pkg/kubelet/kuberuntime/kuberuntime_manager.go doBackOff uses it, keyed by the container
 * and measured from when an instance exited. The first check finds no entry and lets the start
 * go, `next` sets 10 s; a start within the back-off of an exit waits it out, and each `next`
 * doubles it, up to 300 s; after twice the maximum without a `next` it starts again from 10 s.
 * Times in ms, passed in (no jitter: kubelet's Backoff has a jitter factor of 0).
 */
export class ContainerBackOff {
  private backoffMs = 0;
  private lastUpdate = -Infinity;
  private hasEntry = false;

  constructor(
    private readonly initialMs = CONTAINER_BACKOFF_INITIAL_MS,
    private readonly maxMs = CONTAINER_BACKOFF_MAX_MS,
  ) {}

  /** IsInBackOffSince: whether a container that exited at `exitedAt` must still wait at `now`. */
  isInBackOffSince(exitedAt: number, now: number): boolean {
    if (!this.hasEntry || this.expired(exitedAt)) return false;
    return now - exitedAt < this.backoffMs;
  }

  /** How long after `exitedAt` the back-off ends (0 when not backing off). */
  waitMs(exitedAt: number, now: number): number {
    return this.isInBackOffSince(exitedAt, now) ? exitedAt + this.backoffMs - now : 0;
  }

  /** Next: the container is being started again at `now`; the following back-off doubles. */
  next(exitedAt: number, now: number): void {
    if (!this.hasEntry || this.expired(exitedAt)) {
      this.hasEntry = true;
      this.backoffMs = this.initialMs;
    } else {
      this.backoffMs = Math.min(this.backoffMs * 2, this.maxMs);
    }
    this.lastUpdate = now;
  }

  /** hasExpired: stable for twice the maximum back-off since the last restart. */
  private expired(eventTime: number): boolean {
    return eventTime - this.lastUpdate > this.maxMs * 2;
  }
}
