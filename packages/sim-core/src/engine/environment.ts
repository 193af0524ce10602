import { EmptySchedule, LivelockError, SimError } from './errors.js';
import { Event, NORMAL, PENDING, PROCESSED, TRIGGERED, runCallback } from './event.js';
import { Process, type ProcessGenerator } from './process.js';
import { EventQueue } from './queue.js';
import type { Rng } from './rng.js';

const PRIORITY_SHIFT = 2 ** 52;
const SEQ_BITS = 2 ** 26;

export interface EnvironmentOptions {
  /** Start time of the clock (default 0). The kernel is unit-agnostic. */
  initialTime?: number;
  /**
   * Tie-shuffle mode: a seeded stream that permutes events due at the same instant and
   * priority, so a test can show a result does not depend on tie order. Off by default.
   */
  tieShuffle?: Rng;
  /** The livelock guard's limit of events at one instant (default MAX_EVENTS_AT_ONE_INSTANT). */
  maxEventsAtOneInstant?: number;
}

/**
 * The livelock guard: a run stops with a LivelockError when more events than this run at one
 * simulated instant (a few seconds of work at the kernel's rate; docs/limits.md).
 */
export const MAX_EVENTS_AT_ONE_INSTANT = 20_000_000;

export interface RunOptions {
  /** Stop before the first event at or after this time (the clock then reads `until`), or once this event is processed. */
  until?: number | Event<any>;
}

/**
 * The discrete-event environment: a virtual clock and one event queue. Nothing in it reads
 * real time; everything that happens is an event popped in (time, priority, sequence) order.
 */
export class Environment {
  private _now: number;
  private readonly queue = new EventQueue();
  private seq = 0;
  private readonly shuffle: Rng | undefined;
  /** @internal the process currently running */
  _active: Process<any> | null = null;
  /** Events processed so far. */
  eventsProcessed = 0;

  constructor(options: EnvironmentOptions = {}) {
    const t = options.initialTime ?? 0;
    if (!Number.isFinite(t)) throw new SimError(`initial time must be finite, got ${t}`);
    this._now = t;
    this.shuffle = options.tieShuffle;
    this.maxEventsAtNow = options.maxEventsAtOneInstant ?? MAX_EVENTS_AT_ONE_INSTANT;
  }

  get now(): number {
    return this._now;
  }

  get activeProcess(): Process<any> | null {
    return this._active;
  }

  /** Number of events scheduled and not yet processed. */
  get pending(): number {
    return this.queue.size;
  }

  /** A new untriggered event. */
  event<T = unknown>(): Event<T> {
    return new Event<T>(this);
  }

  /** An event that succeeds `delay` time units from now with `value`. */
  timeout<T = undefined>(delay: number, value?: T): Event<T> {
    if (!(delay >= 0)) {
      throw new SimError(Number.isNaN(delay) ? 'delay must be a number, got NaN' : `negative delay ${delay}`);
    }
    if (delay === Infinity) throw new SimError('delay must be finite, got Infinity');
    const ev = new Event<T>(this);
    ev._value = value;
    ev._state = TRIGGERED;
    this._schedule(ev, NORMAL, delay);
    return ev;
  }

  /** An event that succeeds at absolute time `time` (not before now). */
  timeoutAt<T = undefined>(time: number, value?: T): Event<T> {
    if (!Number.isFinite(time)) throw new SimError(`time must be finite, got ${time}`);
    if (time < this._now) throw new SimError(`cannot schedule at ${time}: it is before the current time ${this._now}`);
    return this.timeout(time - this._now, value);
  }

  /** Starts a process from a generator (it first runs at the current time, before NORMAL events). */
  process<T>(gen: ProcessGenerator<T>, name?: string): Process<T> {
    return new Process<T>(this, gen, name);
  }

  /**
   * Starts a process and runs it at once, inside the caller, until it first waits; then the
   * caller continues. `process` instead runs it from an URGENT event at the same instant, after
   * the caller, as SimPy does. One event fewer per process: for many short-lived processes
   * (requests) whose first steps need not wait for the caller.
   */
  spawn<T>(gen: ProcessGenerator<T>, name?: string): Process<T> {
    return new Process<T>(this, gen, name, true);
  }

  /** Succeeds with the index and value of the first of `events` to succeed; fails if that one fails. */
  anyOf<T = unknown>(events: readonly Event<T>[]): Event<{ index: number; value: T }> {
    return condition(this, events, true) as Event<{ index: number; value: T }>;
  }

  /** Succeeds with all values (in order) once every event succeeded; fails on the first failure. */
  allOf<T = unknown>(events: readonly Event<T>[]): Event<T[]> {
    return condition(this, events, false) as Event<T[]>;
  }

  /** Time of the next scheduled event, or Infinity. */
  peek(): number {
    return this.queue.peekTime();
  }

  /** Processes the next event. Throws EmptySchedule when there is none. */
  step(): void {
    if (this.queue.size === 0) throw new EmptySchedule();
    this.stepUnchecked();
  }

