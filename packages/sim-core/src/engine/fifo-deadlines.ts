import type { Environment } from './environment.js';
import type { Event } from './event.js';
import type { Process } from './process.js';
import { Deque } from './deque.js';

/** One armed deadline (a class, not a literal: see RequestContext in k8s/network.ts). */
export class DeadlineEntry {
  constructor(
    /**
     * The process to interrupt; null once the entry is done (cancelled or fired). A cancelled
     * entry can wait in the FIFO behind an older live one, and it must not keep its finished
     * process (its generator, its request) alive meanwhile.
     */
    public proc: Process<any> | null,
    readonly deadline: number,
    readonly cause: unknown,
  ) {}
}

/**
 * Deadlines of one fixed duration (a revision's timeoutSeconds), armed for many processes.
 * Because every entry lasts the same time and entries are added in time order, deadlines are
 * already sorted: a FIFO and one armed timer replace one heap entry per request, so a busy
 * proxy with a 300 s timeout does not grow the event queue by rate × 300 s. When a deadline
 * passes, its process is interrupted with `cause`; a finished request cancels its entry.
 */
export class FifoDeadlines {
  private readonly entries = new Deque<DeadlineEntry>();
  private armedAt = Infinity;
  private readonly fire: () => void;

  constructor(
    readonly env: Environment,
    readonly durationMs: number,
  ) {
    // Made as a value, then stored: V8 pretenures `this.f = () => …` (docs/kernel.md, "Closures written into properties").
    const fire = () => this.onTimer();
    this.fire = fire;
  }

  add(proc: Process<any>, cause: unknown): DeadlineEntry {
    const entry = new DeadlineEntry(proc, this.env.now + this.durationMs, cause);
    this.entries.push(entry);
    if (this.armedAt === Infinity) this.arm(entry.deadline);
    return entry;
  }

  cancel(entry: DeadlineEntry): void {
    entry.proc = null;
    while (this.entries.length > 0 && this.entries.peek()!.proc === null) this.entries.shift();
  }

  /** Entries not yet expired or cancelled (cancelled ones behind a live head are counted). */
  get size(): number {
    return this.entries.length;
  }

  private arm(at: number): void {
    this.armedAt = at;
    const ev: Event<undefined> = this.env.timeoutAt(at);
    ev.addCallback(this.fire);
  }

  private onTimer(): void {
    this.armedAt = Infinity;
    const now = this.env.now;
    while (this.entries.length > 0) {
      const head = this.entries.peek()!;
      if (head.proc === null) {
        this.entries.shift();
        continue;
      }
      if (head.deadline > now) break;
      this.entries.shift();
      const proc = head.proc;
      head.proc = null;
      if (proc.isAlive) proc.interrupt(head.cause);
    }
    if (this.entries.length > 0) this.arm(this.entries.peek()!.deadline);
  }
}
