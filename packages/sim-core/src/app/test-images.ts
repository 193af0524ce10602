import { parseDuration } from '../engine/duration.js';
import { SIMULATED_EPOCH_MS, splitPath, queryValues, type HttpRequest } from '../net/http.js';
import type { AppAnswer, AppContext, AppExit, AppProcess, BehaviorDefaults, ImageBehavior } from './behavior.js';
import { TEXT_PLAIN_HEADERS } from './samples.js';

/**
 * The images of Knative Serving's own test suite (knative/serving test/test_images/), answering
 * as their Go programs do. Knative's e2e tests push them under any registry, so they are matched
 * by the image's last path segment (`gcr.io/knative-e2e/singlethreaded`,
 * `ko://knative.dev/serving/test/test_images/timeout`, `…/timeout:latest`). Each follows the Go
 * file named at its entry; docs/cluster.md lists them.
 */

/** knative/serving test/conformance.go HelloWorldText. */
export const HELLO_WORLD_TEXT = 'Hello World! How about some tasty noodles?';

const text = (body: string, status = 200): AppAnswer => ({ status, body, headers: TEXT_PLAIN_HEADERS });

/** Go's net/http http.Error: the message and a newline, as text/plain. */
const httpError = (msg: string, status: number): AppAnswer => text(`${msg}\n`, status);

/** Go's http.NotFound from a ServeMux without a matching pattern. */
const NOT_FOUND: AppAnswer = Object.freeze(text('404 page not found\n', 404));

/** `r.URL.Query().Get(key)`: the first value, or "". */
function query(req: HttpRequest, key: string): string {
  return queryValues(splitPath(req.path).query, key)[0] ?? '';
}

/** Go's strconv.Atoi with the error ignored: a base-10 int64 or 0 (the images ignore the error). */
function atoi(s: string): number | null {
  if (!/^[+-]?\d+$/.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : null;
}

/** time.Sleep of `ms` milliseconds: nothing for zero or less. */
const sleepMs = (ms: number) => Math.max(0, ms);

/** knative.dev/networking pkg/http/header IsKubeletProbe: kubelet's User-Agent or K-Kubelet-Probe. */
function isKubeletProbe(req: HttpRequest): boolean {
  return (req.headers.getLower('user-agent') ?? '').startsWith('kube-probe') || req.headers.getLower('k-kubelet-probe') !== undefined;
}

/** A program that logs and exits at once (log.Fatal: code 1). */
function fatal(message: string): AppProcess {
  return { respond: () => NOT_FOUND, listenDelayMs: 0, exit: { afterMs: 0, code: 1, message } };
}

/** A stateless program that runs until stopped. */
const serving = (respond: AppProcess['respond']): AppProcess => ({ respond, listenDelayMs: 0, exit: null });

/** Go's time.ParseDuration of an env value, or the log.Fatal the images answer a bad one with. */
function envDuration(env: Record<string, string>, key: string): number | AppExit {
  const v = env[key];
  if (v === undefined || v === '') return 0;
  try {
    return parseDuration(v);
  } catch {
    return { afterMs: 0, code: 1, message: `time: invalid duration ${JSON.stringify(v)}` };
  }
}

/** Go's time.Now().UnixNano() on the simulated clock, exactly (beyond 2^53, so as a BigInt's digits). */
function unixNano(nowMs: number): string {
  return (BigInt(SIMULATED_EPOCH_MS) * 1_000_000n + BigInt(Math.round(nowMs * 1e6))).toString();
}

/** Go's RFC 3339 time with nanoseconds and trailing zeros trimmed (time.Time's JSON). */
function rfc3339Nano(nowMs: number): string {
  const whole = Math.floor(nowMs);
  const iso = new Date(SIMULATED_EPOCH_MS + whole).toISOString().slice(0, 19);
  const ns = Math.round((nowMs - whole) * 1e6) + (whole % 1000) * 1e6;
  const frac = ns === 0 ? '' : `.${String(ns).padStart(9, '0').replace(/0+$/, '')}`;
  return `${iso}${frac}Z`;
}

/** Go's http.CanonicalHeaderKey. */
function canonicalHeaderKey(k: string): string {
  return k.toLowerCase().replace(/(^|-)([a-z])/g, (_, sep: string, c: string) => sep + c.toUpperCase());
}

/** A JSON value as Go's json.Encoder with SetIndent("", "\t") writes it (maps with sorted keys). */
function goJson(v: unknown): string {
  return JSON.stringify(sortKeys(v), null, '\t');
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v as Record<string, unknown>).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
  return out;
}

