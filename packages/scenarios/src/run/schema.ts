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
  /** Each node's allocatable `cpu`, `memory` (Kubernetes quantities) and `pods` (default a GKE n1-standard-4: 3920m, 12700Mi, 110). */
  nodeResources?: Record<string, string>;
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

/** One of a revision's pods: the oldest live one, or `pod`. */
export interface PodFaultSpec {
  revision: string;
  namespace?: string;
  pod?: string;
}

/**
 * A fault to inject, exactly one of: `deletePod`, `kubectl delete pod` of a revision's pod
 * (graceful: it drains); `killPod`, the pod dies at once (`--grace-period=0 --force`, or a crash:
 * the requests on it fail); `appErrors` and `appSlow`, the revision's program fails a fraction
 * of its requests (500) or answers more slowly for a while; `imagePullFailure`, pulling its
 * image fails for a while; `drainNode` and `loseNode`, a node drained or lost without a drain;
 * `restartActivator` and `restartGateway`, a system pod's container restarts;
 * `slowControlPlane`, Istio pushes and endpoint updates are slower for a while.
 */
export type FaultSpec =
  | { deletePod: PodFaultSpec }
  | { killPod: PodFaultSpec }
  | { appErrors: AppErrorsSpec }
  | { appSlow: AppSlowSpec }
  | { imagePullFailure: ImagePullFailureSpec }
  | { drainNode: { node: string } }
  | { loseNode: { node: string } }
  | { restartActivator: RestartSpec }
  | { restartGateway: RestartSpec }
  | { slowControlPlane: SlowControlPlaneSpec };

/** Which system pod restarts (`restartActivator`, `restartGateway`): default the first by name. */
export interface RestartSpec {
  pod?: string;
}

/** For `duration` from now, each Istio push takes `istioPush` longer and each endpoints update `endpoints` longer. */
export interface SlowControlPlaneSpec {
  istioPush?: string;
  endpoints?: string;
  duration: string;
}

/** For `duration` from now, pulling the revision's image fails (new pods back off in ImagePullBackOff). */
export interface ImagePullFailureSpec {
  revision: string;
  namespace?: string;
  duration: string;
}

/** For `duration` from now, `fraction` (0–1) of the revision's requests answer 500, then it recovers. */
export interface AppErrorsSpec {
  revision: string;
  namespace?: string;
  fraction: number;
  duration: string;
}

/** For `duration` from now, each of the revision's requests takes `latency` longer, then it recovers. */
export interface AppSlowSpec {
  revision: string;
  namespace?: string;
  latency: string;
  duration: string;
}

/** The pod faults, in the order the checker names them. */
export const POD_FAULTS = ['deletePod', 'killPod'] as const;

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

/**
 * The fields of each map in a scenario file, with their types: the one definition the checker
 * (`parse.ts`, which allows exactly these keys and these enum values) and the JSON Schema
 * (`scenarioJsonSchema`, for editors) are both made from.
 */
export type FieldType =
  | { type: 'string' | 'boolean' | 'duration' | 'url' | 'stringMap' | 'nullableStringMap' | 'configMaps' }
  | { type: 'number' | 'integer'; minimum?: number; exclusiveMinimum?: number }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'object'; of: ObjectName }
  | { type: 'list'; of: ObjectName }
  | { type: 'latency' };

export interface Field {
  doc: string;
  required?: boolean;
  spec: FieldType;
}

export type ObjectName = 'scenario' | 'cluster' | 'manifest' | 'apply' | 'request' | 'load' | 'stage' | 'burst' | 'trace' | 'label' | 'delete' | 'fault' | 'deletePod' | 'appErrors' | 'appSlow' | 'imagePullFailure' | 'drainNode' | 'loseNode' | 'restartActivator' | 'restartGateway' | 'slowControlPlane' | 'step' | 'check' | 'bound' | 'latencyBound' | 'shareBound';

const str = (doc: string, required = false): Field => ({ doc, spec: { type: 'string' }, ...(required ? { required } : {}) });
const dur = (doc: string, required = false): Field => ({ doc, spec: { type: 'duration' }, ...(required ? { required } : {}) });
const bool = (doc: string): Field => ({ doc, spec: { type: 'boolean' } });
const int = (doc: string, minimum?: number): Field => ({ doc, spec: { type: 'integer', ...(minimum !== undefined ? { minimum } : {}) } });
const obj = (of: ObjectName, doc: string): Field => ({ doc, spec: { type: 'object', of } });

