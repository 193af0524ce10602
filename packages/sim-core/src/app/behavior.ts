import { parseDistribution, type Distribution } from '../engine/distributions.js';
import type { Rng } from '../engine/rng.js';
import { FieldError, errInvalidValue } from '../apis/field-error.js';
import { UserInputError } from '../apis/errors.js';
import type { HttpRequest } from '../net/http.js';
import { pathOnly, sampleAppFor, TEXT_PLAIN_HEADERS } from './samples.js';
import { testImageFor } from './test-images.js';

/** What a user container answers. */
export interface AppResult {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/** What a handler sees besides the request. */
export interface AppContext {
  /** The container's environment (spec env plus Knative's K_SERVICE, K_CONFIGURATION, K_REVISION, PORT). */
  env: Record<string, string>;
  revision: string;
  pod: string;
  nowMs: number;
  rng: Rng;
}

/**
 * What a program answers to one request, and the work that answer takes. Issue 17's workload
 * model: `delayMs` is wall time the handler waits without using CPU (Go's `time.Sleep`);
 * `cpuMs` is CPU time at one full core, shared with the container's other requests within its
 * CPU allowance; `memoryBytes` is memory the handler holds while it runs (the `bloat` of
 * Knative's autoscale image), counted against the container's memory limit.
 */
export interface AppAnswer extends AppResult {
  delayMs?: number;
  cpuMs?: number;
  memoryBytes?: number;
  /**
   * After `delayMs`, the program forwards the request it got (method, path, headers, body) as
   * Go's httputil.ReverseProxy does, to `url`'s host with Host `host`, through the cluster from
   * its pod; what comes back is its answer (Knative's httpproxy test image).
   */
  proxy?: ProxyCall;
}

/** Where a program sends the request it forwards (see AppAnswer.proxy). */
export interface ProxyCall {
  /** `http://host[:port]`: the address the program dials (resolved with the pod's DNS). */
  target: string;
  /** The Host header of the forwarded request. */
  host: string;
}

/**
 * One run of a program, from its process start to its exit (Go's globals live this long): a
 * container restart starts a new one. Made by `AppBehavior.start` with the container's
 * environment and the start time.
 */
export interface AppProcess {
  respond(req: HttpRequest, ctx: AppContext): AppAnswer;
  /** Time after the image's start-up before the program listens (e.g. a LISTEN_DELAY). */
  listenDelayMs: number;
  /** The process ends by itself this long after it starts, before or after it listens (null: it runs until stopped). */
  exit: AppExit | null;
  /**
   * An exec probe's command run in the container while it listens: its exit code, or null for a
   * command this program does not provide (knsim then passes the probe while the app is healthy).
   */
  exec?(command: readonly string[], ctx: AppContext): number | null;
}

/** How a program ends by itself: `os.Exit(code)`, `log.Fatal` (code 1). */
export interface AppExit {
  afterMs: number;
  code: number;
  /** What it logged last (the container's termination message). */
  message: string;
}

/** A handler registered through the API: answers a request, optionally after `delayMs`. */
export type UserHandler = (req: HttpRequest, ctx: AppContext) => AppAnswer;

/** How one container image behaves. */
export interface AppBehavior {
  /** 'helloworld-go', 'knative-routing-go', 'rest-api-go', 'generic', or the registered name. */
  name: string;
  startup: Distribution;
  serviceTime: Distribution;
  /** Fraction of requests answered 500 (0..1). */
  errorRate: number;
  /** How long each container instance stays healthy after it starts listening (null: always). */
  unhealthyAfter: Distribution | null;
  /** The one path that fails once unhealthy (null: every path). */
  unhealthyPath: string | null;
  respond(req: HttpRequest, ctx: AppContext): AppAnswer;
  /**
   * Whether `respond` looks at the request's headers (a registered handler may; the samples and
   * the generic app do not). What queue-proxy's reverse proxy adds to them is built only then.
   */
  readsHeaders: boolean;
  /** Starts one run of the program (a stateless image's run is its `respond`). */
  start(env: Record<string, string>, nowMs: number): AppProcess;
}

/**
 * What an image does by itself, before the annotations (the unhealthy-* ones exist only as
 * annotations). An image with per-process state, exits or delays has `start`; one that reads
 * request headers says so.
 */
export type ImageBehavior = Omit<AppBehavior, 'unhealthyAfter' | 'unhealthyPath' | 'readsHeaders' | 'start'> & {
  start?: AppBehavior['start'];
  readsHeaders?: boolean;
};

/** The annotations (on the revision template) that shape any container, sample or generic. */
export const APP_ANNOTATIONS = {
  response: 'knsim.dev/response',
  status: 'knsim.dev/status',
  serviceTime: 'knsim.dev/service-time',
  startupTime: 'knsim.dev/startup-time',
  errorRate: 'knsim.dev/error-rate',
  imagePullTime: 'knsim.dev/image-pull-time',
  /** After this long (a distribution, drawn per container start) the app answers 500 `unhealthy`. */
  unhealthyAfter: 'knsim.dev/unhealthy-after',
  /** Limits `unhealthy-after` to one path (a health endpoint), the others keep serving. */
  unhealthyPath: 'knsim.dev/unhealthy-path',
  /** Prefix of per-revision latency overrides: `knsim.dev/latency.podScheduling: 50ms`. */
  latencyPrefix: 'knsim.dev/latency.',
} as const;

/** `registry.example.com/ns/name:tag@sha256:…` → `name`. */
export function imageRepositoryName(image: string): string {
  let ref = image.split('@')[0]!;
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) ref = ref.slice(0, colon);
  return ref.slice(slash + 1);
}

