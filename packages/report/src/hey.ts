/**
 * hey's report (github.com/rakyll/hey, requester/report.go and print.go), built one answer at a
 * time: the summary, the response time histogram, the latency distribution, the details of each
 * request's phases, the status codes and the errors, in hey's layout and units; its CSV; and
 * `knsim hey --json`'s document.
 */

/** One answer as hey's reporter sees it (requester.go's `result`), in seconds. */
export interface HeyResult {
  /** Go's error for a request that got no HTTP answer (it then counts in the error distribution only). */
  error?: string;
  status: number;
  /** From the start of the request to the end of its body. */
  duration: number;
  /** DNS lookup and dial (`connDuration`). */
  conn: number;
  dns: number;
  /** Writing the request (`reqDuration`). */
  req: number;
  /** From the request written to the first byte of the answer (`delayDuration`). */
  delay: number;
  /** Reading the body (`resDuration`). */
  res: number;
  /** The answer's Content-Length, -1 when it has none. */
  contentLength: number;
  /** When the request started, since the run started. */
  offset: number;
}

/** hey keeps the first million answers for its distributions and its CSV (report.go's maxRes). */
export const HEY_MAX_RESULTS = 1_000_000;

/** hey's percentiles (report.go's `latencies`). */
export const HEY_PERCENTILES = [10, 25, 50, 75, 90, 95, 99] as const;

type Phase = 'conn' | 'dns' | 'req' | 'delay' | 'res';
const PHASES: readonly Phase[] = ['conn', 'dns', 'req', 'delay', 'res'];

/** What hey prints, computed (report.go's `Report` snapshot). */
export interface HeyReport {
  total: number;
  slowest: number;
  fastest: number;
  average: number;
  rps: number;
  sizeTotal: number;
  sizeReq: number;
  histogram: Array<{ mark: number; count: number }>;
  /** hey's seven percentiles; a `{percentage: 0, latency: 0}` where it found none (it prints those too). */
  latencyDistribution: Array<{ percentage: number; latency: number }>;
  /** Per phase: average, fastest, slowest. */
  details: Record<Phase, { avg: number; fastest: number; slowest: number }>;
  statusCodes: Array<[number, number]>;
  errors: Array<[string, number]>;
  /** Answers, errors included (what Requests/sec counts). */
  numRes: number;
  /** Answers with an HTTP status. */
  ok: number;
}

/**
 * hey's reporter, fed one answer at a time. It keeps the first million latencies in a
 * Float64Array for the histogram and percentiles (as hey keeps them), and sums, extremes and
 * counts for everything else, so memory stays flat however long the run. Past a million answers,
 * unlike hey (which divides the sum of all by the first million), the average and the status
 * codes count every answer.
 */
export class HeyStats {
  private numRes = 0;
  private ok = 0;
  private lats = new Float64Array(1024);
  private kept = 0;
  private sumDuration = 0;
  private readonly sums: Record<Phase, number> = { conn: 0, dns: 0, req: 0, delay: 0, res: 0 };
  private readonly mins: Record<Phase, number> = { conn: Infinity, dns: Infinity, req: Infinity, delay: Infinity, res: Infinity };
  private readonly maxs: Record<Phase, number> = { conn: -Infinity, dns: -Infinity, req: -Infinity, delay: -Infinity, res: -Infinity };
  private sizeTotal = 0;
  private readonly codes = new Map<number, number>();
  private readonly errors = new Map<string, number>();

  /** Adds one answer; true when hey would keep it (for its CSV: the first million answers with a status). */
  add(r: HeyResult): boolean {
    this.numRes++;
    if (r.error !== undefined) {
      this.errors.set(r.error, (this.errors.get(r.error) ?? 0) + 1);
      return false;
    }
    this.ok++;
    this.sumDuration += r.duration;
    for (const p of PHASES) {
      const v = r[p];
      this.sums[p] += v;
      if (v < this.mins[p]) this.mins[p] = v;
      if (v > this.maxs[p]) this.maxs[p] = v;
    }
    this.codes.set(r.status, (this.codes.get(r.status) ?? 0) + 1);
    if (r.contentLength > 0) this.sizeTotal += r.contentLength;
    if (this.kept >= HEY_MAX_RESULTS) return false;
    if (this.kept === this.lats.length) {
      const grown = new Float64Array(Math.min(this.lats.length * 2, HEY_MAX_RESULTS));
      grown.set(this.lats);
      this.lats = grown;
    }
    this.lats[this.kept++] = r.duration;
    return true;
  }

