import type { AppAnswer, BehaviorDefaults, ImageBehavior } from './behavior.js';
import type { HttpRequest } from '../net/http.js';
import { normal } from '../engine/distributions.js';

/**
 * Knative's autoscaling workload, from its Go source: the docs' sample `autoscale-go`
 * (knative/docs code-samples/serving/autoscale-go/autoscale.go, the image of the published
 * autoscale-go run) and the e2e test image `autoscale` (knative/serving
 * test/test_images/autoscale/autoscale.go). Query parameters, each consumed in its own goroutine
 * and waited for together (so the answer comes when the slowest is done):
 * - `sleep=MS`: time.Sleep, wall time without CPU (the test image also takes a Go duration, `13s`);
 * - `sleep-stddev=MS` (test image): the sleep is drawn from a normal distribution around `sleep`;
 * - `prime=N`: the sieve of Atkin up to N: CPU time, and the memory it allocates (N bools and a
 *   slice of 1,270,606 ints, allocated whatever N is);
 * - `bloat=MB`: a `make([]byte, MB MiB)`, held while the request runs (the test image writes every
 *   byte, which costs CPU too).
 * A value that is not a number is a 400 with strconv's message. The CPU figures are in
 * docs/calibration.md.
 */

/** CPU ms per number the sieve visits: the docs' "~1 cpu/sec/request" for prime=40000000 (docs/calibration.md). */
export const PRIME_CPU_MS_PER_N = 1000 / 40_000_000;
/**
 * CPU ms to allocate and clear one MiB on the Go heap (the runtime's memclr of a reused span,
 * page faults on fresh memory and the garbage collection it causes): the calibration against the
 * published autoscale-go run (docs/calibration.md).
 */
export const ALLOC_CPU_MS_PER_MIB = 3.5;
/** CPU ms to write every byte of one MiB in a Go loop (the test image's bloat): ~1 ns a byte (docs/calibration.md). */
export const TOUCH_CPU_MS_PER_MIB = 1.05;
/** `primes` always allocates `make([]int, 0, 1270606)`: 8-byte ints. */
const PRIMES_SLICE_BYTES = 1_270_606 * 8;
const MIB = 1024 * 1024;