export const LOAD_SHAPES: readonly LoadShape[] = ['constant', 'ramp', 'step', 'burst', 'trace'];
export const ARRIVALS = ['poisson', 'uniform'] as const;
export const STEP_KINDS = ['apply', 'load', 'wait', 'request', 'label', 'delete', 'fault'] as const;

const REQUEST_COMMON: Record<string, Field> = {
  method: str('HTTP method (default GET, POST with a body)'),
  headers: { doc: 'request headers', spec: { type: 'stringMap' } },
  body: str('request body'),
  fromNamespace: str('send from a pod in this namespace (cluster DNS, the local gateway)'),
  expect5xx: bool('5xx answers (or none) are its point: not a failure of the run'),
};

const BOUND: Record<string, Field> = { min: { doc: 'at least', spec: { type: 'number' } }, max: { doc: 'at most', spec: { type: 'number' } } };
const LATENCY_BOUND: Record<string, Field> = { min: { doc: 'at least (ms, or a Go duration)', spec: { type: 'latency' } }, max: { doc: 'at most (ms, or a Go duration)', spec: { type: 'latency' } } };

export const FIELDS: Readonly<Record<Exclude<ObjectName, 'step' | 'check'>, Readonly<Record<string, Field>>>> = {
  scenario: {
    name: str('letters, digits, - _ .', true),
    description: str('one line'),
    seed: int('default 1; knsim run --seed overrides it'),
    cluster: obj('cluster', 'the cluster: domains, ConfigMaps, latencies, replicas'),
    manifests: { doc: 'applied in order at t=0, each waited on until Ready', spec: { type: 'list', of: 'manifest' } },
    steps: { doc: 'run in order on the simulated clock', spec: { type: 'list', of: 'step' } },
    checks: { doc: "assertions over the summary; a failed one makes knsim run exit 1", spec: { type: 'list', of: 'check' } },
  },
  cluster: {
    domain: str("config-domain's default domain (default example.com)"),
    clusterDomain: str("Kubernetes' cluster domain (default cluster.local)"),
    config: { doc: "ConfigMap data overrides by ConfigMap name, Knative's keys", spec: { type: 'configMaps' } },
    latencies: { doc: 'overrides of the calibrated latencies, e.g. imagePull: lognormal(4s,0.4)', spec: { type: 'stringMap' } },
    activators: int('activator replicas (default 1)', 1),
    nodes: int('worker nodes (default 3)', 1),
    nodeResources: { doc: "each node's allocatable cpu, memory (quantities) and pods (default 3920m, 12700Mi, 110; docs/calibration.md)", spec: { type: 'stringMap' } },
  },
  manifest: { file: str('a manifest file, relative to the scenario file'), inline: str('manifest YAML') },
  apply: { file: str('a manifest file, relative to the scenario file'), inline: str('manifest YAML'), wait: bool('wait until Ready (default true)') },
  request: { name: str('the name the summary reports it under', true), url: { doc: 'http:// or https:// URL', required: true, spec: { type: 'url' } }, ...REQUEST_COMMON },
  load: {
    name: str('the name the summary reports it under', true),
    url: { doc: 'http:// or https:// URL (not for a trace load)', spec: { type: 'url' } },
    method: REQUEST_COMMON.method!,
    headers: REQUEST_COMMON.headers!,
    body: REQUEST_COMMON.body!,
    fromNamespace: REQUEST_COMMON.fromNamespace!,
    rps: { doc: 'open loop: requests per second (the start of a ramp, the baseline of a burst)', spec: { type: 'number', exclusiveMinimum: 0 } },
    concurrency: int('closed loop: virtual users', 1),
    think: dur("closed loop: pause between a user's requests"),
    arrival: { doc: 'open-loop arrivals (default poisson)', spec: { type: 'enum', values: ARRIVALS } },
    shape: { doc: 'default constant', spec: { type: 'enum', values: LOAD_SHAPES } },
    to: { doc: 'ramp: the final rate', spec: { type: 'number', minimum: 0 } },
    stages: { doc: 'step: consecutive stages', spec: { type: 'list', of: 'stage' } },
    burst: obj('burst', 'burst: requests sent at once every `every`'),
    trace: obj('trace', 'trace: replay an Azure Functions per-minute invocation CSV'),
    duration: dur('how long it sends'),
    background: bool('run alongside the following steps'),
    expect5xx: REQUEST_COMMON.expect5xx!,
  },
  stage: { rps: { doc: 'requests per second', required: true, spec: { type: 'number', minimum: 0 } }, duration: dur('how long', true) },
  burst: { requests: { ...int('requests sent at once', 1), required: true }, every: dur('the period', true), at: dur('the first burst (default 0s)') },
  trace: {
    file: str('the CSV file, relative to the scenario file', true),
    functions: { doc: 'HashFunction → URL', required: true, spec: { type: 'stringMap' } },
    fromMinute: int('1-based (default 1)', 1),
    minutes: int("default: the load's duration, else the rest of the day", 1),
    spread: { doc: "a minute's count at random times (poisson, default) or evenly spaced (uniform)", spec: { type: 'enum', values: ['poisson', 'uniform'] } },
  },
  label: { kind: str('the kind (Service, Route, …)', true), name: str('the object', true), namespace: str('default: default'), labels: { doc: 'null removes a label', required: true, spec: { type: 'nullableStringMap' } }, wait: bool('wait until Ready (default true)') },
  delete: { kind: str('the kind (Service, Route, …)', true), name: str('the object', true), namespace: str('default: default'), wait: bool('wait until Ready (default true)') },
  fault: {
    deletePod: obj('deletePod', '`kubectl delete pod` of one of a revision\'s pods (graceful)'),
    killPod: obj('deletePod', 'one of a revision\'s pods dies at once (force delete, crash)'),
    appErrors: obj('appErrors', 'a revision\'s program answers 500 to a fraction of requests for a while'),
    appSlow: obj('appSlow', 'a revision\'s program answers more slowly for a while'),
    imagePullFailure: obj('imagePullFailure', 'pulling a revision\'s image fails for a while'),
    drainNode: obj('drainNode', '`kubectl drain` of a node: cordoned, its pods evicted gracefully'),
    loseNode: obj('loseNode', 'a node disappears without a drain: its pods stop answering, NotReady after 40 s, evicted after 300 s more'),
    restartActivator: obj('restartActivator', 'an activator pod\'s container restarts: its requests fail, it leaves the endpoints until Ready'),
    restartGateway: obj('restartGateway', 'an ingress gateway pod\'s Envoy restarts: its requests fail, it leaves the endpoints until Ready'),
    slowControlPlane: obj('slowControlPlane', 'Istio pushes and endpoint updates take longer for a while'),
  },
  drainNode: { node: str('the node (node-1, node-2, …)', true) },
  loseNode: { node: str('the node (node-1, node-2, …)', true) },
  restartActivator: { pod: str('the activator pod (default: the first by name)') },
  restartGateway: { pod: str('the gateway pod (default: the first of istio-ingressgateway)') },
  slowControlPlane: { istioPush: dur('added to each Istio push to the gateways (default 0s)'), endpoints: dur('added to each endpoints update (default 0s)'), duration: dur('how long (Go duration)', true) },
  imagePullFailure: { revision: str('the revision', true), namespace: str('default: default'), duration: dur('how long (Go duration)', true) },
  appErrors: {
    revision: str('the revision', true),
    namespace: str('default: default'),
    fraction: { doc: 'the fraction of requests that fail, 0 to 1', required: true, spec: { type: 'number', minimum: 0 } },
    duration: dur('how long (Go duration)', true),
  },
  appSlow: { revision: str('the revision', true), namespace: str('default: default'), latency: dur('added to each request (Go duration)', true), duration: dur('how long (Go duration)', true) },
  deletePod: { revision: str('the revision', true), pod: str('the pod (default: the oldest live one)'), namespace: str('default: default') },
  bound: BOUND,
  latencyBound: LATENCY_BOUND,
  shareBound: { revision: str('the revision', true), ...BOUND },
};

/** The fields a check may have besides its metric: its subject (one of these) and a name to print. */
export const CHECK_SUBJECTS = ['load', 'revision', 'request'] as const;

/** For scenario modules written in TypeScript or JavaScript: the same structure, typed. */
export function defineScenario(s: Scenario): Scenario {
  return s;
}
