import type { Environment } from '../engine/environment.js';
import type { Event } from '../engine/event.js';
import { NodeCpu } from './cpu.js';
import type { NodeAllocatable, PodRequests } from './resources.js';

/**
 * kube-scheduler's non-zero defaults for scoring a container that requests nothing
 * (pkg/scheduler/util/pod_resources.go DefaultMilliCPURequest 100m, DefaultMemoryRequest 200 MB):
 * the filter counts only real requests, the scores count these, so pods without requests still
 * spread by number.
 */
export const SCORING_DEFAULT_CPU = 0.1;
export const SCORING_DEFAULT_MEMORY = 200 * 1024 * 1024;

/** What the scheduler needs of a pod. */
export interface SchedulingPod {
  readonly name: string;
  /** Pods with the same key spread over nodes (a revision's). */
  readonly key: string;
  readonly image: string;
  /** The sum of its containers' requests (the filter's). */
  readonly requests: PodRequests;
  /** The same with kube-scheduler's non-zero defaults for containers that request nothing (the scores'). */
  readonly scoringRequests: PodRequests;
}

/** One worker node: its allocatable resources, what is placed on it, its CPUs and memory in use, its images. */
export class SimNode {
  readonly cpu: NodeCpu;
  /** Requests of the pods placed here (filter and scores). */
  requestedCpu = 0;
  requestedMemory = 0;
  scoringCpu = 0;
  scoringMemory = 0;
  pods = 0;
  /** Memory the node's containers hold now (bytes). */
  memoryInUse = 0;
  cordoned = false;
  readonly images = new Set<string>();

  constructor(
    env: Environment,
    readonly name: string,
    readonly allocatable: NodeAllocatable,
  ) {
    this.cpu = new NodeCpu(env, allocatable.cpu);
  }
}

/**
 * The scheduler and the nodes' image caches, as kube-scheduler's default profile decides for
 * Knative's pods. Filter: NodeResourcesFit (the pod's requests fit in what the node's
 * allocatable leaves: cpu, memory, pods) and NodeUnschedulable (cordoned). Score, in order of
 * what decides for a revision's identical pods: PodTopologySpread (weight 2; the system default
 * constraint spreads a workload's pods over hostnames), then NodeResourcesFit's LeastAllocated
 * with NodeResourcesBalancedAllocation (weight 1 each, on the requests with the non-zero
 * defaults), then ImageLocality (weight 1; it scores 0 for images under 23 MB, so for Knative's
 * small images it only breaks ties), then node order. A pod that fits nowhere stays Pending with
 * kube-scheduler's FitError message and is tried again when a pod leaves a node.
 */
export class Scheduler {
  readonly nodes: readonly string[];
  private readonly byName = new Map<string, SimNode>();
  private readonly placed = new Map<string, { node: SimNode; group: string; pod: SchedulingPod }>();
  private readonly groupOnNode = new Map<string, number>();
  /** Pods waiting for room (kube-scheduler's unschedulable queue). */
  private waiting: Event<any> | null = null;

  constructor(
    private readonly env: Environment,
    nodeCount: number,
    allocatable: NodeAllocatable,
  ) {
    this.nodes = Array.from({ length: nodeCount }, (_, i) => `node-${i + 1}`);
    for (const n of this.nodes) this.byName.set(n, new SimNode(env, n, allocatable));
  }

  node(name: string): SimNode {
    return this.byName.get(name)!;
  }

  /** `kubectl cordon NODE`. False when it would leave no schedulable node. */
  cordon(node: string): boolean {
    const n = this.byName.get(node)!;
    if (n.cordoned) return true;
    let open = 0;
    for (const m of this.byName.values()) if (!m.cordoned) open++;
    if (open <= 1) return false;
    n.cordoned = true;
    return true;
  }

  /** The reason a node cannot take the pod (kube-scheduler's filter messages), or null when it fits. */
  private misfit(n: SimNode, pod: SchedulingPod): string | null {
    if (n.cordoned) return 'node(s) were unschedulable';
    if (n.pods + 1 > n.allocatable.pods) return 'Too many pods';
    const cpu = n.requestedCpu + pod.requests.cpu > n.allocatable.cpu + 1e-9;
    const mem = n.requestedMemory + pod.requests.memory > n.allocatable.memory;
    if (cpu) return 'Insufficient cpu';
    if (mem) return 'Insufficient memory';
    return null;
  }

