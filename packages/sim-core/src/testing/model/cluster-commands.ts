import fc from 'fast-check';
import { AdvanceTime, DeleteRevision, NewRevision, SendBurst, ShiftTraffic, Tag, Untag } from '../_internals/commands.js';
import { percents } from '../arbitrary/percents.js';
import type { ClusterModel, ClusterUnderTest } from './model.js';

/** The commands a model-based test may draw. */
export type ClusterCommandKind = 'new-revision' | 'change-min-scale' | 'shift-traffic' | 'tag' | 'untag' | 'burst' | 'advance-time' | 'delete-revision';

export interface ClusterCommandsOptions {
  /** Which commands (default all). */
  kinds?: readonly ClusterCommandKind[];
  /** Most commands in a sequence (default 10). */
  maxCommands?: number;
  /** Largest burst (default 20 requests). */
  maxBurst?: number;
  /** Longest time step (default 5 minutes). */
  maxAdvanceMs?: number;
  /** Largest min-scale (default 2). */
  maxMinScale?: number;
}

const TAGS = ['canary', 'stable', 'beta'];

/**
 * `fc.commands` over a cluster running one Knative Service: apply a new revision, change its
 * min-scale (a new revision too, as in Knative), shift traffic, tag and untag, send a burst,
 * advance time, delete an unused revision. Each command checks what the model predicts, and
 * every step checks the laws over the trace so far (conservation, answers only from routable
 * revisions, min-scale ≤ ready ≤ max-scale); when quiet long enough, revisions nothing reaches
 * must be at zero. Run with `runClusterModel`; fast-check shrinks a failure to the shortest
 * command sequence.
 */
export function clusterCommands(o: ClusterCommandsOptions = {}): fc.Arbitrary<Iterable<fc.Command<ClusterModel, ClusterUnderTest>>> {
  const kinds = new Set<ClusterCommandKind>(o.kinds ?? ['new-revision', 'change-min-scale', 'shift-traffic', 'tag', 'untag', 'burst', 'advance-time', 'delete-revision']);
  const all: Record<ClusterCommandKind, fc.Arbitrary<fc.Command<ClusterModel, ClusterUnderTest>>> = {
    'new-revision': fc.constant(undefined).map(() => new NewRevision(undefined)),
    'change-min-scale': fc.integer({ min: 0, max: o.maxMinScale ?? 2 }).map((k) => new NewRevision(k)),
    'shift-traffic': fc.tuple(percents({ minLength: 1, maxLength: 3 }), fc.boolean()).map(([ps, latest]) => new ShiftTraffic(ps, latest)),
    tag: fc.tuple(fc.constantFrom(...TAGS), fc.nat({ max: 9 })).map(([t, i]) => new Tag(t, i)),
    untag: fc.constantFrom(...TAGS).map((t) => new Untag(t)),
    burst: fc.integer({ min: 1, max: o.maxBurst ?? 20 }).map((n) => new SendBurst(n)),
    'advance-time': fc.integer({ min: 1, max: Math.max(1, Math.floor((o.maxAdvanceMs ?? 300_000) / 1000)) }).map((s) => new AdvanceTime(s * 1000)),
    'delete-revision': fc.nat({ max: 9 }).map((i) => new DeleteRevision(i)),
  };
  return fc.commands(
    [...kinds].map((k) => all[k]),
    { maxCommands: o.maxCommands ?? 10 },
  );
}
