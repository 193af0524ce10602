/**
 * Errors raised by the kernel. `SimError` is a misuse of the engine (a bug in the caller's
 * model, never a user's input mistake); `Interrupt` is thrown into a process that another
 * process interrupted; `QueueFullError` rejects a request to a bounded resource queue.
 */
export class SimError extends Error {
  override name = 'SimError';
}

/**
 * The clock stopped moving: more than `MAX_EVENTS_AT_ONE_INSTANT` events ran at one simulated
 * instant (something that answers at once, asked again at once, forever). The message names the
 * process whose event came up last.
 */
export class LivelockError extends SimError {
  override name = 'LivelockError';
  constructor(
    message: string,
    readonly atMs: number,
    readonly process: string | undefined,
  ) {
    super(message);
  }
}

export class Interrupt<C = unknown> extends Error {
  override name = 'Interrupt';
  constructor(override readonly cause: C) {
    super(`process interrupted${cause === undefined ? '' : `: ${String(cause)}`}`);
  }
}

export class QueueFullError extends Error {
  override name = 'QueueFullError';
  constructor(readonly queueLimit: number) {
    super(`queue full (limit ${queueLimit})`);
  }
}

/** Thrown by `step()` when nothing is scheduled. */
export class EmptySchedule extends SimError {
  override name = 'EmptySchedule';
  constructor() {
    super('no events are scheduled');
  }
}
