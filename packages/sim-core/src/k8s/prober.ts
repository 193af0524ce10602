/**
 * Container probes as kubelet runs them (k8s.io/kubernetes pkg/kubelet/prober): the core/v1
 * Probe with Kubernetes' defaults, the worker's rule for turning single outcomes into the result
 * that counts, and the worker itself.
 */
import type { Environment } from '../engine/environment.js';
import type { ProcessGenerator } from '../engine/process.js';

/** What a probe does: `http` (httpGet), `tcp` (tcpSocket), `exec`, `grpc`. */
export type ProbeHandler = 'http' | 'tcp' | 'exec' | 'grpc';

/** A core/v1 Probe with Kubernetes' defaults applied (periods and timeouts in seconds). */
export interface ProbeSpec {
  handler: ProbeHandler;
  /** httpGet.path ("/" when unset). */
  path: string;
  /** exec.command (an exec probe's; absent otherwise). */
  command?: readonly string[];
  initialDelaySeconds: number;
  periodSeconds: number;
  timeoutSeconds: number;
  successThreshold: number;
  failureThreshold: number;
}

/** The fields of a core/v1 Probe that kubelet's timing and handler depend on. */
export interface CoreProbe {
  httpGet?: { path?: string };
  tcpSocket?: unknown;
  exec?: unknown;
  grpc?: unknown;
  initialDelaySeconds?: number;
  timeoutSeconds?: number;
  periodSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
}

function execCommand(exec: unknown): string[] {
  const cmd = (exec as { command?: unknown } | null)?.command;
  return Array.isArray(cmd) ? cmd.filter((x): x is string => typeof x === 'string') : [];
}

export function probeHandler(p: CoreProbe): ProbeHandler {
  if (p.httpGet) return 'http';
  if (p.exec) return 'exec';
  if (p.grpc) return 'grpc';
  return 'tcp';
}

/**
 * The probe as the API server stores it in the pod: pkg/apis/core/v1/defaults.go
 * SetDefaults_Probe fills timeoutSeconds 1, periodSeconds 10, successThreshold 1 and
 * failureThreshold 3 where they are 0 or unset.
 */
export function makeProbeSpec(p: CoreProbe): ProbeSpec {
  return {
    handler: probeHandler(p),
    path: p.httpGet?.path || '/',
    ...(p.exec ? { command: execCommand(p.exec) } : {}),
    initialDelaySeconds: p.initialDelaySeconds ?? 0,
    periodSeconds: p.periodSeconds || 10,
    timeoutSeconds: p.timeoutSeconds || 1,
    successThreshold: p.successThreshold || 1,
    failureThreshold: p.failureThreshold || 3,
  };
}

/** One probe's outcome, with kubelet's message for a failure. */
export interface ProbeOutcome {
  ok: boolean;
  /** pkg/probe/http, pkg/probe/tcp: what kubelet reports ("HTTP probe failed with statuscode: 500"). */
  message: string;
}

/**
 * pkg/kubelet/prober/worker.go doProbe's bookkeeping: a result counts only after
 * `successThreshold` successes or `failureThreshold` failures in a row. `lastResult` and the run
 * survive a container restart (only `holdAfterFailure` clears the run), as the worker's do.
 */
export class ProbeResultRun {
  private lastResult: boolean | null = null;
  private resultRun = 0;

  constructor(private readonly spec: Pick<ProbeSpec, 'successThreshold' | 'failureThreshold'>) {}

  /** Records one outcome; returns the result it sets, or null when below its threshold. */
  record(ok: boolean): boolean | null {
    if (this.lastResult === ok) this.resultRun++;
    else {
      this.lastResult = ok;
      this.resultRun = 1;
    }
    const threshold = ok ? this.spec.successThreshold : this.spec.failureThreshold;
    return this.resultRun < threshold ? null : ok;
  }

  /** How many times in a row the last outcome came. */
  get run(): number {
    return this.resultRun;
  }

  /** A liveness or startup failure restarts the container: the worker holds and resets its run. */
  holdAfterFailure(): void {
    this.resultRun = 0;
  }
}

