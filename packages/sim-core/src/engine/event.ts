import type { Environment } from './environment.js';
import { SimError } from './errors.js';

/** Priorities, as SimPy's: URGENT for process starts and interrupts, NORMAL for the rest. */
export const URGENT = 0;
export const NORMAL = 1;

/** @internal event states */
export const PENDING = 0;
export const TRIGGERED = 1;
export const PROCESSED = 2;

export type Callback<T = unknown> = (event: Event<T>) => void;

/**
 * @internal A process waiting on an event is resumed directly, not through a closure made for
 * it: one allocation and one call fewer per process and per wait.
 */
export interface Resumable {
  _resume(event: Event<any>): void;
}

/** @internal Runs one callback slot. */
export function runCallback(cb: Callback<any> | Resumable, ev: Event<any>): void {
  if (typeof cb === 'function') cb(ev);
  else cb._resume(ev);
}

const YIELD: { value: unknown; done: false } = { value: undefined, done: false };
const DONE: { value: unknown; done: true } = { value: undefined, done: true };

/**
 * Something that happens at one instant of simulated time. It is triggered once (`succeed`
 * or `fail`), which schedules it; when the environment processes it, its callbacks run in the
 * order they were added. A failed event that no callback defuses fails the run loudly.
 *
 * An event is its own iterator, so a process waits for it with `const v = yield* ev`, which
 * gives `v` the event's value type (or throws its error), at the cost of no extra generator.
 */
export class Event<T = unknown> {
  /** @internal */ _state = PENDING;
  /** @internal */ _ok = true;
  /** @internal */ _value: unknown = undefined;
  /** @internal */ _defused = false;
  /** @internal first callback, kept out of an array because most events have exactly one */
  _cb0: Callback<any> | Resumable | null = null;
  /** @internal */ _cbs: Array<Callback<any> | Resumable> | null = null;

  constructor(readonly env: Environment) {}

  /** True once succeed/fail was called (the event is scheduled or already processed). */
  get triggered(): boolean {
    return this._state !== PENDING;
  }

  /** True once the environment has processed the event and run its callbacks. */
  get processed(): boolean {
    return this._state === PROCESSED;
  }

  get ok(): boolean {
    if (this._state === PENDING) throw new SimError('the event has not been triggered yet');
    return this._ok;
  }

  get value(): T {
    if (this._state === PENDING) throw new SimError('the value of the event is not yet available');
    return this._value as T;
  }

  /** Marks a failed event as handled, so it does not fail the run. */
  defuse(): this {
    this._defused = true;
    return this;
  }

  get defused(): boolean {
    return this._defused;
  }

  succeed(value?: T, priority: number = NORMAL): this {
    if (this._state !== PENDING) throw new SimError('the event has already been triggered');
    this._value = value;
    this._state = TRIGGERED;
    this.env._schedule(this, priority, 0);
    return this;
  }

  /**
   * Triggers the event now to be processed at absolute time `time` (not before now), as a
   * timeout due then would be: one event where a timeout whose callback calls `succeed` is two.
   * It is processed in the timeout's place, before events scheduled later for the same instant.
   */
  succeedAt(time: number, value?: T): this {
    if (this._state !== PENDING) throw new SimError('the event has already been triggered');
    const now = this.env.now;
    if (!Number.isFinite(time)) throw new SimError(`time must be finite, got ${time}`);
    if (time < now) throw new SimError(`cannot schedule at ${time}: it is before the current time ${now}`);
    this._value = value;
    this._state = TRIGGERED;
    this.env._schedule(this, NORMAL, time - now);
    return this;
  }

  fail(error: unknown, priority: number = NORMAL): this {
    if (this._state !== PENDING) throw new SimError('the event has already been triggered');
    this._ok = false;
    this._value = error;
    this._state = TRIGGERED;
    this.env._schedule(this, priority, 0);
    return this;
  }

  /** Triggers this event with the outcome of another, triggered one. */
  trigger(other: Event<T>): this {
    if (other._state === PENDING) throw new SimError('cannot copy the outcome of an untriggered event');
    return other._ok ? this.succeed(other._value as T) : this.fail(other._value);
  }

  addCallback(cb: Callback<T>): void {
    if (this._state === PROCESSED) throw new SimError('cannot add a callback to a processed event');
    if (this._cb0 === null && this._cbs === null) this._cb0 = cb;
    else (this._cbs ??= []).push(cb);
  }

  removeCallback(cb: Callback<T> | Resumable): boolean {
    if (this._cb0 === cb) {
      this._cb0 = null;
      return true;
    }
    const cbs = this._cbs;
    if (cbs !== null) {
      const i = cbs.indexOf(cb);
      if (i >= 0) {
        cbs.splice(i, 1);
        return true;
      }
    }
    return false;
  }

  // Iterator protocol, for `yield*` inside processes. Stateless on purpose: several processes
  // may wait on the same event, and each resumption just reads the processed outcome.
  [Symbol.iterator](): Iterator<Event<T>, T, unknown> {
    return this;
  }

  next(): IteratorResult<Event<T>, T> {
    // The result objects are reused: `yield*` hands them straight up to the process's
    // `gen.next()` caller, which reads them at once, so nothing keeps a reference (and a
    // request's path allocates two objects fewer per event).
    if (this._state !== PROCESSED) {
      YIELD.value = this;
      return YIELD as IteratorYieldResult<Event<T>>;
    }
    if (this._ok) {
      DONE.value = this._value;
      return DONE as IteratorReturnResult<T>;
    }
    this._defused = true;
    throw this._value;
  }

  throw(error: unknown): IteratorResult<Event<T>, T> {
    throw error;
  }

  return(value?: T): IteratorResult<Event<T>, T> {
    return { value: value as T, done: true };
  }
}