/** Replaces `${NAME}` with the container's environment value (empty when unset). */
export function expandEnv(text: string, env: Record<string, string>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, k: string) => env[k] ?? '');
}

/**
 * Validates the knsim.dev/* annotations; paths are relative to `metadata.annotations`.
 * `latencyNames` are the latencies a `knsim.dev/latency.<name>` annotation may override (the
 * cluster's latency model).
 */
export function validateAppAnnotations(annotations: Record<string, string> | undefined, latencyNames: readonly string[]): FieldError | undefined {
  if (!annotations) return undefined;
  let errs: FieldError | undefined;
  const add = (e: FieldError) => (errs = errs ? errs.also(e) : e);
  for (const key of [APP_ANNOTATIONS.serviceTime, APP_ANNOTATIONS.startupTime, APP_ANNOTATIONS.imagePullTime, APP_ANNOTATIONS.unhealthyAfter]) {
    const v = annotations[key];
    if (v === undefined) continue;
    try {
      const d = parseDistribution(v);
      if (d.kind === 'constant' && d.mean < 0) add(errInvalidValue(v, key, 'a duration must not be negative'));
    } catch (e) {
      add(errInvalidValue(v, key, (e as Error).message));
    }
  }
  for (const [key, v] of Object.entries(annotations)) {
    if (!key.startsWith(APP_ANNOTATIONS.latencyPrefix)) continue;
    const name = key.slice(APP_ANNOTATIONS.latencyPrefix.length);
    if (!latencyNames.includes(name)) {
      add(errInvalidValue(v, key, `unknown latency ${JSON.stringify(name)} (known: ${latencyNames.join(', ')})`));
      continue;
    }
    try {
      parseDistribution(v);
    } catch (e) {
      add(errInvalidValue(v, key, (e as Error).message));
    }
  }
  const status = annotations[APP_ANNOTATIONS.status];
  if (status !== undefined && !(/^\d{3}$/.test(status) && Number(status) >= 100 && Number(status) <= 599)) {
    add(errInvalidValue(status, APP_ANNOTATIONS.status, 'want an HTTP status code from 100 to 599'));
  }
  const rate = annotations[APP_ANNOTATIONS.errorRate];
  if (rate !== undefined && !(rate.trim() !== '' && Number(rate) >= 0 && Number(rate) <= 1)) {
    add(errInvalidValue(rate, APP_ANNOTATIONS.errorRate, 'want a fraction from 0 to 1'));
  }
  const path = annotations[APP_ANNOTATIONS.unhealthyPath];
  if (path !== undefined) {
    if (!path.startsWith('/')) add(errInvalidValue(path, APP_ANNOTATIONS.unhealthyPath, 'want a path starting with "/"'));
    else if (annotations[APP_ANNOTATIONS.unhealthyAfter] === undefined) {
      add(errInvalidValue(path, APP_ANNOTATIONS.unhealthyPath, `${APP_ANNOTATIONS.unhealthyPath} needs ${APP_ANNOTATIONS.unhealthyAfter}`));
    }
  }
  return errs;
}

export interface BehaviorDefaults {
  startup: Distribution;
  serviceTime: Distribution;
}

/**
 * The behaviour of a container: a registered handler if one matches the image repository name,
 * else a well-known sample, else the generic app; annotations override any of them.
 */
