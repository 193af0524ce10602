/**
 * Errors a user of the Cluster API can cause. The CLI prints their message as one line and
 * exits 2 (a mistake in what was given) — except NotReadyError, which is the simulated system
 * answering badly (exit 1).
 */
export class UserInputError extends Error {
  override name = 'UserInputError';
}

/** An object was rejected (Knative webhook message and field paths); nothing was changed. */
export class ApplyError extends UserInputError {
  override name = 'ApplyError';
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(file ? `${file}: ${message}` : message);
  }
}

export class NotFoundError extends UserInputError {
  override name = 'NotFoundError';
}

/** A Knative object did not become Ready in time; the message names it and its Ready condition. */
export class NotReadyError extends Error {
  override name = 'NotReadyError';
  constructor(
    message: string,
    /** The object's name (for a Service, the Service's). */
    readonly service: string,
    /** Its kind: Service, Configuration, Route, DomainMapping or Revision. */
    readonly kind = 'Service',
  ) {
    super(message);
  }
}
