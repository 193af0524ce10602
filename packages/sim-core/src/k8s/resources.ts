import { UserInputError } from '../apis/errors.js';
import { quantityValue } from './quantity.js';

/** A container's CPU (cores) and memory (bytes) requests and limits; 0 means unset. */
export interface ContainerResources {
  cpuRequest: number;
  cpuLimit: number;
  memoryRequest: number;
  memoryLimit: number;
}

export const NO_RESOURCES: ContainerResources = Object.freeze({ cpuRequest: 0, cpuLimit: 0, memoryRequest: 0, memoryLimit: 0 });

/**
 * A container's `resources` as the scheduler and kubelet read them: a limit without a request
 * requests the limit (the API server's defaulting, pkg/apis/core/v1/defaults.go
 * SetDefaults_Container... setting requests from limits).
 */
export function containerResources(res: { requests?: Record<string, string | number>; limits?: Record<string, string | number> } | undefined): ContainerResources {
  const q = (v: string | number | undefined) => (v === undefined ? 0 : typeof v === 'number' ? v : quantityValue(v) || 0);
  const cpuLimit = q(res?.limits?.cpu);
  const memoryLimit = q(res?.limits?.memory);
  return {
    cpuRequest: res?.requests?.cpu !== undefined ? q(res.requests.cpu) : cpuLimit,
    cpuLimit,
    memoryRequest: res?.requests?.memory !== undefined ? q(res.requests.memory) : memoryLimit,
    memoryLimit,
  };
}

/** What the scheduler counts for a pod: the sum of its containers' requests. */
export interface PodRequests {
  cpu: number;
  memory: number;
}

/** A node's allocatable resources (what kube-scheduler places pods against). */
export interface NodeAllocatable {
  /** Cores. */
  cpu: number;
  /** Bytes. */
  memory: number;
  /** Pods (kubelet's --max-pods). */
  pods: number;
}

/**
 * The default node: a GKE n1-standard-4 (4 vCPU, 15 GiB), the machine Knative's GKE install guide
 * used when the autoscale-go sample's run was published, with GKE's reservations taken off
 * (cloud.google.com/kubernetes-engine/docs/concepts/plan-node-sizes: CPU 6 % of the first core,
 * 1 % of the second, 0.5 % of the next two → 80m; memory 25 % of the first 4 GiB, 20 % of the
 * next 4, 10 % of the next 8 → 2560Mi, plus the 100Mi eviction threshold) and kubelet's default
 * --max-pods of 110. docs/calibration.md.
 */
export const DEFAULT_NODE_RESOURCES = Object.freeze({ cpu: '3920m', memory: '12700Mi', pods: 110 });

/** `nodeResources` of the cluster options: quantities as Kubernetes writes them. */
export interface NodeResourcesOption {
  cpu?: string | number;
  memory?: string | number;
  pods?: number;
}

/** The node's allocatable resources from the option (defaults for what it leaves out); bad values are the user's mistake. */
export function makeNodeAllocatable(o: NodeResourcesOption = {}): NodeAllocatable {
  for (const k of Object.keys(o)) if (!['cpu', 'memory', 'pods'].includes(k)) throw new UserInputError(`nodeResources.${k}: unknown field (known: cpu, memory, pods)`);
  const value = (field: 'cpu' | 'memory', v: string | number) => {
    const n = typeof v === 'number' ? v : quantityValue(String(v));
    if (!(Number.isFinite(n) && n > 0)) throw new UserInputError(`nodeResources.${field}: ${JSON.stringify(v)} is not a positive quantity (e.g. ${field === 'cpu' ? '"3920m" or 4' : '"12700Mi" or "16Gi"'})`);
    return n;
  };
  const pods = o.pods ?? DEFAULT_NODE_RESOURCES.pods;
  if (!(Number.isInteger(pods) && pods >= 1)) throw new UserInputError(`nodeResources.pods: must be a whole number >= 1, got ${String(pods)}`);
  return { cpu: value('cpu', o.cpu ?? DEFAULT_NODE_RESOURCES.cpu), memory: value('memory', o.memory ?? DEFAULT_NODE_RESOURCES.memory), pods };
}