  /**
   * Runs until the queue is empty, until a time, or until an event is processed (returning
   * its value, or throwing its error).
   */
  run(options: RunOptions = {}): unknown {
    const until = options.until;
    const q = this.queue;
    if (until === undefined) {
      while (q.size > 0) this.stepUnchecked();
      return undefined;
    }
    if (typeof until === 'number') {
      if (Number.isNaN(until)) throw new SimError('until must be a number, got NaN');
      if (until < this._now) throw new SimError(`until (${until}) must not be before the current time (${this._now})`);
      while (q.size > 0 && q.peekTime() < until) this.stepUnchecked();
      this._now = until;
      return undefined;
    }
    if (!(until instanceof Event)) throw new SimError('until must be a time or an event');
    if (until._state === PENDING || until._state === TRIGGERED) until._defused = true;
    while (until._state !== PROCESSED) {
      if (q.size === 0) throw new SimError('no scheduled events left, but the "until" event was never triggered');
      this.stepUnchecked();
    }
    if (!until._ok) throw until._value;
    return until._value;
  }

  /**
   * A slice of `run({ until })`: runs at most `maxEvents` events toward `until` (a time or an
   * event) and returns whether it got there (the clock then at `until`, or the event processed
   * with its failure thrown as `run` throws it). Slices run one after another process exactly
   * the events, in exactly the order, that one `run({ until })` would: a caller that wants to do
   * other work between slices (answer a signal) runs the simulation this way. Nothing here reads
   * real time.
   */
  runSlice(until: number | Event<any>, maxEvents: number): boolean {
    const q = this.queue;
    if (typeof until === 'number') {
      if (Number.isNaN(until)) throw new SimError('until must be a number, got NaN');
      if (until < this._now) throw new SimError(`until (${until}) must not be before the current time (${this._now})`);
      for (let n = 0; q.size > 0 && q.peekTime() < until; n++) {
        if (n >= maxEvents) return false;
        this.stepUnchecked();
      }
      this._now = until;
      return true;
    }
    if (!(until instanceof Event)) throw new SimError('until must be a time or an event');
    if (until._state === PENDING || until._state === TRIGGERED) until._defused = true;
    for (let n = 0; until._state !== PROCESSED; n++) {
      if (q.size === 0) throw new SimError('no scheduled events left, but the "until" event was never triggered');
      if (n >= maxEvents) return false;
      this.stepUnchecked();
    }
    if (!until._ok) throw until._value;
    return true;
  }

  /** Events run at the current instant so far (the livelock guard's count), and its limit. */
  private eventsAtNow = 0;
  private readonly maxEventsAtNow: number;

  private livelock(ev: Event<any> | undefined): never {
    // A process waiting on the event is one of its callbacks (Process objects, not functions).
    const cbs = ev === undefined ? [] : [ev._cb0, ...(ev._cbs ?? [])];
    const proc = cbs.find((c) => c !== null && typeof c === 'object' && typeof (c as { name?: unknown }).name === 'string') as { name: string } | undefined;
    const who = proc !== undefined ? `process "${proc.name}"` : 'an unnamed process or callback';
    throw new LivelockError(
      `the simulated clock stopped at ${this._now} ms: more than ${this.maxEventsAtNow} events ran at that instant without time moving (last: ${who}); something answers at once and is asked again at once`,
      this._now,
      proc?.name,
    );
  }

  /** @internal */
  _schedule(ev: Event<any>, priority: number, delay: number): void {
    const seq = this.seq++;
    const tie = this.shuffle === undefined ? seq : Math.floor(this.shuffle.next() * SEQ_BITS) * SEQ_BITS + (seq % SEQ_BITS);
    this.queue.push(this._now + delay, priority * PRIORITY_SHIFT + tie, ev);
  }

  private stepUnchecked(): void {
    const q = this.queue;
    const t = q.peekTime();
    const ev = q.pop();
    if (t !== this._now) {
      this._now = t;
      this.eventsAtNow = 0;
    } else if (++this.eventsAtNow > this.maxEventsAtNow) {
      this.livelock(ev);
    }
    this.eventsProcessed++;
    ev._state = PROCESSED;
    const cb0 = ev._cb0;
    const cbs = ev._cbs;
    ev._cb0 = null;
    ev._cbs = null;
    if (cb0 !== null) runCallback(cb0, ev);
    if (cbs !== null) for (let i = 0; i < cbs.length; i++) runCallback(cbs[i]!, ev);
    if (!ev._ok && !ev._defused) {
      const err = ev._value;
      throw err instanceof Error ? err : new SimError(`an event failed and nothing handled it: ${String(err)}`);
    }
  }
}

function condition(env: Environment, events: readonly Event<any>[], any: boolean): Event<unknown> {
  const cond = new Event<unknown>(env);
  const n = events.length;
  for (const e of events) {
    if (!(e instanceof Event) || e.env !== env) throw new SimError('a condition takes events of the same environment');
  }
  if (n === 0) {
    cond.succeed(any ? undefined : []);
    return cond;
  }
  const values: unknown[] = new Array(n);
  let remaining = n;
  const checks: Array<(ev: Event<any>) => void> = [];
  const detach = () => {
    for (let i = 0; i < n; i++) if (events[i]!._state !== PROCESSED) events[i]!.removeCallback(checks[i]!);
  };
  for (let i = 0; i < n; i++) {
    checks.push((ev) => {
      if (cond._state !== PENDING) return;
      if (!ev._ok) {
        ev._defused = true;
        cond.fail(ev._value);
        detach();
        return;
      }
      if (any) {
        cond.succeed({ index: i, value: ev._value });
        detach();
        return;
      }
      values[i] = ev._value;
      if (--remaining === 0) cond.succeed(values);
    });
  }
  for (let i = 0; i < n; i++) {
    const e = events[i]!;
    if (e._state === PROCESSED) checks[i]!(e);
    else e.addCallback(checks[i]!);
    if (cond._state !== PENDING) break;
  }
  return cond;
}
