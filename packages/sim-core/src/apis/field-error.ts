/**
 * Knative's `apis.FieldError` (knative.dev/pkg/apis/field_error.go): a tree of validation
 * errors, each a message with the field paths it applies to, that prints exactly as
 * Knative's webhook prints it — `<message>: <paths joined by ", ">` per merged error, errors
 * sorted by message and joined by newlines, details on the line after.
 */
export type DiagnosticLevel = 'error' | 'warning';

export interface FieldErrorEntry {
  message: string;
  paths: string[];
  level: DiagnosticLevel;
  details: string;
}

/** The current field: a path segment that `ViaField` drops. */
export const CURRENT_FIELD = '';

const LEVEL_ORDER: Record<DiagnosticLevel, number> = { error: 0, warning: 1 };

const isIndex = (p: string) => p.startsWith('[') && p.endsWith(']');

/** knative.dev/pkg/apis flatten(): joins path parts with '.', gluing `[i]` to the part before. */
function flatten(parts: readonly string[]): string {
  const out: string[] = [];
  for (const part of parts) {
    for (const p of part.split('.')) {
      if (p === CURRENT_FIELD) continue;
      if (out.length > 0 && isIndex(p)) out[out.length - 1] += p;
      else out.push(p);
    }
  }
  return out.join('.');
}

export class FieldError extends Error {
  override name = 'FieldError';
  private readonly entries: FieldErrorEntry[];

  private constructor(entries: FieldErrorEntry[]) {
    super('');
    this.entries = entries;
    Object.defineProperty(this, 'message', { get: () => this.toString(), enumerable: false, configurable: true });
  }

  static of(message: string, paths: readonly string[] = [], details = '', level: DiagnosticLevel = 'error'): FieldError {
    return new FieldError([{ message, paths: [...paths], details, level }]);
  }

  /** Combines errors; undefined/null arguments are skipped. Returns undefined when all are empty. */
  static all(...errs: Array<FieldError | undefined | null>): FieldError | undefined {
    const entries = errs.flatMap((e) => (e ? e.entries : []));
    return entries.length === 0 ? undefined : new FieldError(entries);
  }

  /** This error plus others (Knative's `Also`). */
  also(...errs: Array<FieldError | undefined | null>): FieldError {
    return FieldError.all(this, ...errs)!;
  }

  /** Prefixes every path with the given field names (Knative's `ViaField`). */
  viaField(...prefix: string[]): FieldError {
    return new FieldError(this.entries.map((e) => ({ ...e, paths: e.paths.map((p) => flatten([...prefix, p])) })));
  }

  /** Prefixes every path with `[index]` (Knative's `ViaIndex`). */
  viaIndex(index: number): FieldError {
    return this.viaField(`[${index}]`);
  }

  /** `field[index]` (Knative's `ViaFieldIndex`). */
  viaFieldIndex(field: string, index: number): FieldError {
    return this.viaIndex(index).viaField(field);
  }

  /** Prefixes every path with `[key]` (Knative's `ViaKey`). */
  viaKey(key: string): FieldError {
    return this.viaField(`[${key}]`);
  }

  /** `field[key]` (Knative's `ViaFieldKey`). */
  viaFieldKey(field: string, key: string): FieldError {
    return this.viaKey(key).viaField(field);
  }

  /** Only the entries of one level (Knative's `Filter`). */
  filter(level: DiagnosticLevel): FieldError | undefined {
    const kept = this.entries.filter((e) => e.level === level);
    return kept.length === 0 ? undefined : new FieldError(kept);
  }

  get hasErrors(): boolean {
    return this.entries.some((e) => e.level === 'error');
  }

  /** The merged, sorted entries as Knative reports them. */
  merged(): FieldErrorEntry[] {
    const byKey = new Map<string, FieldErrorEntry>();
    for (const e of this.entries) {
      // normalized() keeps only leaves with a message; an entry with paths but no message prints nothing.
      if (e.message === '') continue;
      const k = `${e.level}\u0000${e.message}\u0000${e.details}`;
      const prev = byKey.get(k);
      // mergePaths(): the same path reported twice is printed once.
      if (prev) for (const p of e.paths) { if (!prev.paths.includes(p)) prev.paths.push(p); }
      else byKey.set(k, { ...e, paths: [...new Set(e.paths)] });
    }
    const list = [...byKey.values()];
    for (const e of list) e.paths.sort(compareStrings);
    // merge(): by message, then details, then level (ErrorLevel = 0 sorts before WarningLevel = 1).
    list.sort(
      (a, b) =>
        compareStrings(a.message, b.message) ||
        compareStrings(a.details, b.details) ||
        LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level],
    );
    return list;
  }

  /** The same diagnostics at another level (Knative's `At`). */
  at(level: DiagnosticLevel): FieldError {
    return new FieldError(this.entries.map((e) => ({ ...e, level })));
  }

  override toString(): string {
    return this.merged()
      .map((e) => `${e.message}: ${e.paths.join(', ')}${e.details === '' ? '' : `\n${e.details}`}`)
      .join('\n');
  }
}

// Go compares strings bytewise; for the ASCII of field paths that is code-unit order.
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// The constructors Knative's validation uses, with its exact messages.
export const errMissingField = (...paths: string[]) => FieldError.of('missing field(s)', paths);
export const errDisallowedFields = (...paths: string[]) => FieldError.of('must not set the field(s)', paths);
export const errDisallowedUpdateDeprecatedFields = (...paths: string[]) => FieldError.of('must not update deprecated field(s)', paths);
export const errMultipleOneOf = (...paths: string[]) => FieldError.of('expected exactly one, got both', paths);
export const errMissingOneOf = (...paths: string[]) => FieldError.of('expected exactly one, got neither', paths);
export const errInvalidValue = (value: unknown, path: string, details = '') => FieldError.of(`invalid value: ${goValue(value)}`, [path], details);
export const errInvalidArrayValue = (value: unknown, field: string, index: number) => errInvalidValue(value, CURRENT_FIELD).viaFieldIndex(field, index);
export const errInvalidKeyName = (key: string, path: string, details = '') => FieldError.of(`invalid key name ${JSON.stringify(key)}`, [path], details);
export const errOutOfBoundsValue = (value: unknown, lower: unknown, upper: unknown, path: string) =>
  FieldError.of(`expected ${goValue(lower)} <= ${goValue(value)} <= ${goValue(upper)}`, [path]);
export const errGeneric = (message: string, ...paths: string[]) => FieldError.of(message, paths);

/** How Go's %v prints the simple values validation messages contain. */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
