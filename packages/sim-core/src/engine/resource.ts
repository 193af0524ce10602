import type { Environment } from './environment.js';
import { QueueFullError, SimError } from './errors.js';
import { Event } from './event.js';
import { Deque } from './deque.js';

export interface ResourceOptions {
  /** Most requests that may wait (default unbounded). A request beyond it fails with QueueFullError. */
  queueLimit?: number;
}

/** A request for one slot of a Resource: an event that succeeds when the slot is granted. */
export class Request extends Event<Request> {
  /** @internal 0 waiting, 1 granted, 2 released or cancelled, 3 rejected */
  _phase = 0;
  constructor(readonly resource: Resource) {
    super(resource.env);
  }

  get granted(): boolean {
    return this._phase === 1;
  }

  /** Gives the slot back if granted, or leaves the queue if still waiting. Idempotent. */
  cancel(): void {
    if (this._phase === 0) {
      this._phase = 2;
      this.resource._dropWaiter();
    } else if (this._phase === 1) {
      this.resource.release(this);
    }
  }
}

/**
 * Counted slots with a FIFO wait queue (optionally bounded). `request()` is granted at once
 * when a slot is free, otherwise it waits its turn; `release()` hands the slot to the oldest
 * waiter. Capacity may change at run time (a breaker's capacity follows its pods).
 */
export class Resource {
  private _capacity: number;
  private _inUse = 0;
  private readonly waiting = new Deque<Request>();
  private liveWaiters = 0;
  readonly queueLimit: number;

  constructor(
    readonly env: Environment,
    capacity: number,
    options: ResourceOptions = {},
  ) {
    checkCapacity(capacity);
    this._capacity = capacity;
    const limit = options.queueLimit ?? Infinity;
    if (!(limit >= 0)) throw new SimError(`queueLimit must be >= 0, got ${limit}`);
    this.queueLimit = limit;
  }

  get capacity(): number {
    return this._capacity;
  }

  set capacity(c: number) {
    checkCapacity(c);
    this._capacity = c;
    this.grant();
  }

  /** Slots granted and not yet released. */
  get inUse(): number {
    return this._inUse;
  }

  /** Requests waiting for a slot. */
  get queueLength(): number {
    return this.liveWaiters;
  }

  request(): Request {
    const req = new Request(this);
    if (this._inUse < this._capacity && this.liveWaiters === 0) {
      this._inUse++;
      req._phase = 1;
      req.succeed(req);
    } else if (this.liveWaiters >= this.queueLimit) {
      req._phase = 3;
      req.fail(new QueueFullError(this.queueLimit));
    } else {
      this.waiting.push(req);
      this.liveWaiters++;
    }
    return req;
  }

  /**
   * Takes a free slot at once, without an event, when one is free and nobody waits (for
   * proxies whose slot is usually free); false otherwise. Give it back with `releaseSlot()`.
   * `request()` keeps SimPy's semantics (the grant is an event), which the M/M/c cross-check
   * relies on.
   */
  tryAcquire(): boolean {
    if (this._inUse < this._capacity && this.liveWaiters === 0) {
      this._inUse++;
      return true;
    }
    return false;
  }

  /** Gives back a slot taken with `tryAcquire()`. */
  releaseSlot(): void {
    if (this._inUse <= 0) throw new SimError('releaseSlot without a slot in use');
    this._inUse--;
    this.grant();
  }

  release(req: Request): void {
    if (req.resource !== this) throw new SimError('the request belongs to another resource');
    if (req._phase !== 1) {
      if (req._phase === 2) return;
      throw new SimError('cannot release a request that was never granted');
    }
    req._phase = 2;
    this._inUse--;
    this.grant();
  }

  /** @internal */
  _dropWaiter(): void {
    this.liveWaiters--;
  }

  private grant(): void {
    while (this._inUse < this._capacity && this.liveWaiters > 0) {
      const next = this.waiting.shift()!;
      if (next._phase !== 0) continue; // cancelled while waiting
      this.liveWaiters--;
      this._inUse++;
      next._phase = 1;
      next.succeed(next);
    }
  }
}

function checkCapacity(c: number): void {
  if (!(c >= 0) || (!Number.isInteger(c) && c !== Infinity)) {
    throw new SimError(`capacity must be a whole number >= 0 (or Infinity), got ${c}`);
  }
}
