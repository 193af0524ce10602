/**
 * A law that does not hold. The message says which law, what was seen and where; `details` is
 * the evidence as plain data (the events or counts involved), for a test that wants to look.
 */
export class LawViolation extends Error {
  override name = 'LawViolation';
  constructor(
    readonly law: string,
    summary: string,
    readonly details: unknown = undefined,
  ) {
    super(`${law}: ${summary}`);
  }
}