/**
 * The readiness and healthprobes images' health: `healthy`, false until READY_DELAY has passed
 * since the process started and after `/start-failing`.
 */
class Health {
  private failing = false;
  constructor(private readonly healthyFrom: number) {}
  healthy(nowMs: number): boolean {
    return !this.failing && nowMs >= this.healthyFrom;
  }
  startFailing(): void {
    this.failing = true;
  }
}

/** The images, by the image's last path segment. */
export function testImageFor(repo: string, d: BehaviorDefaults): ImageBehavior | undefined {
  const image = (respond: ImageBehavior['respond'], extra: Partial<ImageBehavior> = {}): ImageBehavior => ({ name: repo, ...d, errorRate: 0, respond, ...extra });
  /** An image whose every run gets its own state from `start`; `respond` answers as a fresh run would. */
  const stateful = (start: NonNullable<ImageBehavior['start']>, extra: Partial<ImageBehavior> = {}): ImageBehavior => {
    let fresh: AppProcess | null = null;
    return image((req, ctx) => (fresh ??= start(ctx.env, 0)).respond(req, ctx), { start, ...extra });
  };
  switch (repo) {
    // test/test_images/helloworld/helloworld.go: fmt.Fprintln of HelloWorldText.
    case 'helloworld':
      return image(() => text(`${HELLO_WORLD_TEXT}\n`));
    // test/test_images/pizzaplanetv1/main.go, pizzaplanetv2/main.go (the blue-green and route tests).
    case 'pizzaplanetv1':
      return image(() => text('What a spaceport!'));
    case 'pizzaplanetv2':
      return image(() => text('Re-energize yourself with a slice of pepperoni!'));
    // test/test_images/timeout/timeout.go: sleeps `initialTimeout` ms, writes the 200 header and
    // flushes, sleeps `timeout` ms, then writes the body (unparsable numbers count as 0).
    case 'timeout':
      return image((req) => {
        const initial = atoi(query(req, 'initialTimeout')) ?? 0;
        const timeout = atoi(query(req, 'timeout')) ?? 0;
        return { ...text(`Slept for ${timeout} milliseconds`), delayMs: sleepMs(initial) + sleepMs(timeout) };
      });
    // test/test_images/singlethreaded/main.go: a request that finds another one inside (an atomic
    // flag held for the 500 ms sleep) is answered 500 with no body.
    case 'singlethreaded':
      return stateful(() => {
        let lockedUntil = -Infinity;
        return serving((_req, ctx) => {
          if (ctx.nowMs < lockedUntil) return { status: 500, body: '', headers: TEXT_PLAIN_HEADERS };
          lockedUntil = ctx.nowMs + 500;
          return { ...text('One at a time'), delayMs: 500 };
        });
      });
    // test/test_images/failing/failing.go: logs "Started...", sleeps 10 s, logs "Crashed..." and
    // exits with 5; it never listens.
    case 'failing':
      return stateful(() => ({ respond: () => NOT_FOUND, listenDelayMs: Infinity, exit: { afterMs: 10_000, code: 5, message: 'Crashed...' } }));
    // test/test_images/deadstart/deadstart.go: os.Exit(0) at once.
    case 'deadstart':
      return stateful(() => ({ respond: () => NOT_FOUND, listenDelayMs: Infinity, exit: { afterMs: 0, code: 0, message: '' } }));
    // test/test_images/flaky/main.go (knative/serving 0a912c78b8^): every request but kubelet's
    // probes counts; a count not divisible by PERIOD is answered 500, each with "count = N".
    case 'flaky':
      return stateful((env) => {
        const p = env.PERIOD;
        if (p === undefined) return fatal('Must specify PERIOD environment variable.');
        const period = /^\d+$/.test(p) ? Number(p) : NaN;
        if (!Number.isSafeInteger(period)) return fatal(`Error parsing "PERIOD" envvar as uint: strconv.ParseUint: parsing ${JSON.stringify(p)}: invalid syntax`);
        if (period < 1) return fatal('Period must be positive, got: 0');
        let count = 0;
        return serving((req) => {
          if (isKubeletProbe(req)) return { status: 200, body: '', headers: TEXT_PLAIN_HEADERS };
          count++;
          return text(`count = ${count}`, count % period > 0 ? 500 : 200);
        });
      });
    // test/test_images/readiness/readiness.go: health toggled by the test.
    case 'readiness':
      return stateful((env, startedAt) => healthImage(env, startedAt, 'readiness'));
    // test/test_images/healthprobes/health_probes.go (knative/serving bbf18504a6).
    case 'healthprobes':
      return stateful((env, startedAt) => healthImage(env, startedAt, 'healthprobes'));
    // test/test_images/observed-concurrency/observed_concurrency.go (knative/serving b066a0b74e^):
    // sleeps `timeout` ms and answers its start and end time in Unix nanoseconds.
    case 'observed-concurrency':
      return image((req, ctx) => {
        const ms = sleepMs(atoi(query(req, 'timeout')) ?? 0);
        return { ...text(`${unixNano(ctx.nowMs)},${unixNano(ctx.nowMs + ms)}\n`), delayMs: ms };
      });
    // test/test_images/envvars/envvars.go (knative/serving d525d17342^).
    case 'envvars':
      return image((_req, ctx) => text(`Here are our env vars service:${ctx.env.K_SERVICE ?? ''} - configuration:${ctx.env.K_CONFIGURATION ?? ''} - revision:${ctx.env.K_REVISION ?? ''}`));
    // test/test_images/environment/environment.go (knative/serving b2df6833b6^): /envvars answers
    // the environment as a JSON object; /filepath stats a path (knsim has no file system).
    case 'environment':
      return image((req, ctx) => {
        const p = splitPath(req.path).path;
        if (p === '/envvars') return text(JSON.stringify(sortKeys(ctx.env)));
        if (p === '/filepath') {
          const f = query(req, 'path');
          if (f === '') return text('no filepath found in queryparam');
          return text(`Error encountered retrieving info for path '${f}': stat ${f}: knsim simulates no file system`);
        }
        return NOT_FOUND;
      });
    // test/test_images/runtime/main.go and handlers/ (handler.go, runtime.go, request.go, env.go):
    // `/` answers the request and the environment as JSON (test/types/runtime.go RuntimeInfo);
    // `/healthz` answers kubelet's probes 200, anything else 400. Needs PORT.
    case 'runtime':
      return stateful(
        (env) =>
          env.PORT === undefined
            ? fatal('Environment variable PORT is not set.')
            : serving((req, ctx) => {
                if (splitPath(req.path).path === '/healthz') return { status: isKubeletProbe(req) ? 200 : 400, body: '', headers: TEXT_PLAIN_HEADERS };
                return { status: 200, body: `${goJson(runtimeInfo(req, ctx))}\n`, headers: RUNTIME_HEADERS };
              }),
        { readsHeaders: true },
      );
    // test/test_images/bloatingcow/bloatingcow.go (knative/serving 02288aff29^): allocates and
    // touches `memory_in_mb` MiB for the request, then answers "Moo!". A bad number is written
    // before the 400 header, so Go answers it with 200.
    case 'bloatingcow':
      return image((req) => {
        const m = query(req, 'memory_in_mb');
        if (m === '') return text('Moo!\n');
        const mb = atoi(m);
        if (mb === null) return text(`cannot convert ${m} to int`);
        return { ...text('Moo!\n'), memoryBytes: Math.max(0, mb) * 1024 * 1024 };
      });
    // test/test_images/httpproxy/httpproxy.go: a reverse proxy to TARGET_HOST (dialled at
    // GATEWAY_HOST when set) with the Host header reset to TARGET_HOST; 502 with Go's error when
    // the upstream cannot be reached.
    case 'httpproxy':
      return stateful(
        (env) => {
          const targetHost = env.TARGET_HOST ?? '';
          if (targetHost === '') return fatal('No value for env var "TARGET_HOST" provided.');
          const routed = env.GATEWAY_HOST || targetHost;
          const scheme = env.CA_CERT ? 'https' : 'http';
          return serving(() => ({ status: 502, body: '', headers: TEXT_PLAIN_HEADERS, proxy: { target: `${scheme}://${routed}`, host: targetHost } }));
        },
        { readsHeaders: true },
      );
    default:
      return undefined;
  }
}

