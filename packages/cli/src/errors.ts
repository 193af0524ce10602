/** Exit codes of every knsim subcommand. */
export const EXIT_OK = 0;
/** The simulated system answered badly, or a check failed. */
export const EXIT_FAILED = 1;
/** A user's mistake: bad flags, bad files, invalid manifests. */
export const EXIT_USAGE = 2;

/** A mistake in what the user gave us; printed as one line, never as a stack trace. */
export class UserError extends Error {
  override name = 'UserError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT_USAGE,
  ) {
    super(message);
  }
}
