import { Cluster, UserInputError, ZERO_TIME_RESEND_MS, parseDuration, type ClientRequest, type ClientResponse, type Event, type KnsimTraceEvent, type RevisionSample, type RevisionView, type Rng } from '@knsim/sim-core';
import { ScenarioError, type LoadedScenario } from './parse.js';
import type { FaultSpec, LoadSpec, PodFaultSpec, POD_FAULTS, Step } from './schema.js';
import { burstArrivals, constantArrivals, rampArrivals, stepArrivals, traceArrivals, type Arrival } from './arrivals.js';
import { parseAzureTrace, TraceFormatError } from './azure-trace.js';

export interface LoadResult {
  startMs: number;
  endMs: number;
  sent: number;
  completed: number;
  byStatus: Map<string, number>;
  byRevision: Map<string, number>;
  latencies: number[];
}

/** One line of `kubectl get pods -w`. */
export interface PodWatchLine {
  tMs: number;
  pod: string;
  ready: string;
  status: string;
}

/** A revision's scaling record at the end of a run. */
export interface RevisionResult {
  timeline: RevisionSample[];
  maxReadyPods: number;
  coldStarts: number;
}

/** One step of the scenario as it ran: what it was and when (simulated ms) it began and ended. */
export interface StepRecord {
  /** Its index in the scenario's `steps`. */
  index: number;
  kind: 'wait' | 'apply' | 'label' | 'delete' | 'request' | 'load' | 'fault';
  /** The step in a few words (`request cold GET http://…`, `apply revision-v2.yaml`). */
  what: string;
  /** The request's or load's name, for those steps. */
  name?: string;
  startMs: number;
  /** When the next step could begin (a background load's step ends at once; its load ends later). */
  endMs: number;
}

/** A manifest the run applied, with where it came from and when. */
export interface AppliedManifest {
  source: string;
  tMs: number;
  text: string;
}

export interface RunResult {
  /** The scenario's steps in order, with their times. */
  steps: StepRecord[];
  /** Every manifest applied, in order: the scenario's `manifests`, then each apply step's. */
  manifests: AppliedManifest[];
  /** Per revision, every pod phase or readiness change, as `kubectl get pods -w` shows them. */
  podWatch: Map<string, PodWatchLine[]>;
  /** Higress WasmPlugin decisions: per plugin, per decision (`allow`, `deny 401`, `limited 429`, …), a count. */
  plugins: Map<string, Map<string, number>>;
  /** Every revision's scaling record by name, in name order. */
  revisions: Map<string, RevisionResult>;
  scenario: string;
  description: string;
  seed: number;
  simulatedMs: number;
  loads: Map<string, LoadResult>;
  requests: Map<string, ClientResponse>;
  /** The cluster the scenario ran on, for a library user's further questions. */
  cluster: Cluster;
  warnings: string[];
  /** The faults the scenario's `fault` steps injected, in order. */
  faults: FaultRecord[];
  /** Present (false) when the run was stopped before its end (Ctrl-C): what happened until then. */
  complete?: false;
}

/** One injected fault: when, what, and on which object. */
export interface FaultRecord {
  tMs: number;
  fault: (typeof POD_FAULTS)[number] | 'appErrors' | 'appSlow' | 'imagePullFailure' | 'drainNode' | 'loseNode' | 'restartActivator' | 'restartGateway' | 'slowControlPlane';
  /** The revision a revision fault hit. */
  revision?: string;
  /** The node a node fault hit, and the pods it evicted. */
  node?: string;
  pods?: string[];
  /** The pod a pod fault hit (or the system pod a restart did). */
  pod?: string;
  /** restartActivator / restartGateway: the requests inside the pod, whose connections were reset. */
  requestsReset?: number;
  /** loseNode: when the node lifecycle controller marked the node's pods NotReady, and evicted them. */
  notReadyMs?: number;
  evictedMs?: number;
  /** When a windowed fault (appErrors, appSlow, imagePullFailure) ends. */
  endMs?: number;
}

