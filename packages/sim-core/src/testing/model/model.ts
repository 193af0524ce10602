import type { Cluster } from '../../cluster/cluster.js';
import type { KnsimTraceEvent } from '../../trace/events.js';

/** One target of the model's traffic block: a revision by name, or `null` for the latest. */
export interface ModelTarget {
  revision: string | null;
  percent: number;
  tag?: string;
}

/**
 * What a model-based test believes about its one Knative Service: the revisions that exist (in
 * creation order, each with its min-scale), the traffic block as applied, and when the last
 * change or request happened (for "quiet long enough to be at zero").
 */
export interface ClusterModel {
  service: string;
  revisions: Array<{ name: string; minScale: number }>;
  traffic: ModelTarget[];
  /** The number the next revision gets (`app-v<next>`). */
  next: number;
  /** Simulated ms of the last apply, delete or request. */
  lastChangeMs: number;
  /** Fewest pods Knative keeps for a revision nothing reaches is 0 after this quiet time. */
  readonly zeroAfterMs: number;
  readonly maxRevisions: number;
}

/** The system under test: the cluster and its trace since the start. */
export interface ClusterUnderTest {
  cluster: Cluster;
  events: KnsimTraceEvent[];
  /** The Service as last applied, as YAML (printed when a command fails). */
  lastApplied: string;
}

/** The revision a model target routes to now. */
export const resolve = (m: ClusterModel, t: ModelTarget): string => t.revision ?? m.revisions.at(-1)!.name;
