/**
 * The scheduler, reduced to what changes latency, and the nodes' image caches: ImageLocality
 * (nodes that already have the image score higher), then the node with the fewest pods placed so
 * far, then node order.
 */
export class Scheduler {
  readonly nodes: readonly string[];
  private readonly imageCache = new Map<string, Set<string>>();
  private readonly podsOnNode = new Map<string, number>();

  constructor(nodeCount: number) {
    this.nodes = Array.from({ length: nodeCount }, (_, i) => `node-${i + 1}`);
  }

  pickNode(image?: string): string {
    const has = (n: string) => image !== undefined && (this.imageCache.get(n)?.has(image) ?? false);
    let best = this.nodes[0]!;
    for (const n of this.nodes) {
      const better = has(n) !== has(best) ? has(n) : (this.podsOnNode.get(n) ?? 0) < (this.podsOnNode.get(best) ?? 0);
      if (better) best = n;
    }
    this.podsOnNode.set(best, (this.podsOnNode.get(best) ?? 0) + 1);
    return best;
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