  /** LeastAllocated plus BalancedAllocation (noderesources/least_allocated.go, balanced_allocation.go), 0–200. */
  private resourceScore(n: SimNode, pod: SchedulingPod): number {
    const cpu = Math.min(1, (n.scoringCpu + pod.scoringRequests.cpu) / n.allocatable.cpu);
    const mem = Math.min(1, (n.scoringMemory + pod.scoringRequests.memory) / n.allocatable.memory);
    const least = ((1 - cpu) * 100 + (1 - mem) * 100) / 2;
    const balanced = (1 - Math.abs(cpu - mem) / 2) * 100;
    return least + balanced;
  }

  /** Binds the pod to the best node that fits it, or returns null (it stays Pending). */
  pickNode(pod: SchedulingPod): string | null {
    const group = (n: SimNode) => this.groupOnNode.get(`${n.name}|${pod.key}`) ?? 0;
    let best: SimNode | null = null;
    let bestScore = 0;
    for (const name of this.nodes) {
      const n = this.byName.get(name)!;
      if (this.misfit(n, pod) !== null) continue;
      const score = this.resourceScore(n, pod);
      const better =
        best === null ||
        (group(n) !== group(best) ? group(n) < group(best) : Math.abs(score - bestScore) > 1e-9 ? score > bestScore : n.images.has(pod.image) && !best.images.has(pod.image));
      if (better) {
        best = n;
        bestScore = score;
      }
    }
    if (best === null) return null;
    best.pods++;
    best.requestedCpu += pod.requests.cpu;
    best.requestedMemory += pod.requests.memory;
    best.scoringCpu += pod.scoringRequests.cpu;
    best.scoringMemory += pod.scoringRequests.memory;
    this.groupOnNode.set(`${best.name}|${pod.key}`, group(best) + 1);
    this.placed.set(pod.name, { node: best, group: pod.key, pod });
    return best.name;
  }

  /**
   * kube-scheduler's FitError for a pod no node takes: `0/3 nodes are available: 3 Insufficient
   * cpu.` (pkg/scheduler/framework/types.go FitError.Error: the filter reasons counted over the
   * nodes, sorted).
   */
  unschedulableMessage(pod: SchedulingPod): string {
    const counts = new Map<string, number>();
    for (const name of this.nodes) {
      const why = this.misfit(this.byName.get(name)!, pod);
      if (why !== null) counts.set(why, (counts.get(why) ?? 0) + 1);
    }
    const reasons = [...counts].map(([why, k]) => `${k} ${why}`).sort();
    return `0/${this.nodes.length} nodes are available: ${reasons.join(', ')}.`;
  }

  /** Succeeds when a pod leaves a node (room may have been made): Pending pods try again. */
  roomFreed(): Event<any> {
    if (this.waiting === null) this.waiting = this.env.event();
    return this.waiting;
  }

  /** A pod is gone: its node has room again. */
  release(podName: string): void {
    const p = this.placed.get(podName);
    if (p === undefined) return;
    this.placed.delete(podName);
    const n = p.node;
    n.pods--;
    n.requestedCpu -= p.pod.requests.cpu;
    n.requestedMemory -= p.pod.requests.memory;
    n.scoringCpu -= p.pod.scoringRequests.cpu;
    n.scoringMemory -= p.pod.scoringRequests.memory;
    this.groupOnNode.set(`${n.name}|${p.group}`, this.groupOnNode.get(`${n.name}|${p.group}`)! - 1);
    const w = this.waiting;
    if (w !== null) {
      this.waiting = null;
      w.succeed();
    }
  }

  /** Whether the node has the image. */
  hasImage(node: string, image: string): boolean {
    return this.byName.get(node)?.images.has(image) ?? false;
  }

  /** Whether the node already has the image (and records that it now will). */
  imageCached(node: string, image: string): boolean {
    const set = this.byName.get(node)!.images;
    const had = set.has(image);
    set.add(image);
    return had;
  }
}