export interface RunOptions {
  seed?: number;
  /** Called about every 5 simulated seconds with the clock and the requests answered so far. */
  onProgress?: (simulatedMs: number, requestsDone: number) => void;
  /** Run every autoscaler tick, even the ones that provably change nothing (the same results, slower; for tests). */
  alwaysTick?: boolean;
  /**
   * Trace listeners, attached to the cluster's trace bus before anything is applied: each gets
   * every event of the run, in order (a TraceRecorder's events, a Chrome trace, a report).
   */
  traceListeners?: ReadonlyArray<(event: KnsimTraceEvent) => void>;
  /** Called with the fresh cluster before anything is applied (to listen to its trace). */
  onCluster?: (cluster: Cluster) => void;
}

interface RunningLoad {
  result: LoadResult;
  done: Event<void>;
}

/** Runs a checked scenario on a fresh cluster. User mistakes become ScenarioErrors naming the step. */
export function runScenario(loaded: LoadedScenario, opts: RunOptions = {}): RunResult {
  const run = startScenario(loaded, opts);
  for (const _ of run.slices);
  return run.result();
}

/**
 * A scenario run taken a slice at a time: `slices` runs it, yielding between slices of
 * simulated work (at most SLICE_EVENTS events, or one readiness poll), so a caller can do
 * other work between them — the CLI answers Ctrl-C there. The slices run exactly the events one
 * `runScenario` would, in the same order: the results are the same however it is driven.
 */
export interface ScenarioRun {
  readonly slices: Generator<void, void, void>;
  /** The result: complete once `slices` is done; before that, what has happened so far (`complete: false`). */
  result(): RunResult;
}

/** The most events one slice of a scenario run takes (some milliseconds of wall time). */
const SLICE_EVENTS = 20_000;
/** The clock's exact range, 2^53 ns (Cluster.runUntil's limit). */
const MAX_TIME_MS = 2 ** 53 / 1e6;

