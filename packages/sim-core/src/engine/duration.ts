/**
 * Go-style durations (`time.ParseDuration`), as Knative ConfigMaps and annotations write them:
 * "300ms", "-1.5h", "1m30s", "2h45m", units ns, us (µs, μs), ms, s, m, h; "0" needs no unit.
 * knsim's Knative layers keep time in milliseconds, so the parser returns milliseconds.
 * Error texts are Go's own.
 */
export class DurationError extends Error {
  override name = 'DurationError';
}

const UNIT_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3, // U+00B5 micro sign
  'μs': 1e3, // U+03BC Greek mu
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MAX_DIV_10 = INT64_MAX / 10n;

// Go's limit is int64 nanoseconds; knsim keeps exact integers up to 2^53 ns (about 104 days).
const MAX_NS = 2 ** 53;

const quote = (s: string) => JSON.stringify(s);

/** Parses a Go duration string into nanoseconds (an integer). */
export function parseDurationNs(input: string): number {
  let s = input;
  let neg = false;
  if (s !== '') {
    const c = s[0];
    if (c === '-' || c === '+') {
      neg = c === '-';
      s = s.slice(1);
    }
  }
  if (s === '0') return 0;
  if (s === '') throw new DurationError(`time: invalid duration ${quote(input)}`);
  let total = 0;
  while (s !== '') {
    if (!(s[0] === '.' || (s[0]! >= '0' && s[0]! <= '9'))) throw new DurationError(`time: invalid duration ${quote(input)}`);
    let i = 0;
    while (i < s.length && s[i]! >= '0' && s[i]! <= '9') i++;
    const pre = i > 0;
    const intPart = pre ? Number(s.slice(0, i)) : 0;
    s = s.slice(i);
    // Go's leadingFraction: an int64 accumulator that stops taking digits before it would
    // overflow, and a float64 scale; the fraction is then applied in float64 and truncated.
    let frac = 0n;
    let scale = 1;
    let post = false;
    if (s[0] === '.') {
      s = s.slice(1);
      let j = 0;
      let overflow = false;
      while (j < s.length && s[j]! >= '0' && s[j]! <= '9') {
        if (!overflow) {
          if (frac > INT64_MAX_DIV_10) overflow = true;
          else {
            const y = frac * 10n + BigInt(s.charCodeAt(j) - 48);
            if (y > INT64_MAX) overflow = true;
            else {
              frac = y;
              scale *= 10;
            }
          }
        }
        j++;
      }
      post = j > 0;
      s = s.slice(j);
    }
    if (!pre && !post) throw new DurationError(`time: invalid duration ${quote(input)}`);
    let k = 0;
    while (k < s.length && s[k] !== '.' && !(s[k]! >= '0' && s[k]! <= '9')) k++;
    if (k === 0) throw new DurationError(`time: missing unit in duration ${quote(input)}`);
    const unitName = s.slice(0, k);
    s = s.slice(k);
    const unit = UNIT_NS[unitName];
    if (unit === undefined) throw new DurationError(`time: unknown unit ${quote(unitName)} in duration ${quote(input)}`);
    let v = intPart * unit;
    if (frac > 0n) v += Math.trunc(Number(frac) * (unit / scale));
    total += v;
    if (total > Number(INT64_MAX)) throw new DurationError(`time: invalid duration ${quote(input)}`);
    if (total > MAX_NS) throw new DurationError(`duration ${quote(input)} is valid in Go but longer than knsim's limit of 2^53 ns (about 104 days)`);
  }
  return neg ? -total : total;
}

/** Parses a Go duration string into milliseconds. */
export function parseDuration(input: string): number {
  return parseDurationNs(input) / 1e6;
}

/** Formats milliseconds the way Go's `Duration.String()` does: "1m30s", "500ms", "1.5s", "0s". */
export function formatDuration(ms: number): string {
  let ns = Math.round(ms * 1e6);
  if (ns === 0) return '0s';
  const neg = ns < 0;
  if (neg) ns = -ns;
  let out: string;
  if (ns < 1e9) {
    if (ns < 1e3) out = `${ns}ns`;
    else if (ns < 1e6) out = `${trimFraction(ns / 1e3)}µs`;
    else out = `${trimFraction(ns / 1e6)}ms`;
  } else {
    const h = Math.floor(ns / 3600e9);
    ns -= h * 3600e9;
    const m = Math.floor(ns / 60e9);
    ns -= m * 60e9;
    const s = `${trimFraction(ns / 1e9)}s`;
    out = h > 0 ? `${h}h${m}m${s}` : m > 0 ? `${m}m${s}` : s;
  }
  return neg ? `-${out}` : out;
}

function trimFraction(x: number): string {
  return String(Number(x.toFixed(9)));
}