export function resolveBehavior(
  image: string,
  annotations: Record<string, string>,
  defaults: BehaviorDefaults,
  registered: ReadonlyMap<string, UserHandler>,
): AppBehavior {
  const repo = imageRepositoryName(image);
  const handler = registered.get(repo) ?? registered.get(image);
  let base: ImageBehavior;
  if (handler) {
    base = { name: repo, startup: defaults.startup, serviceTime: defaults.serviceTime, errorRate: 0, respond: checkedHandler(repo, handler) };
  } else {
    base = sampleAppFor(repo, defaults) ?? testImageFor(repo, defaults) ?? genericApp(defaults);
  }
  const a = annotations;
  const response = a[APP_ANNOTATIONS.response];
  const status = a[APP_ANNOTATIONS.status];
  const overridden = response !== undefined || status !== undefined;
  const override =
    (inner: (req: HttpRequest, ctx: AppContext) => AppAnswer) =>
    (req: HttpRequest, ctx: AppContext): AppAnswer => {
      const r = inner(req, ctx);
      return {
        ...r,
        status: status !== undefined ? Number(status) : r.status,
        body: response !== undefined ? expandEnv(response, ctx.env) : r.body,
      };
    };
  const respond = overridden ? override(base.respond) : base.respond;
  const baseStart = base.start;
  const start: AppBehavior['start'] =
    baseStart === undefined
      ? () => ({ respond, listenDelayMs: 0, exit: null })
      : (env, nowMs) => {
          const p = baseStart(env, nowMs);
          return overridden ? { ...p, respond: override(p.respond) } : p;
        };
  return {
    name: base.name,
    startup: a[APP_ANNOTATIONS.startupTime] !== undefined ? parseDistribution(a[APP_ANNOTATIONS.startupTime]!) : base.startup,
    serviceTime: a[APP_ANNOTATIONS.serviceTime] !== undefined ? parseDistribution(a[APP_ANNOTATIONS.serviceTime]!) : base.serviceTime,
    errorRate: a[APP_ANNOTATIONS.errorRate] !== undefined ? Number(a[APP_ANNOTATIONS.errorRate]) : base.errorRate,
    unhealthyAfter: a[APP_ANNOTATIONS.unhealthyAfter] !== undefined ? parseDistribution(a[APP_ANNOTATIONS.unhealthyAfter]!) : null,
    unhealthyPath: a[APP_ANNOTATIONS.unhealthyPath] ?? null,
    respond,
    readsHeaders: handler !== undefined || base.readsHeaders === true,
    start,
  };
}

/**
 * A registered handler's answers checked as Go's net/http checks a status (WriteHeader panics
 * outside 100-999; knsim wants a real status, 100-599), a string body and string headers: the
 * mistake is the caller's, named with the image.
 */
function checkedHandler(image: string, handler: UserHandler): UserHandler {
  return (req, ctx) => {
    const r = handler(req, ctx);
    const bad = (what: string) => new UserInputError(`registered app ${JSON.stringify(image)} answered ${what}`);
    if (r === null || typeof r !== 'object') throw bad(`${String(r)}: want {status, body}`);
    if (!(Number.isInteger(r.status) && r.status >= 100 && r.status <= 599)) throw bad(`status ${JSON.stringify(r.status)}: want a whole number from 100 to 599`);
    if (typeof r.body !== 'string') throw bad(`a body of type ${r.body === null ? 'null' : typeof r.body}: want a string`);
    if (r.delayMs !== undefined && !(typeof r.delayMs === 'number' && Number.isFinite(r.delayMs) && r.delayMs >= 0)) throw bad(`delayMs ${String(r.delayMs)}: want a finite number >= 0`);
    for (const [k, v] of Object.entries(r.headers ?? {})) if (typeof v !== 'string') throw bad(`header ${JSON.stringify(k)} of type ${typeof v}: want a string`);
    if (r.proxy !== undefined) {
      const p = r.proxy as Partial<ProxyCall> | null;
      if (p === null || typeof p !== 'object' || typeof p.target !== 'string' || !/^https?:\/\/[^/?#]+$/.test(p.target) || typeof p.host !== 'string') {
        throw bad(`proxy ${JSON.stringify(r.proxy)}: want {target: "http://host[:port]", host: string}`);
      }
    }
    return r;
  };
}

/** Any other image: answers 200 `Hello from <revision>!` unless annotations say otherwise. */
export function genericApp(defaults: BehaviorDefaults): ImageBehavior {
  return {
    name: 'generic',
    startup: defaults.startup,
    serviceTime: defaults.serviceTime,
    errorRate: 0,
    respond: (_req, ctx) => ({ status: 200, body: `Hello from ${ctx.revision}!\n`, headers: TEXT_PLAIN_HEADERS }),
  };
}

/** What an app answers once past its `knsim.dev/unhealthy-after`. */
export const UNHEALTHY: AppAnswer = Object.freeze({ status: 500, body: 'unhealthy\n', headers: TEXT_PLAIN_HEADERS });

/**
 * Whether an unhealthy app fails a request for `target` (null: a probe without a path, exec or
 * gRPC): every request, or with `knsim.dev/unhealthy-path` only that path's.
 */
export function failsWhenUnhealthy(b: AppBehavior, target: string | null): boolean {
  if (b.unhealthyPath === null) return true;
  return target !== null && pathOnly(target) === b.unhealthyPath;
}
