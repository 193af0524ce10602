/**
 * The Azure Functions public trace's per-minute invocation files
 * (invocations_per_function_md.anon.d01.csv …): columns HashOwner, HashApp, HashFunction,
 * Trigger, then "1" … "1440" — one row per function, each numbered column the invocations in
 * that minute of the day.
 */
export interface AzureTraceRow {
  hashOwner: string;
  hashApp: string;
  hashFunction: string;
  trigger: string;
  /** Invocations per minute, minute 1 at index 0. */
  perMinute: number[];
}

export class TraceFormatError extends Error {
  override name = 'TraceFormatError';
}

/**
 * A trace file may be any file (like `kubectl -f`), so errors name the line and column of the
 * mistake and never echo what the file holds.
 */
export function parseAzureTrace(text: string, file: string): AzureTraceRow[] {
  // Blank lines are skipped but still counted, so errors name the line an editor shows.
  const lines = text.split(/\r?\n/).flatMap((l, i) => (l.trim() === '' ? [] : [{ l, n: i + 1 }]));
  if (lines.length === 0) throw new TraceFormatError(`${file}: empty trace`);
  const header = lines[0]!.l.split(',').map((h) => h.trim());
  const fixed = ['HashOwner', 'HashApp', 'HashFunction', 'Trigger'];
  for (let i = 0; i < fixed.length; i++) {
    if (header[i] !== fixed[i]) throw new TraceFormatError(`${file}:${lines[0]!.n}: column ${i + 1} must be ${fixed[i]} (the header of an Azure Functions invocations file)`);
  }
  const minutes = header.slice(4);
  if (minutes.length === 0) throw new TraceFormatError(`${file}:${lines[0]!.n}: no minute columns (want 1 … 1440)`);
  minutes.forEach((m, i) => {
    if (m !== String(i + 1)) throw new TraceFormatError(`${file}:${lines[0]!.n}: column ${i + 5} must be ${i + 1}`);
  });
  return lines.slice(1).map(({ l: line, n: lineNo }) => {
    const cells = line.split(',').map((c) => c.trim());
    if (cells.length !== header.length) throw new TraceFormatError(`${file}:${lineNo}: ${cells.length} columns, the header has ${header.length}`);
    const perMinute = cells.slice(4).map((c, i) => {
      const n = Number(c);
      // Plain decimal digits only, as the dataset writes counts (not `1e3`, `0x10` or `+5`).
      if (!/^\d+$/.test(c) || !Number.isSafeInteger(n)) throw new TraceFormatError(`${file}:${lineNo}: minute ${i + 1}: want a whole number >= 0 (column ${i + 5})`);
      return n;
    });
    return { hashOwner: cells[0]!, hashApp: cells[1]!, hashFunction: cells[2]!, trigger: cells[3]!, perMinute };
  });
}