/** runtime's response headers (handlers/handler.go withHeaders, runtime.go Content-Type). */
const RUNTIME_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'cache-control': 'no-cache, no-store, must-revalidate',
  pragma: 'no-cache',
  expires: '0',
  'content-type': 'application/json',
});

/**
 * test/types/runtime.go RuntimeInfo as the runtime image fills it: the request (handlers/request.go)
 * and the host's environment (handlers/env.go). knsim has no files, cgroups, mounts or users to
 * report, so `host` carries `envs` only.
 */
function runtimeInfo(req: HttpRequest, ctx: AppContext): unknown {
  const headers: Record<string, string[]> = {};
  for (const [k, v] of req.headers.entries()) {
    if (k.toLowerCase() === 'host') continue;
    (headers[canonicalHeaderKey(k)] ??= []).push(v);
  }
  return {
    request: { ts: rfc3339Nano(ctx.nowMs), uri: req.path, host: req.authority, method: req.method, headers, protoMajor: 1, protoMinor: 1 },
    host: { envs: ctx.env },
  };
}

/**
 * readiness.go and health_probes.go: `/` and `/healthz/readiness` answer HelloWorldText while
 * healthy (500 "not healthy" otherwise), `/start-failing` turns health off for this run;
 * READY_DELAY keeps it off after the start, LISTEN_DELAY delays listening. readiness also counts
 * liveness probes (`/healthz/liveness`, `/healthz/livenessCounter`) and has `/query?probe=ok`;
 * healthprobes' liveness always passes and it listens on 8080 whatever PORT says.
 */