const TEXT = Object.freeze({ 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
const JSONISH = Object.freeze({ 'content-type': 'text/plain; charset=utf-8' });

/** Go's `r.URL.Query().Get(name)`: the first value, decoded ('' when absent). */
function queryGet(target: string, name: string): string {
  const q = target.indexOf('?');
  if (q < 0) return '';
  for (const part of target.slice(q + 1).split('&')) {
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    if (decode(k) === name) return decode(eq < 0 ? '' : part.slice(eq + 1));
  }
  return '';
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** strconv.Atoi: an int or Go's error text. */
function atoi(value: string): number | string {
  if (/^[+-]?[0-9]+$/.test(value)) {
    const n = Number(value);
    if (Math.abs(n) <= 2 ** 63) return n;
    return `strconv.Atoi: parsing ${JSON.stringify(value)}: value out of range`;
  }
  return `strconv.Atoi: parsing ${JSON.stringify(value)}: invalid syntax`;
}

/** time.ParseDuration for the units a sleep uses (ns, us, µs, ms, s, m, h); ms or Go's error. */
function parseGoDuration(value: string): number | string {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const m = /^([+-]?)((?:[0-9]*\.?[0-9]+(?:ns|us|µs|μs|ms|s|m|h))+)$/.exec(value);
  if (m === null) return `time: invalid duration ${JSON.stringify(value)}`;
  let ms = 0;
  for (const part of m[2]!.matchAll(/([0-9]*\.?[0-9]+)(ns|us|µs|μs|ms|s|m|h)/g)) ms += Number(part[1]) * units[part[2]!]!;
  return m[1] === '-' ? -ms : ms;
}

/** Go's time.Duration String for a whole number of ms and up (`100ms`, `1.5s`, `1m0s`). */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${+ms.toFixed(6)}ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(9)}s`;
  const min = Math.floor(ms / 60_000);
  return `${min}m${+((ms - min * 60_000) / 1000).toFixed(9)}s`;
}

/** The largest prime the sieve reports for `max` (it lists primes up to max-2). */
function largestPrimeBelow(max: number): number | null {
  for (let n = max - 2; n >= 2; n--) {
    if (n < 4) return n;
    if (n % 2 === 0) continue;
    let prime = true;
    for (let d = 3; d * d <= n; d += 2) {
      if (n % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) return n;
  }
  return null;
}

/** CPU ms of `primes(max)`: the sieve plus clearing what it allocates. */
export function primeCpuMs(max: number): number {
  return max * PRIME_CPU_MS_PER_N + ((max + PRIMES_SLICE_BYTES) / MIB) * ALLOC_CPU_MS_PER_MIB;
}

interface Part {
  /** When the goroutine is done, roughly (orders the lines as they are written). */
  at: number;
  line: string;
}

const badRequest = (msg: string): AppAnswer => ({ status: 400, body: `${msg}\n`, headers: TEXT });

function respond(req: HttpRequest, testImage: boolean, rng: { next(): number }): AppAnswer {
  const target = req.path;
  // sleep: an int of ms; the test image also takes a Go duration.
  let sleepMs = 0;
  const sv = queryGet(target, 'sleep');
  let hasSleep = sv !== '';
  if (hasSleep) {
    const n = atoi(sv);
    if (typeof n === 'number') sleepMs = n;
    else if (testImage && n.endsWith('invalid syntax')) {
      const d = parseGoDuration(sv);
      if (typeof d === 'string') return badRequest(d);
      sleepMs = d;
    } else return badRequest(n);
  }
  const ints: Record<'sleep-stddev' | 'prime' | 'bloat', number> = { 'sleep-stddev': 0, prime: 0, bloat: 0 };
  const has = { 'sleep-stddev': false, prime: false, bloat: false };
  if (testImage && sleepMs < 0) return badRequest('Negative query params are not supported');
  for (const k of testImage ? (['sleep-stddev', 'prime', 'bloat'] as const) : (['prime', 'bloat'] as const)) {
    const v = queryGet(target, k);
    if (v === '') continue;
    const n = atoi(v);
    if (typeof n === 'string') return badRequest(n);
    ints[k] = n;
    has[k] = true;
    if (testImage && n < 0) return badRequest(k === 'bloat' ? 'Negative durations are not supported' : 'Negative query params are not supported');
  }
  // The docs' parseIntParam treats 0 as absent; the test image skips values <= 0.
  if (!testImage && sleepMs === 0) hasSleep = false;
  const parts: Part[] = [];
  let delayMs = 0;
  let cpuMs = 0;
  let memoryBytes = 0;
  if (hasSleep && sleepMs > 0) {
    if (testImage && has['sleep-stddev'] && ints['sleep-stddev'] > 0) {
      // randSleep: rand.NormFloat64()*stddev ms (truncated to whole ms) + the mean.
      const slept = Math.max(0, Math.trunc(normal(0, 1).sample(rng) * ints['sleep-stddev']) + sleepMs);
      delayMs = slept;
      parts.push({ at: slept, line: `Randomly slept for ${goDuration(slept)}.` });
    } else if (!(testImage && has['sleep-stddev'])) {
      delayMs = sleepMs;
      parts.push({ at: sleepMs, line: testImage ? `Slept for ${goDuration(sleepMs)}.` : `Slept for ${sleepMs.toFixed(2)} milliseconds.` });
    }
  }
  const max = ints.prime;
  if (has.prime && max > 0) {
    const c = primeCpuMs(max);
    cpuMs += c;
    memoryBytes += max + PRIMES_SLICE_BYTES;
    const p = largestPrimeBelow(max);
    parts.push({ at: c, line: p === null ? `There are no primes smaller than ${max}.` : `The largest prime less than ${max} is ${p}.` });
  }
  const mb = ints.bloat;
  if (has.bloat && mb > 0) {
    const c = mb * (ALLOC_CPU_MS_PER_MIB + (testImage ? TOUCH_CPU_MS_PER_MIB : 0));
    cpuMs += c;
    memoryBytes += mb * MIB;
    parts.push({ at: c, line: `Allocated ${mb} Mb of memory.` });
  }
  parts.sort((a, b) => a.at - b.at);
  const body = parts.map((p) => `${p.line}\n`).join('');
  return { status: 200, body, headers: JSONISH, delayMs, cpuMs, memoryBytes };
}

/** The behaviour of `autoscale-go` (the docs' sample) or `autoscale` (the e2e test image), or undefined. */
export function autoscaleImageFor(repo: string, d: BehaviorDefaults): ImageBehavior | undefined {
  if (repo !== 'autoscale-go' && repo !== 'autoscale') return undefined;
  const testImage = repo === 'autoscale';
  return { name: repo, ...d, errorRate: 0, respond: (req, ctx) => respond(req, testImage, ctx.rng) };
}