/** Starts a scenario run to be driven a slice at a time (see ScenarioRun; runScenario runs it all). */
export function startScenario(loaded: LoadedScenario, opts: RunOptions = {}): ScenarioRun {
  const { spec, file } = loaded;
  const seed = opts.seed ?? spec.seed ?? 1;
  let cluster: Cluster;
  try {
    cluster = new Cluster({
      seed,
      ...(spec.cluster?.domain !== undefined ? { domain: spec.cluster.domain } : {}),
      ...(spec.cluster?.clusterDomain !== undefined ? { clusterDomain: spec.cluster.clusterDomain } : {}),
      ...(spec.cluster?.config ? { config: spec.cluster.config } : {}),
      ...(spec.cluster?.latencies ? { latencies: spec.cluster.latencies } : {}),
      ...(spec.cluster?.activators !== undefined ? { activators: spec.cluster.activators } : {}),
      ...(spec.cluster?.nodes !== undefined ? { nodes: spec.cluster.nodes } : {}),
      ...(spec.cluster?.nodeResources !== undefined ? { nodeResources: nodeResourcesOf(spec.cluster.nodeResources) } : {}),
      ...(opts.alwaysTick ? { alwaysTick: true } : {}),
    });
  } catch (e) {
    if (e instanceof UserInputError) throw new ScenarioError(`${file}: cluster: ${e.message}`);
    throw e;
  }
  opts.onCluster?.(cluster);
  const env = cluster.env;
  for (const l of opts.traceListeners ?? []) cluster.trace.on('*', l);
  const warnings: string[] = cluster.warnings.map((w) => `${file}: cluster.${w}`);
  const podWatch = new Map<string, PodWatchLine[]>();
  // Each pod's last line, by revision and pod (a pod name is unique within its revision).
  const lastLine = new Map<string, PodWatchLine>();
  cluster.trace.on('pod.phase', (e) => {
    let lines = podWatch.get(e.revision);
    if (lines === undefined) podWatch.set(e.revision, (lines = []));
    const key = `${e.revision}/${e.pod}`;
    const last = lastLine.get(key);
    // kubectl prints a line when the STATUS or READY column changes; a deleted pod just goes.
    if (e.phase === 'Terminated') lastLine.delete(key);
    else if (last === undefined || last.status !== e.phase || last.ready !== e.ready) {
      const line = { tMs: e.t, pod: e.pod, ready: e.ready, status: e.phase };
      lines.push(line);
      lastLine.set(key, line);
    }
  });
  const plugins = new Map<string, Map<string, number>>();
  cluster.trace.on('gateway.plugin', (e) => {
    const key = `${e.wasmPlugin} (${e.plugin})`;
    let m = plugins.get(key);
    if (m === undefined) plugins.set(key, (m = new Map()));
    m.set(e.decision, (m.get(e.decision) ?? 0) + 1);
  });
  const loads = new Map<string, LoadResult>();
  const requests = new Map<string, ClientResponse>();
  const faults: FaultRecord[] = [];
  const background: RunningLoad[] = [];
  let done = 0;
  if (opts.onProgress) {
    const report = opts.onProgress;
    const tick = () => {
      report(env.now, done);
      env.timeout(5000).addCallback(tick);
    };
    env.timeout(5000).addCallback(tick);
  }

  /** One change to the cluster: a user's mistake in it names `path` (`settle` then waits for it, unless told not to). */
  const change = (path: string, fn: () => void) => {
    try {
      fn();
    } catch (e) {
      if (e instanceof UserInputError) throw new ScenarioError(`${file}: ${path}: ${e.message}`);
      throw e;
    }
  };
  const settle = () => cluster.waitForReadySlices();
  /** cluster.runFor, in slices of at most SLICE_EVENTS events. */
  function* runFor(ms: number): Generator<void, void, void> {
    const until = env.now + ms;
    if (!(until <= MAX_TIME_MS)) cluster.runUntil(until); // its error
    while (!env.runSlice(until, SLICE_EVENTS)) yield;
  }
  /** env.run({ until: ev }), in slices of at most SLICE_EVENTS events; returns the event's value. */
  function* untilDone<T>(ev: Event<T>): Generator<void, T, void> {
    while (!env.runSlice(ev, SLICE_EVENTS)) yield;
    return ev.value;
  }
  const ref = (o: { kind: string; name: string; namespace?: string }) => ({ kind: o.kind, name: o.name, ...(o.namespace ? { namespace: o.namespace } : {}) });

  const manifests: AppliedManifest[] = [];
  const apply = (text: string, source: string) => {
    manifests.push({ source, tMs: env.now, text });
    warnings.push(...cluster.apply(text, { file: source }).warnings);
  };
  const steps = spec.steps ?? [];
  const records: StepRecord[] = [];
  let finished = false;
  function* slices(): Generator<void, void, void> {
    for (const [i, m] of loaded.manifests.entries()) {
      change(`manifests[${i}]`, () => apply(m.text, m.source));
      yield* settle();
    }

    const checkUrl = (url: string, fromNamespace: string | undefined, path: string) => {
      const host = /^https?:\/\/([^/?#:]+)/i.exec(url)?.[1]?.toLowerCase() ?? '';
      if (host === 'gateway' || /^\d+\.\d+\.\d+\.\d+$/.test(host)) return;
      const r = fromNamespace !== undefined ? cluster.resolveInCluster(host, fromNamespace, env.now) : cluster.resolveExternal(host);
      if (r.address === null) throw new ScenarioError(`${file}: ${path}: ${JSON.stringify(host)} resolves nowhere (${r.queries.join('; ')})`);
    };

    for (const [i, step] of steps.entries() as IterableIterator<[number, Step]>) {
      const path = `steps[${i}]`;
      const record = stepRecord(step, i, env.now);
      records.push(record);
      if ('wait' in step) {
        yield* runFor(parseDuration(step.wait));
      } else if ('apply' in step) {
        const a = step.apply;
        const text = a.file !== undefined ? loaded.files.get(a.file)! : a.inline!;
        change(`${path}.apply`, () => apply(text, a.file ?? `${file} ${path}.apply.inline`));
        if (a.wait !== false) yield* settle();
      } else if ('label' in step) {
        const l = step.label;
        change(`${path}.label`, () => cluster.label(ref(l), l.labels));
        if (l.wait !== false) yield* settle();
      } else if ('delete' in step) {
        const d = step.delete;
        change(`${path}.delete`, () => cluster.delete(ref(d)));
        if (d.wait !== false) yield* settle();
      } else if ('fault' in step) {
        const sf = step.fault;
        if ('drainNode' in sf) {
          change(`${path}.fault.drainNode`, () => {
            const pods = cluster.drainNode(sf.drainNode.node);
            faults.push({ tMs: env.now, fault: 'drainNode', node: sf.drainNode.node, pods });
          });
          record.endMs = env.now;
          continue;
        }
        if ('loseNode' in sf) {
          change(`${path}.fault.loseNode`, () => {
            const r = cluster.loseNode(sf.loseNode.node);
            faults.push({ tMs: env.now, fault: 'loseNode', node: sf.loseNode.node, pods: [...r.pods], notReadyMs: r.notReadyAtMs, evictedMs: r.evictedAtMs });
          });
          record.endMs = env.now;
          continue;
        }
        if ('restartActivator' in sf || 'restartGateway' in sf) {
          const kind = 'restartActivator' in sf ? 'restartActivator' : 'restartGateway';
          const pod = 'restartActivator' in sf ? sf.restartActivator.pod : sf.restartGateway.pod;
          change(`${path}.fault.${kind}`, () => {
            const r = kind === 'restartActivator' ? cluster.restartActivator(pod) : cluster.restartGateway(pod);
            faults.push({ tMs: env.now, fault: kind, pod: r.pod, requestsReset: r.requestsReset, endMs: r.readyAtMs });
          });
          record.endMs = env.now;
          continue;
        }
        if ('slowControlPlane' in sf) {
          const f = sf.slowControlPlane;
          change(`${path}.fault.slowControlPlane`, () => {
            const durationMs = parseDuration(f.duration);
            cluster.slowControlPlane(f.istioPush === undefined ? 0 : parseDuration(f.istioPush), f.endpoints === undefined ? 0 : parseDuration(f.endpoints), durationMs);
            faults.push({ tMs: env.now, fault: 'slowControlPlane', endMs: env.now + durationMs });
          });
          record.endMs = env.now;
          continue;
        }
        if ('appErrors' in sf || 'appSlow' in sf || 'imagePullFailure' in sf) {
          const kind = 'appErrors' in sf ? 'appErrors' : 'appSlow' in sf ? 'appSlow' : 'imagePullFailure';
          const f = 'appErrors' in sf ? sf.appErrors : 'appSlow' in sf ? sf.appSlow : sf.imagePullFailure;
          const ns = f.namespace ?? 'default';
          change(`${path}.fault.${kind}`, () => {
            const durationMs = parseDuration(f.duration);
            if ('appErrors' in sf) cluster.appErrors(f.revision, sf.appErrors.fraction, durationMs, ns);
            else if ('appSlow' in sf) cluster.appSlow(f.revision, parseDuration(sf.appSlow.latency), durationMs, ns);
            else cluster.imagePullFailure(f.revision, durationMs, ns);
            faults.push({ tMs: env.now, fault: kind, revision: f.revision, endMs: env.now + durationMs });
          });
          record.endMs = env.now;
          continue;
        }
        const [kind, f] = podFault(sf);
        const ns = f.namespace ?? 'default';
        change(`${path}.fault.${kind}`, () => {
          const live = cluster.pods(f.revision, ns).filter((p) => p.status !== 'Terminating' && p.status !== 'Terminated');
          const pod = f.pod ?? live[0]?.name;
          if (pod === undefined) throw new UserInputError(`revision ${ns}/${f.revision} has no live pod to ${kind === 'killPod' ? 'kill' : 'delete'}`);
          if (kind === 'killPod') cluster.killPod(f.revision, pod, ns);
          else cluster.deletePod(f.revision, pod, ns);
          faults.push({ tMs: env.now, fault: kind, revision: f.revision, pod });
        });
      } else if ('request' in step) {
        const r = step.request;
        checkUrl(r.url, r.fromNamespace, `${path}.request.url`);
        const ev = cluster.send({ url: r.url, ...requestFields(r) });
        requests.set(r.name, yield* untilDone(ev));
        done++;
      } else if ('load' in step) {
        const l = step.load;
        if (l.url) checkUrl(l.url, l.fromNamespace, `${path}.load.url`);
        for (const [h, u] of Object.entries(l.trace?.functions ?? {})) checkUrl(u, l.fromNamespace, `${path}.load.trace.functions.${h}`);
        const running = startLoad(cluster, l, loaded, `${path}.load`, () => done++);
        loads.set(l.name, running.result);
        if (l.background) background.push(running);
        else yield* untilDone(running.done);
      }
      record.endMs = env.now;
    }
    for (const b of background) yield* untilDone(b.done);
    opts.onProgress?.(env.now, done);
    finished = true;
  }
  return {
    slices: slices(),
    result: () => ({
      scenario: spec.name,
      description: spec.description ?? '',
      seed,
      simulatedMs: env.now,
      steps: records,
      manifests,
      loads,
      requests,
      revisions: revisionResults(cluster),
      cluster,
      warnings,
      podWatch,
      plugins,
      faults,
      ...(finished ? {} : { complete: false as const }),
    }),
  };
}

/** Which pod fault a `fault` step is, and its target. */
function podFault(f: FaultSpec & ({ deletePod: PodFaultSpec } | { killPod: PodFaultSpec })): [(typeof POD_FAULTS)[number], PodFaultSpec] {
  return 'killPod' in f ? ['killPod', f.killPod] : ['deletePod', f.deletePod];
}

/** A step in a few words, before it runs. */
function stepRecord(step: Step, index: number, startMs: number): StepRecord {
  const r = (kind: StepRecord['kind'], what: string, name?: string): StepRecord => ({ index, kind, what, ...(name !== undefined ? { name } : {}), startMs, endMs: startMs });
  const ref = (o: { kind: string; name: string; namespace?: string }) => `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
  if ('wait' in step) return r('wait', `wait ${step.wait}`);
  if ('apply' in step) return r('apply', `apply ${step.apply.file ?? 'inline manifest'}`);
  if ('label' in step) return r('label', `label ${ref(step.label)} ${Object.entries(step.label.labels).map(([k, v]) => (v === null ? `${k}-` : `${k}=${v}`)).join(' ')}`);
  if ('delete' in step) return r('delete', `delete ${ref(step.delete)}`);
  if ('request' in step) return r('request', `request ${step.request.name}: ${step.request.method ?? 'GET'} ${step.request.url}${step.request.fromNamespace ? ` from a pod in ${step.request.fromNamespace}` : ''}`, step.request.name);
  if ('fault' in step) {
    const sf = step.fault;
    if ('drainNode' in sf) return r('fault', `fault: drain ${sf.drainNode.node}`);
    if ('loseNode' in sf) return r('fault', `fault: lose ${sf.loseNode.node} (no drain)`);
    if ('restartActivator' in sf) return r('fault', `fault: restart activator ${sf.restartActivator.pod ?? '(the first)'}`);
    if ('restartGateway' in sf) return r('fault', `fault: restart gateway ${sf.restartGateway.pod ?? '(the first of istio-ingressgateway)'}`);
    if ('slowControlPlane' in sf) {
      const f = sf.slowControlPlane;
      return r('fault', `fault: slow control plane (Istio push +${f.istioPush ?? '0s'}, endpoints +${f.endpoints ?? '0s'}) for ${f.duration}`);
    }
    if ('appErrors' in sf) return r('fault', `fault: ${sf.appErrors.revision} answers 500 to ${sf.appErrors.fraction} of requests for ${sf.appErrors.duration}`);
    if ('appSlow' in sf) return r('fault', `fault: ${sf.appSlow.revision} answers ${sf.appSlow.latency} slower for ${sf.appSlow.duration}`);
    if ('imagePullFailure' in sf) return r('fault', `fault: pulling ${sf.imagePullFailure.revision}'s image fails for ${sf.imagePullFailure.duration}`);
    const [kind, f] = podFault(sf);
    return r('fault', `fault: ${kind === 'killPod' ? 'kill' : 'delete'} pod ${f.pod ?? `(the oldest of ${f.revision})`}${f.namespace ? ` in ${f.namespace}` : ''}`);
  }
  const l = step.load;
  return r('load', `load ${l.name}: ${describeLoad(l)}`, l.name);
}

function describeLoad(l: LoadSpec): string {
  const shape = l.shape ?? 'constant';
  const url = l.url ?? 'trace functions';
  const bg = l.background ? ', in the background' : '';
  if (shape === 'constant' && l.concurrency !== undefined) return `${l.concurrency} users for ${l.duration} against ${url}${bg}`;
  if (shape === 'constant') return `${l.rps} rps for ${l.duration} against ${url}${bg}`;
  if (shape === 'ramp') return `${l.rps} → ${l.to} rps over ${l.duration} against ${url}${bg}`;
  if (shape === 'step') return `${l.stages!.map((s) => `${s.rps} rps × ${s.duration}`).join(', ')} against ${url}${bg}`;
  if (shape === 'burst') return `bursts of ${l.burst!.requests} every ${l.burst!.every}${l.duration ? ` for ${l.duration}` : ''} against ${url}${bg}`;
  return `replay of ${l.trace!.file}${bg}`;
}

/**
 * Each revision's record by name. A name used in several namespaces reports the earliest created
 * revision of that name that still exists (revisionNames() lists names across namespaces).
 */
function revisionResults(cluster: Cluster): Map<string, RevisionResult> {
  const first = new Map<string, RevisionView>();
  for (const rt of cluster.revisions()) if (!first.has(rt.name)) first.set(rt.name, rt);
  const out = new Map<string, RevisionResult>();
  for (const name of cluster.revisionNames()) {
    const rt = first.get(name)!;
    out.set(name, { timeline: [...rt.timeline], maxReadyPods: rt.maxReadyPods, coldStarts: rt.coldStarts });
  }
  return out;
}

/** What a request step or a load sends besides its URL, tagged with its name. */
function requestFields(s: { name: string; method?: string; headers?: Record<string, string>; body?: string; fromNamespace?: string }): Omit<ClientRequest, 'url'> {
  return {
    ...(s.method ? { method: s.method } : {}),
    ...(s.headers ? { headers: s.headers } : {}),
    ...(s.body !== undefined ? { body: s.body } : {}),
    ...(s.fromNamespace ? { fromNamespace: s.fromNamespace } : {}),
    tag: s.name,
  };
}

function startLoad(cluster: Cluster, l: LoadSpec, loaded: LoadedScenario, path: string, onDone: () => void): RunningLoad {
  const env = cluster.env;
  const start = env.now;
  const result: LoadResult = { startMs: start, endMs: start, sent: 0, completed: 0, byStatus: new Map(), byRevision: new Map(), latencies: [] };
  const doneEv = env.event<void>();
  let inflight = 0;
  let generating = 0;
  const finishIfDone = () => {
    if (generating === 0 && inflight === 0 && !doneEv.triggered) {
      result.endMs = env.now;
      doneEv.succeed();
    }
  };
  const record = (r: ClientResponse) => {
    result.completed++;
    result.latencies.push(r.latencyMs);
    const s = String(r.status);
    result.byStatus.set(s, (result.byStatus.get(s) ?? 0) + 1);
    if (r.revision) result.byRevision.set(r.revision, (result.byRevision.get(r.revision) ?? 0) + 1);
    onDone();
  };
  const fields = requestFields(l);
  const send = (url: string): Event<ClientResponse> => {
    result.sent++;
    inflight++;
    const ev = cluster.send({ url, ...fields });
    ev.addCallback((e) => {
      inflight--;
      record(e.value);
      finishIfDone();
    });
    return ev;
  };
  const rng: Rng = cluster.rngFor(`load/${l.name}`);
  const arrival: Arrival = l.arrival ?? 'poisson';
  const durationMs = l.duration !== undefined ? parseDuration(l.duration) : 0;
  const openLoop = (times: Iterable<number>, url: string) => {
    generating++;
    env.process(
      (function* () {
        for (const t of times) {
          if (t > env.now) yield* env.timeoutAt(t);
          send(url);
        }
        generating--;
        finishIfDone();
      })(),
      `load ${l.name}`,
    );
  };
  const shape = l.shape ?? 'constant';
  // The step lasts its window even when the last arrival comes earlier (1 rps × 10 s sends its
  // last request at 9 s): the next step starts when the window is over and every answer is in.
  const windowMs =
    shape === 'step' ? l.stages!.reduce((a, s) => a + parseDuration(s.duration), 0)
    : shape === 'trace' ? traceMinutes(l, durationMs) * 60_000
    : durationMs;
  generating++;
  env.process(
    (function* () {
      yield* env.timeoutAt(start + windowMs);
      generating--;
      finishIfDone();
    })(),
    `load ${l.name} window`,
  );
  if (shape === 'constant' && l.concurrency !== undefined) {
    const think = l.think ? parseDuration(l.think) : 0;
    const end = start + durationMs;
    for (let u = 0; u < l.concurrency; u++) {
      generating++;
      env.process(
        (function* () {
          while (env.now < end) {
            const sentAt = env.now;
            yield* send(l.url!);
            if (think > 0) yield* env.timeout(think);
            // Like hey, a user sends again at once after an error; but an answer that took no
            // simulated time at all (a name that does not resolve, with external DNS at 0 ms)
            // would have it resend at the same instant forever: such a user waits 1 ms.
            else if (env.now === sentAt) yield* env.timeout(ZERO_TIME_RESEND_MS);
          }
          generating--;
          finishIfDone();
        })(),
        `load ${l.name} user ${u}`,
      );
    }
  } else if (shape === 'constant') openLoop(constantArrivals(rng, arrival, l.rps!, start, durationMs), l.url!);
  else if (shape === 'ramp') openLoop(rampArrivals(rng, arrival, l.rps!, l.to!, start, durationMs), l.url!);
  else if (shape === 'step') openLoop(stepArrivals(rng, arrival, l.stages!.map((s) => ({ rps: s.rps, durationMs: parseDuration(s.duration) })), start), l.url!);
  else if (shape === 'burst') {
    const b = l.burst!;
    openLoop(burstArrivals(rng, arrival, l.rps ?? 0, { requests: b.requests, everyMs: parseDuration(b.every), atMs: b.at ? parseDuration(b.at) : 0 }, start, durationMs), l.url!);
  } else {
    const t = l.trace!;
    let rows;
    try {
      rows = parseAzureTrace(loaded.files.get(t.file)!, t.file);
    } catch (e) {
      if (e instanceof TraceFormatError) throw new ScenarioError(`${loaded.file}: ${path}.trace.file: ${e.message}`);
      throw e;
    }
    const from = (t.fromMinute ?? 1) - 1;
    const minutes = traceMinutes(l, durationMs);
    for (const hash of Object.keys(t.functions).sort()) {
      const row = rows.find((r) => r.hashFunction === hash);
      if (!row) throw new ScenarioError(`${loaded.file}: ${path}.trace.functions.${hash}: no function with HashFunction ${JSON.stringify(hash)} in ${t.file}`);
      openLoop(traceArrivals(cluster.rngFor(`load/${l.name}/${hash}`), t.spread ?? 'poisson', row.perMinute.slice(from, from + minutes), start), t.functions[hash]!);
    }
  }
  finishIfDone();
  return { result, done: doneEv };
}

/** How many minutes of the trace a trace load replays. */
function traceMinutes(l: LoadSpec, durationMs: number): number {
  const from = (l.trace!.fromMinute ?? 1) - 1;
  return l.trace!.minutes ?? (durationMs > 0 ? Math.ceil(durationMs / 60_000) : 1440 - from);
}

/** A scenario's `cluster.nodeResources` (a string map) as the cluster option: `pods` is a number there. */
function nodeResourcesOf(m: Record<string, string>): Record<string, string | number> {
  const out: Record<string, string | number> = { ...m };
  if (m.pods !== undefined) out.pods = /^\d+$/.test(m.pods.trim()) ? Number(m.pods) : m.pods;
  return out;
}