export type ProbeKind = 'startup' | 'readiness' | 'liveness';

/** What a probe worker needs of its container. */
export interface ProbedContainer {
  /** A process of the container runs. */
  readonly running: boolean;
  /** kubelet's `started`: the startup probe passed for this instance, or there is none. */
  readonly started: boolean;
  /** Counts the instances started (stands for the container ID, which changes on a restart). */
  readonly instance: number;
  /** When this instance started (State.Running.StartedAt), in ms. */
  readonly startedAt: number;
  /** One attempt of the probe against the container now. */
  check(spec: ProbeSpec): ProbeOutcome;
}

/** What the worker tells its pod. */
export interface ProbeListener {
  /** Every attempt, with the consecutive count of its outcome and whether it changed the result (for the trace). */
  probed(kind: ProbeKind, outcome: ProbeOutcome, consecutive: number, threshold: number, changed: boolean): void;
  /** The result that counts changed for the current instance. */
  resultChanged(kind: ProbeKind, result: boolean): void;
}

/**
 * One of kubelet's probe workers (pkg/kubelet/prober/worker.go): started when kubelet first syncs
 * the pod (kubelet.go SyncPod calls probeManager.AddPod before it creates the sandbox), it probes
 * at once and then on a periodSeconds ticker. An attempt counts only on a running container,
 * once `initialDelaySeconds` whole seconds have passed since it started, and — for startup —
 * before the container has started or — for readiness and liveness — after. Results belong to
 * one container instance: a new instance starts from the probe's initial value (readiness
 * Failure, liveness Success, startup Unknown). After a liveness or startup failure the worker
 * holds until kubelet has started a new instance.
 */
export class ProbeWorker {
  private readonly run: ProbeResultRun;
  private instance = -1;
  private onHold = false;
  private stopped = false;
  private resultValue: boolean | null = null;

  constructor(
    private readonly env: Environment,
    readonly kind: ProbeKind,
    readonly spec: ProbeSpec,
    private readonly container: ProbedContainer,
    private readonly listener: ProbeListener,
  ) {
    this.run = new ProbeResultRun(spec);
  }

  /**
   * The result kubelet holds for the container's current instance (the results manager keyed by
   * container ID): null when this instance has none yet.
   */
  get result(): boolean | null {
    return this.instance === this.container.instance ? this.resultValue : null;
  }

  /** The worker's loop: doProbe at once, then on every tick until it stops. */
  *loop(): ProcessGenerator<void> {
    let next = this.env.now;
    while (this.doProbe()) {
      next += this.spec.periodSeconds * 1000;
      yield* this.env.timeoutAt(next);
    }
  }

  /** The pod is going away (liveness and startup stop at its deletion timestamp). */
  stop(): void {
    this.stopped = true;
  }

  /**
   * One probe now, as doProbe. Also what prober_manager.go UpdatePodStatus's manual trigger of a
   * readiness probe without a result amounts to. Returns whether the worker keeps going.
   */
  doProbe(): boolean {
    if (this.stopped) return false;
    const c = this.container;
    if (!c.running) return true;
    if (c.instance !== this.instance) {
      this.instance = c.instance;
      this.resultValue = this.kind === 'readiness' ? false : this.kind === 'liveness' ? true : null;
      this.onHold = false;
    }
    if (this.onHold) return true;
    if (Math.floor((this.env.now - c.startedAt) / 1000) < this.spec.initialDelaySeconds) return true;
    if (c.started !== (this.kind !== 'startup')) return true;
    const outcome = c.check(this.spec);
    const result = this.run.record(outcome.ok);
    const changed = result !== null && result !== this.resultValue;
    this.listener.probed(this.kind, outcome, this.run.run, outcome.ok ? this.spec.successThreshold : this.spec.failureThreshold, changed);
    if (result === null) return true;
    if (!result && this.kind !== 'readiness') {
      this.onHold = true;
      this.run.holdAfterFailure();
    }
    if (changed) {
      this.resultValue = result;
      this.listener.resultChanged(this.kind, result);
    }
    return true;
  }
}
