import type { Environment } from './environment.js';
import { SimError, Interrupt } from './errors.js';
import { Event, NORMAL, PENDING, PROCESSED, TRIGGERED, URGENT, type Resumable } from './event.js';

/**
 * What a process body is: a generator that yields events and returns a value. It may also yield
 * a generator, which calls it (`const v = yield gen`: see Process).
 */
export type ProcessGenerator<T = unknown> = Generator<Event<any> | Generator<any, any, any>, T, any>;

/** The outcome an immediately started process begins with: success, no value. */
const STARTED = new Event<undefined>(undefined as unknown as Environment);
STARTED._state = PROCESSED;

/**
 * A process is a generator driven by the events it yields, and is itself an event that
 * succeeds with the generator's return value (or fails with what it threw). It starts on an
 * URGENT event at the current time, as SimPy's processes do, so code that creates a process
 * keeps running first and the new process runs before anything NORMAL at the same instant.
 *
 * A generator it runs may call another with `const v = yield gen` instead of `yield* gen`: the
 * same outcome (the callee runs at once, in the same process, and its return value or error comes
 * back where it was called), but the process resumes the callee itself. With `yield*` every wait
 * of the callee, and every event it waits for, passes through the caller's frame on the way in
 * and out; a request's path nests four such frames (the client, the gateway, the activator,
 * queue-proxy), and the passing cost about a twentieth of a request (docs/kernel.md).
 */
export class Process<T = unknown> extends Event<T> {
  /** @internal */ _target: Event<any> | null;

  /** The generator running now: the process's own, or the innermost one it called. */
  private gen: ProcessGenerator<T>;
  /**
   * The generators that called the running one and wait for it to return: how many, the three
   * innermost in fields (a request's path nests at most three) and any outer ones in an array,
   * so that a call allocates nothing.
   */
  private depth = 0;
  private caller0: ProcessGenerator<T> | null = null;
  private caller1: ProcessGenerator<T> | null = null;
  private caller2: ProcessGenerator<T> | null = null;
  private outerCallers: Array<ProcessGenerator<T>> | null = null;

  private pushCaller(g: ProcessGenerator<T>): void {
    const d = this.depth++;
    if (d === 0) this.caller0 = g;
    else if (d === 1) this.caller1 = g;
    else if (d === 2) this.caller2 = g;
    else (this.outerCallers ??= []).push(g);
  }

  /** The innermost caller, taken off the stack; null when the running generator is the process's own. */
  private popCaller(): ProcessGenerator<T> | null {
    const d = this.depth;
    if (d === 0) return null;
    this.depth = d - 1;
    let g: ProcessGenerator<T> | null;
    if (d === 1) {
      g = this.caller0;
      this.caller0 = null;
    } else if (d === 2) {
      g = this.caller1;
      this.caller1 = null;
    } else if (d === 3) {
      g = this.caller2;
      this.caller2 = null;
    } else g = this.outerCallers!.pop()!;
    return g;
  }

  constructor(
    env: Environment,
    gen: ProcessGenerator<T>,
    readonly name?: string,
    immediate = false,
  ) {
    super(env);
    this.gen = gen;
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
    let gen = this.gen;
    // Whoever was running (a process that spawned this one) is running again afterwards.
    const caller = env._active;
    env._active = this;
    let ok = event._ok;
    let value = event._value;
    if (!ok) event._defused = true;
    for (;;) {
      let r: IteratorResult<Event<any> | Generator<any, any, any>, T> | null;
      try {
        r = ok ? gen.next(value) : gen.throw(value);
      } catch (err) {
        r = null;
        value = err;
      }
      // The running generator returned or threw: its caller goes on at once with the value or
      // the error, where it made the call; with no caller, the process ends with it.
      if (r === null || r.done) {
        ok = r !== null;
        if (ok) value = r!.value;
        const outer = this.popCaller();
        if (outer === null) {
          this.end(ok, value);
          break;
        }
        gen = this.gen = outer;
        continue;
      }
      const next = r.value;
      if (!(next instanceof Event)) {
        if (isGenerator(next)) {
          // `yield gen`: a call. The process runs `gen` itself until it returns (see the class comment).
          this.pushCaller(gen);
          gen = this.gen = next as ProcessGenerator<T>;
          ok = true;
          value = undefined;
          continue;
        }
        env._active = caller;
        throw new SimError(`process ${this.name ?? ''} yielded a value that is neither an event nor a generator: ${String(next)}`.replace('  ', ' '));
      }
      if (next._state !== PROCESSED) {
        if (next._cb0 === null && next._cbs === null) next._cb0 = this;
        else (next._cbs ??= []).push(this);
        this._target = next;
        break;
      }
      // already processed: resume at once with its outcome
      ok = next._ok;
      value = next._value;
      if (!ok) next._defused = true;
    }
    env._active = caller;
  }

  /** The process's own generator returned (`ok`) or threw: the process succeeds or fails with that. */
  private end(ok: boolean, value: unknown): void {
    this._target = null;
    this._ok = ok;
    this._value = value;
    this._state = TRIGGERED;
    this.env._schedule(this, NORMAL, 0);
  }
}

/** Whether a yielded value is a generator (a call) rather than something else that is not an event. */
function isGenerator(v: unknown): boolean {
  return typeof v === 'object' && v !== null && typeof (v as { next?: unknown }).next === 'function' && typeof (v as { throw?: unknown }).throw === 'function';
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