  /** The report for a run that took `total` seconds (report.go's `finalize` and `snapshot`). */
  report(total: number): HeyReport {
    const n = this.ok;
    const lats = this.lats.subarray(0, this.kept).sort();
    const details = {} as HeyReport['details'];
    for (const p of PHASES) details[p] = { avg: this.sums[p] / n, fastest: n > 0 ? this.mins[p] : 0, slowest: n > 0 ? this.maxs[p] : 0 };
    const fastest = lats.length > 0 ? lats[0]! : 0;
    const slowest = lats.length > 0 ? lats[lats.length - 1]! : 0;
    return {
      total,
      slowest,
      fastest,
      average: this.sumDuration / n,
      rps: this.numRes / total,
      sizeTotal: this.sizeTotal,
      sizeReq: n > 0 ? Math.trunc(this.sizeTotal / n) : 0,
      histogram: lats.length > 0 ? heyHistogram(lats, fastest, slowest) : [],
      latencyDistribution: lats.length > 0 ? heyLatencies(lats) : [],
      details,
      statusCodes: [...this.codes].sort((a, b) => a[0] - b[0]),
      // text/template ranges over a map in sorted key order.
      errors: [...this.errors].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
      numRes: this.numRes,
      ok: n,
    };
  }
}

/** report.go's `histogram`: ten equal buckets from the fastest to the slowest, and the slowest. */
export function heyHistogram(sorted: ArrayLike<number>, fastest: number, slowest: number): Array<{ mark: number; count: number }> {
  const bc = 10;
  const buckets = new Array<number>(bc + 1);
  const counts = new Array<number>(bc + 1).fill(0);
  const bs = (slowest - fastest) / bc;
  for (let i = 0; i < bc; i++) buckets[i] = fastest + bs * i;
  buckets[bc] = slowest;
  let bi = 0;
  for (let i = 0; i < sorted.length; ) {
    if (sorted[i]! <= buckets[bi]!) {
      i++;
      counts[bi]!++;
    } else if (bi < buckets.length - 1) bi++;
    // hey's loop would spin on a NaN; knsim's latencies are numbers.
    else break;
  }
  return buckets.map((mark, i) => ({ mark, count: counts[i]! }));
}

/** report.go's `latencies`: the first answer at or past each percentile by `i * 100 / n` (integer division). */
export function heyLatencies(sorted: ArrayLike<number>): Array<{ percentage: number; latency: number }> {
  const data = new Array<number>(HEY_PERCENTILES.length).fill(0);
  let j = 0;
  for (let i = 0; i < sorted.length && j < HEY_PERCENTILES.length; i++) {
    const current = Math.trunc((i * 100) / sorted.length);
    if (current >= HEY_PERCENTILES[j]!) data[j++] = sorted[i]!;
  }
  return HEY_PERCENTILES.map((p, i) => (data[i]! > 0 ? { percentage: p, latency: data[i]! } : { percentage: 0, latency: 0 }));
}

/**
 * Go's `%W.Pf`: rounding the exact binary value half to even (strconv), where JavaScript's
 * toFixed rounds an exact tie up; NaN and the infinities as Go writes them, padded to the width.
 */
export function goFixed(x: number, prec: number, width = 0): string {
  let s: string;
  if (Number.isNaN(x)) s = 'NaN';
  else if (x === Infinity) s = '+Inf';
  else if (x === -Infinity) s = '-Inf';
  else {
    s = x.toFixed(prec);
    const longer = Math.abs(x).toFixed(prec + 1);
    // An exact tie: the value's decimal expansion ends at the digit after the last kept one, a 5.
    if (longer.endsWith('5') && Math.abs(x).toFixed(Math.min(100, prec + 40)) === longer + '0'.repeat(Math.min(100, prec + 40) - prec - 1)) {
      const down = longer.slice(0, -1).replace(/\.$/, '');
      const lastKept = down.charCodeAt(down.length - 1) - 48;
      if (lastKept % 2 === 0) s = (x < 0 ? '-' : '') + down;
    }
  }
  return s.padStart(width);
}

const f4 = (x: number) => goFixed(x, 4, 4);

/**
 * What Go's fmt.Fprintf makes of a string given as the format with no arguments (hey prints its
 * rendered template so): `%%` is `%`, any other verb `%!v(MISSING)`.
 */
