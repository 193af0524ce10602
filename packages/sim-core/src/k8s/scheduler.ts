/**
 * The scheduler, reduced to what changes latency, and the nodes' image caches. kube-scheduler's
 * default scoring weighs PodTopologySpread (weight 2; the system default constraint spreads a
 * workload's pods over hostnames), NodeResourcesFit's LeastAllocated (weight 1) and
 * ImageLocality (weight 1, which scores 0 for images under 23 MB and scales by the share of nodes
 * that have the image; pkg/scheduler/framework/plugins/imagelocality). For the small images of
 * Knative's samples that orders nodes by: fewest pods of the same revision, then fewest pods,
 * then having the image, then node order. So a scale-up spreads over the nodes and the first pod
 * on each node pulls the image.
 */
export class Scheduler {
  readonly nodes: readonly string[];
  private readonly imageCache = new Map<string, Set<string>>();
  /** Live pods by node, and by node and revision. */
  private readonly podsOnNode = new Map<string, number>();
  private readonly groupOnNode = new Map<string, number>();
  private readonly placed = new Map<string, { node: string; group: string }>();

  constructor(nodeCount: number) {
    this.nodes = Array.from({ length: nodeCount }, (_, i) => `node-${i + 1}`);
  }

  /** Cordoned nodes (`kubectl cordon`, or drained): no new pod is scheduled there. */
  private readonly cordoned = new Set<string>();

  /** `kubectl cordon NODE`. False when it would leave no schedulable node. */
  cordon(node: string): boolean {
    if (!this.cordoned.has(node) && this.cordoned.size + 1 >= this.nodes.length) return false;
    this.cordoned.add(node);
    return true;
  }

  pickNode(pod: { readonly name: string; readonly key: string; readonly image: string }): string {
    const has = (n: string) => this.imageCache.get(n)?.has(pod.image) ?? false;
    const group = (n: string) => this.groupOnNode.get(`${n}|${pod.key}`) ?? 0;
    const load = (n: string) => this.podsOnNode.get(n) ?? 0;
    const schedulable = this.cordoned.size === 0 ? this.nodes : this.nodes.filter((n) => !this.cordoned.has(n));
    let best = schedulable[0]!;
    for (const n of schedulable) {
      const better = group(n) !== group(best) ? group(n) < group(best) : load(n) !== load(best) ? load(n) < load(best) : has(n) && !has(best);
      if (better) best = n;
    }
    this.podsOnNode.set(best, load(best) + 1);
    this.groupOnNode.set(`${best}|${pod.key}`, group(best) + 1);
    this.placed.set(pod.name, { node: best, group: pod.key });
    return best;
  }

  /** A pod is gone: its node has room again. */
  release(podName: string): void {
    const p = this.placed.get(podName);
    if (p === undefined) return;
    this.placed.delete(podName);
    this.podsOnNode.set(p.node, this.podsOnNode.get(p.node)! - 1);
    this.groupOnNode.set(`${p.node}|${p.group}`, this.groupOnNode.get(`${p.node}|${p.group}`)! - 1);
  }

  /** Whether the node has the image. */
  hasImage(node: string, image: string): boolean {
    return this.imageCache.get(node)?.has(image) ?? false;
  }

  /** Whether the node already has the image (and records that it now will). */
  imageCached(node: string, image: string): boolean {
    let set = this.imageCache.get(node);
    if (set === undefined) {
      set = new Set();
      this.imageCache.set(node, set);
    }
    const had = set.has(image);
    set.add(image);
    return had;
  }
}
