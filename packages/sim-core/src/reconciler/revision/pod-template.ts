import { AppFaults } from '../../app/app-faults.js';
import { parseDistribution } from '../../engine/distributions.js';
import type { Probe, Revision } from '../../apis/serving/v1/types.js';
import { ServingLabels } from '../../apis/serving/v1/types.js';
import type { ServingConfig } from '../../apis/config/serving-config.js';
import { APP_ANNOTATIONS, resolveBehavior, type UserHandler } from '../../app/behavior.js';
import type { PodTemplate, ReadinessSettings, UserContainerProbes } from '../../k8s/pod.js';
import { makeProbeSpec } from '../../k8s/prober.js';
import { makeLatencyModel, type LatencyModel } from '../../apis/config/latencies.js';
import { effectiveTimeoutMs } from '../../queue/queue-proxy.js';
import { dict } from '../../apis/dict.js';
import { containerResources, type ContainerResources } from '../../k8s/resources.js';
import type { DeploymentConfig } from '../../apis/config/deployment.js';

/** queue-proxy's resources from config-deployment (resources/queue.go createQueueResources: the queue-sidecar-* keys; 25m CPU requested by default). */
export function queueProxyResources(d: DeploymentConfig): ContainerResources {
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  if (d.queueSidecarCPURequest !== undefined) requests.cpu = d.queueSidecarCPURequest;
  if (d.queueSidecarMemoryRequest !== undefined) requests.memory = d.queueSidecarMemoryRequest;
  if (d.queueSidecarCPULimit !== undefined) limits.cpu = d.queueSidecarCPULimit;
  if (d.queueSidecarMemoryLimit !== undefined) limits.memory = d.queueSidecarMemoryLimit;
  return containerResources({ requests, limits });
}

/** The Knative container env every user container gets (K_SERVICE, K_CONFIGURATION, K_REVISION, PORT). */
export function containerEnv(rev: Revision): Record<string, string> {
  const c = rev.spec.containers[0]!;
  const env = dict<string>();
  for (const e of c.env ?? []) if (e.value !== undefined) env[e.name] = e.value;
  const port = c.ports?.[0]?.containerPort ?? 8080;
  env.PORT = String(port);
  env.K_REVISION = rev.metadata.name;
  env.K_CONFIGURATION = rev.metadata.labels?.[ServingLabels.configuration] ?? '';
  env.K_SERVICE = rev.metadata.labels?.[ServingLabels.service] ?? '';
  return env;
}

/**
 * The user's readiness probe as Knative hands it to queue-proxy (resources/queue.go,
 * SERVING_READINESS_PROBE): TCP on the user port unless an httpGet is given (an exec probe
 * becomes TCP: applyReadinessProbeDefaults); periodSeconds 0 (unset) means queue-proxy's
 * aggressive probing. kubelet's own probe of queue-proxy is a copy of the user's probe, with
 * Kubernetes' defaults for what is 0.
 */
export function readinessSettings(rev: Revision): ReadinessSettings {
  const p = rev.spec.containers[0]?.readinessProbe;
  return {
    type: p?.httpGet ? 'http' : 'tcp',
    path: p?.httpGet?.path ?? '/',
    periodSeconds: p?.periodSeconds ?? 0,
    // resources/queue.go: the user's probe with its handler replaced by an httpGet of
    // queue-proxy's port carrying `K-Network-Probe: queue`.
    kubelet: makeProbeSpec({ ...p, httpGet: {} }),
  };
}

/**
 * The probes kubelet runs on the user container itself: its startup and liveness probes, and an
 * exec readiness probe, which resources/deploy.go makeContainer leaves on the container (httpGet,
 * tcpSocket and grpc readiness probes move to queue-proxy).
 */
export function userContainerProbes(rev: Revision): UserContainerProbes {
  const c = rev.spec.containers[0];
  const spec = (p: Probe | undefined) => (p ? makeProbeSpec(p) : null);
  return {
    startup: spec(c?.startupProbe),
    liveness: spec(c?.livenessProbe),
    readiness: c?.readinessProbe?.exec ? makeProbeSpec(c.readinessProbe) : null,
  };
}

/** Everything a revision's pods are made from. */
export function makePodTemplate(rev: Revision, config: ServingConfig, latencies: LatencyModel, registered: ReadonlyMap<string, UserHandler>): PodTemplate {
  const c = rev.spec.containers[0]!;
  const annotations = rev.metadata.annotations ?? {};
  const s = (x: number | undefined) => (x ?? 0) * 1000;
  const timeoutSeconds = rev.spec.timeoutSeconds ?? config.defaults.revisionTimeoutSeconds;
  // revision_defaults.go: responseStartTimeoutSeconds defaults from config only when it is below timeoutSeconds.
  const rst = rev.spec.responseStartTimeoutSeconds;
  const pull = annotations[APP_ANNOTATIONS.imagePullTime];
  const overrides: Record<string, string> = {};
  for (const [k, v] of Object.entries(annotations)) if (k.startsWith(APP_ANNOTATIONS.latencyPrefix)) overrides[k.slice(APP_ANNOTATIONS.latencyPrefix.length)] = v;
  const revLatencies: LatencyModel = Object.keys(overrides).length === 0 ? latencies : { ...latencies, ...makeLatencyModel(overrides as never, latencies) };
  return {
    namespace: rev.metadata.namespace ?? 'default',
    revision: rev.metadata.name,
    configuration: rev.metadata.labels?.[ServingLabels.configuration] ?? '',
    service: rev.metadata.labels?.[ServingLabels.service] ?? '',
    image: c.image ?? '',
    env: containerEnv(rev),
    behavior: resolveBehavior(c.image ?? '', annotations, { startup: revLatencies.appStartup, serviceTime: revLatencies.appServiceTime }, registered),
    queue: {
      containerConcurrency: rev.spec.containerConcurrency ?? config.defaults.containerConcurrency,
      timeoutMs: timeoutSeconds * 1000,
      responseStartTimeoutMs: s(rst),
      idleTimeoutMs: s(rev.spec.idleTimeoutSeconds),
    },
    readiness: readinessSettings(rev),
    userProbes: userContainerProbes(rev),
    imagePull: pull !== undefined ? parseDistribution(pull) : revLatencies.imagePull,
    latencies: revLatencies,
    appFaults: new AppFaults(),
    resources: { user: containerResources(c.resources as never), queue: queueProxyResources(config.deployment) },
  };
}

/** The earliest timeout of a revision in ms (what the activator arms), 0 when none. */
export function revisionTimeoutMs(t: PodTemplate): number {
  return effectiveTimeoutMs(t.queue);
}

/** revision_backends.go: the activator may use a pod its probe finds healthy before it is Ready. */
export function probeOptimisation(t: PodTemplate): boolean {
  return t.userProbes.startup === null && t.userProbes.readiness === null;
}
