import type { Environment } from './environment.js';
import { SimError, Interrupt } from './errors.js';
import { Event, NORMAL, PENDING, PROCESSED, TRIGGERED, URGENT, type Resumable } from './event.js';

/** What a process body is: a generator that yields events and returns a value. */
export type ProcessGenerator<T = unknown> = Generator<Event<any>, T, any>;

/** The outcome an immediately started process begins with: success, no value. */
const STARTED = new Event<undefined>(undefined as unknown as Environment);
STARTED._state = PROCESSED;

/**
 * A process is a generator driven by the events it yields, and is itself an event that
 * succeeds with the generator's return value (or fails with what it threw). It starts on an
 * URGENT event at the current time, as SimPy's processes do, so code that creates a process
 * keeps running first and the new process runs before anything NORMAL at the same instant.
 */
export class Process<T = unknown> extends Event<T> {
  /** @internal */ _target: Event<any> | null;

  constructor(
    env: Environment,
    private readonly gen: ProcessGenerator<T>,
    readonly name?: string,
    immediate = false,
  ) {
    super(env);
    if (typeof (gen as { next?: unknown })?.next !== 'function') {
      throw new SimError(`a process needs a generator, got ${String(gen)}`);
    }
    if (immediate) {
      // Runs now, inside the caller, until it first waits (see Environment.spawn).
      this._target = null;
      this._resume(STARTED);
      return;
    }
    const init = new Event<undefined>(env);
    init._state = TRIGGERED;
    init._cb0 = this;
    env._schedule(init, URGENT, 0);
    this._target = init;
  }

  /** The event the process is waiting for (null once it has finished). */
  get target(): Event<any> | null {
    return this._target;
  }

  get isAlive(): boolean {
    return this._state === PENDING;
  }

  /**
   * Throws `Interrupt(cause)` into the process at the current time (URGENT), detaching it
   * from the event it was waiting for. Used for deadlines and cancellation.
   */
  interrupt(cause?: unknown): void {
    if (this._state !== PENDING) throw new SimError('the process has terminated and cannot be interrupted');
    if (this.env.activeProcess === this) throw new SimError('a process is not allowed to interrupt itself');
    const irq = new Event<never>(this.env);
    irq._ok = false;
    irq._value = new Interrupt(cause);
    irq._defused = true;
    irq._state = TRIGGERED;
    // A Resumable rather than a closure written into the field: V8's parser pretenures a
    // function literal assigned to a property, and the old-generation closure would keep the
    // process and what it holds alive through every scavenge after it ended (docs/kernel.md).
    irq._cb0 = new InterruptDelivery(this);
    this.env._schedule(irq, URGENT, 0);
  }

  /** @internal */
  _resume(event: Event<any>): void {
    const env = this.env;
    const gen = this.gen;
    // Whoever was running (a process that spawned this one) is running again afterwards.
    const caller = env._active;
    env._active = this;
    let ev = event;
    for (;;) {
      let r: IteratorResult<Event<any>, T>;
      try {
        if (ev._ok) r = gen.next(ev._value);
        else {
          ev._defused = true;
          r = gen.throw(ev._value);
        }
      } catch (err) {
        this._target = null;
        env._active = caller;
        this._ok = false;
        this._value = err;
        this._state = TRIGGERED;
        env._schedule(this, NORMAL, 0);
        return;
      }
      if (r.done) {
        this._target = null;
        this._value = r.value;
        this._state = TRIGGERED;
        env._schedule(this, NORMAL, 0);
        break;
      }
      const next = r.value;
      if (!(next instanceof Event)) {
        env._active = caller;
        throw new SimError(`process ${this.name ?? ''} yielded a value that is not an event: ${String(next)}`.replace('  ', ' '));
      }
      if (next._state !== PROCESSED) {
        if (next._cb0 === null && next._cbs === null) next._cb0 = this;
        else (next._cbs ??= []).push(this);
        this._target = next;
        break;
      }
      ev = next; // already processed: resume at once with its outcome
    }
    env._active = caller;
  }
}

/** Delivers an interrupt to its process when the interrupt event is processed (unless the process ended meanwhile). */
class InterruptDelivery implements Resumable {
  constructor(private readonly proc: Process<any>) {}
  _resume(irq: Event<any>): void {
    const p = this.proc;
    if (p._state !== PENDING) return; // finished in the meantime
    p._target?.removeCallback(p);
    p._resume(irq);
  }
}