function healthImage(env: Record<string, string>, startedAt: number, kind: 'readiness' | 'healthprobes'): AppProcess {
  const ready = envDuration(env, 'READY_DELAY');
  if (typeof ready !== 'number') return { ...fatal(ready.message), exit: ready };
  const listen = envDuration(env, 'LISTEN_DELAY');
  if (typeof listen !== 'number') return { ...fatal(listen.message), exit: listen };
  const health = new Health(startedAt + ready);
  let livenessCounter = 0;
  const readiness = (now: number) => (health.healthy(now) ? text(HELLO_WORLD_TEXT) : httpError('not healthy', 500));
  // With HEALTHCHECK_PORT the readiness image serves /readiness and /liveness on that port
  // instead; knsim's probes carry no port, so both sets of paths answer.
  const probePort = kind === 'readiness' && env.HEALTHCHECK_PORT !== undefined && env.HEALTHCHECK_PORT !== '';
  return {
    listenDelayMs: listen,
    exit: null,
    // `<binary> probe` (execProbeMain): GET /healthz/readiness on the app's port, exit 1 above 299.
    exec: (command, ctx) => (command[1] === 'probe' ? (readiness(ctx.nowMs).status > 299 ? 1 : 0) : null),
    respond: (req, ctx) => {
      const p = splitPath(req.path).path;
      const now = ctx.nowMs;
      if (p === '/start-failing') {
        health.startFailing();
        return text('will now fail readiness');
      }
      if (p === '/healthz/readiness' || (probePort && p === '/readiness')) return readiness(now);
      if (p === '/healthz/liveness' || (probePort && p === '/liveness')) {
        if (kind === 'healthprobes') return text(HELLO_WORLD_TEXT);
        if (!health.healthy(now)) return httpError('not healthy', 500);
        livenessCounter++;
        return text(String(livenessCounter));
      }
      if (kind === 'readiness' && p === '/healthz/livenessCounter') return text(String(livenessCounter));
      if (kind === 'readiness' && p === '/query') {
        // handleQuery writes the text and then calls http.Error: the 200 header has gone out.
        if (query(req, 'probe') === 'ok') return text(`${HELLO_WORLD_TEXT}no query\n`);
        return httpError('no query', 500);
      }
      return text(HELLO_WORLD_TEXT);
    },
  };
}