export function goPrintfNoArgs(s: string): string {
  return s.replace(/%([-+# 0]*\d*(?:\.\d*)?)([a-zA-Z%])?/g, (m, _flags: string, verb: string | undefined) => {
    if (verb === '%' && m === '%%') return '%';
    if (verb === undefined) return '%!(NOVERB)';
    return `%!${verb}(MISSING)`;
  });
}

/** hey's summary (print.go's defaultTmpl, then a newline), byte for byte. */
export function formatHey(r: HeyReport): string {
  const max = r.histogram.reduce((m, b) => Math.max(m, b.count), 0);
  const bars = r.histogram
    .map((b) => {
      const barLen = max > 0 ? Math.trunc((b.count * 40 + Math.trunc(max / 2)) / max) : 0;
      return `  ${goFixed(b.mark, 3, 4)} [${b.count}]\t|${'■'.repeat(barLen)}\n`;
    })
    .join('');
  const d = (p: Phase) => `${f4(r.details[p].avg)} secs, ${f4(r.details[p].fastest)} secs, ${f4(r.details[p].slowest)} secs`;
  const text =
    `\nSummary:\n` +
    `  Total:\t${f4(r.total)} secs\n` +
    `  Slowest:\t${f4(r.slowest)} secs\n` +
    `  Fastest:\t${f4(r.fastest)} secs\n` +
    `  Average:\t${f4(r.average)} secs\n` +
    `  Requests/sec:\t${f4(r.rps)}\n` +
    `  ${r.sizeTotal > 0 ? `\n  Total data:\t${r.sizeTotal} bytes\n  Size/request:\t${r.sizeReq} bytes` : ''}\n` +
    `\nResponse time histogram:\n${bars}\n` +
    `\nLatency distribution:${r.latencyDistribution.map((l) => `\n  ${l.percentage}%% in ${f4(l.latency)} secs`).join('')}\n` +
    `\nDetails (average, fastest, slowest):\n` +
    `  DNS+dialup:\t${d('conn')}\n` +
    `  DNS-lookup:\t${d('dns')}\n` +
    `  req write:\t${d('req')}\n` +
    `  resp wait:\t${d('delay')}\n` +
    `  resp read:\t${d('res')}\n` +
    `\nStatus code distribution:${r.statusCodes.map(([code, n]) => `\n  [${code}]\t${n} responses`).join('')}\n` +
    `\n${r.errors.length > 0 ? `Error distribution:${r.errors.map(([e, n]) => `\n  [${n}]\t${e}`).join('')}` : ''}\n`;
  return goPrintfNoArgs(text) + '\n';
}

/** The first line of `hey -o csv` (print.go's csvTmpl). */
export const HEY_CSV_HEADER = 'response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset';

/** One row of `hey -o csv`, with the newline hey writes before it. */
export function heyCsvRow(r: HeyResult): string {
  return `\n${f4(r.duration)},${f4(r.conn)},${f4(r.dns)},${f4(r.req)},${f4(r.delay)},${f4(r.res)},${r.status},${f4(r.offset)}`;
}

/** A number as hey prints it (`%4.4f`), as a JSON number; null where hey prints NaN or an infinity. */
function secs(x: number): number | null {
  return Number.isFinite(x) ? Number(goFixed(x, 4)) : null;
}

export interface HeyJson {
  summary: { total: number | null; slowest: number | null; fastest: number | null; average: number | null; requestsPerSecond: number | null };
  latencyDistribution: Record<'p10' | 'p25' | 'p50' | 'p75' | 'p90' | 'p95' | 'p99', number | null>;
  statusCodes: Record<string, number>;
  errors: Record<string, number>;
  revisions: Record<string, { readyPodsAtEnd: number; maxReadyPods: number }>;
}

/** `knsim hey --json`: hey's figures in seconds rounded as hey prints them; a percentile hey found no answer for is null. */
export function heyJson(r: HeyReport, revisions: HeyJson['revisions']): HeyJson {
  const lat = {} as HeyJson['latencyDistribution'];
  HEY_PERCENTILES.forEach((p, i) => {
    const l = r.latencyDistribution[i];
    lat[`p${p}` as keyof HeyJson['latencyDistribution']] = l !== undefined && l.percentage === p ? secs(l.latency) : null;
  });
  return {
    summary: { total: secs(r.total), slowest: secs(r.slowest), fastest: secs(r.fastest), average: secs(r.average), requestsPerSecond: secs(r.rps) },
    latencyDistribution: lat,
    statusCodes: Object.fromEntries(r.statusCodes.map(([c, n]) => [String(c), n])),
    errors: Object.fromEntries(r.errors),
    revisions,
  };
}
