/** A scenario: real manifests plus a timeline of load, changes and requests. */
export interface Scenario {
  name: string;
  description?: string;
  seed?: number;
  cluster?: ClusterSpec;
  manifests?: ManifestRef[];
  steps?: Step[];
  /** Assertions over the run's summary; `knsim run` exits 1 when one fails (k6's thresholds). */
  checks?: CheckSpec[];
}

export interface ClusterSpec {
  /** The default domain (config-domain). */
  domain?: string;
  /** Kubernetes' cluster domain (default cluster.local). */
  clusterDomain?: string;
  /** ConfigMap data overrides by ConfigMap name, with Knative's keys. */
  config?: Record<string, Record<string, string>>;
  /** Latency distributions overriding knsim's calibrated defaults, e.g. `imagePull: lognormal(4s,0.4)`. */
  latencies?: Record<string, string>;
  activators?: number;
  nodes?: number;
}

/** A manifest from a file (relative to the scenario file) or inline YAML. */
export type ManifestRef = { file: string } | { inline: string };

export interface ApplySpec {
  file?: string;
  inline?: string;
  /** Wait until every Knative Service is Ready and the control plane settled (default true). */
  wait?: boolean;
}

export interface RequestSpec {
  name: string;
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Send from a pod in this namespace (cluster DNS, the local gateway). */
  fromNamespace?: string;
  /** A 5xx (or no answer) is what this request is meant to get: not a failure of the run. */
  expect5xx?: boolean;
}

export type LoadShape = 'constant' | 'ramp' | 'step' | 'burst' | 'trace';

export interface LoadSpec {
  name: string;
  url?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  fromNamespace?: string;
  /** Open loop: requests per second (the starting rate for `ramp`, the baseline for `burst`). */
  rps?: number;
  /** Closed loop: virtual users, each sending when its last answer arrives. */
  concurrency?: number;
  /** Closed loop: pause between a user's requests (Go duration). */
  think?: string;
  /** Open-loop arrivals: poisson (default) or uniform (evenly spaced). */
  arrival?: 'poisson' | 'uniform';
  shape?: LoadShape;
  /** ramp: the rate reached at the end. */
  to?: number;
  /** step: consecutive stages. */
  stages?: Array<{ rps: number; duration: string }>;
  /** burst: `requests` sent at once every `every`, first at `at` (default 0s). */
  burst?: { requests: number; every: string; at?: string };
  /** trace: replay an Azure Functions per-minute invocation CSV. */
  trace?: { file: string; functions: Record<string, string>; fromMinute?: number; minutes?: number; spread?: 'uniform' | 'poisson' };
  duration?: string;
  /** Run alongside the following steps instead of before them. */
  background?: boolean;
  /** 5xx answers (or none) are expected of this load: not a failure of the run. */
  expect5xx?: boolean;
}

export interface LabelSpec {
  kind: string;
  name: string;
  namespace?: string;
  labels: Record<string, string | null>;
  wait?: boolean;
}

/** A fault to inject: `deletePod` is `kubectl delete pod` of a revision's pod (the oldest live one, or `pod`). */
export interface FaultSpec {
  deletePod: { revision: string; namespace?: string; pod?: string };
}

export interface DeleteSpec {
  kind: string;
  name: string;
  namespace?: string;
  wait?: boolean;
}

export type Step =
  | { apply: ApplySpec }
  | { load: LoadSpec }
  | { wait: string }
  | { request: RequestSpec }
  | { label: LabelSpec }
  | { delete: DeleteSpec }
  | { fault: FaultSpec };

/** A bound on an observed value: at least `min`, at most `max` (one or both). */
export interface Bound {
  min?: number;
  max?: number;
}

/** A bound on a latency in ms: numbers, or Go durations (`250ms`, `2s`). */
export interface LatencyBound {
  min?: number | string;
  max?: number | string;
}

/**
 * One check: a subject (exactly one of `load`, `revision`, `request`, by name) and exactly one
 * metric of it with its bound, optionally with a `name` to print.
 *
 * - a load: `share: {revision, min?, max?}` (percent of its answers that revision gave),
 *   `p50Ms`, `p90Ms`, `p99Ms`, `maxMs`, `meanMs` (latency), `status5xx`, `status4xx`,
 *   `noAnswer` (counts), `completed`;
 * - a revision: `coldStarts`, `maxReadyPods`, `readyPodsAtEnd`;
 * - a request step: `status`, `latencyMs`.
 */
export interface CheckSpec {
  name?: string;
  load?: string;
  revision?: string;
  request?: string;
  share?: Bound & { revision: string };
  p50Ms?: LatencyBound;
  p90Ms?: LatencyBound;
  p99Ms?: LatencyBound;
  maxMs?: LatencyBound;
  meanMs?: LatencyBound;
  status5xx?: Bound;
  status4xx?: Bound;
  noAnswer?: Bound;
  completed?: Bound;
  coldStarts?: Bound;
  maxReadyPods?: Bound;
  readyPodsAtEnd?: Bound;
  status?: Bound;
  latencyMs?: LatencyBound;
}

/** For scenario modules written in TypeScript or JavaScript: the same structure, typed. */
export function defineScenario(s: Scenario): Scenario {
  return s;
}
