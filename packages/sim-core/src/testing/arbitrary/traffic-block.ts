import fc from 'fast-check';
import type { TrafficTarget } from '../../apis/serving/v1/types.js';
import { percents } from './percents.js';

export interface TrafficBlockOptions {
  /** The revisions a target may name (at least one). */
  revisions: readonly string[];
  /** Most targets (default: every revision, plus one `latestRevision` target, at most 4). */
  maxTargets?: number;
  /** Whether targets may carry tags (default true). */
  tags?: boolean;
  /** Whether one target may be `latestRevision: true` (default true). */
  latestRevision?: boolean;
  /** Whether a target may get 0% (default true). */
  zero?: boolean;
}

/** DNS-1035 labels, short enough for `<tag>-<service>` hosts. */
const TAGS = ['canary', 'stable', 'blue', 'green', 'beta', 'next'];
const LATEST = '\u0000latest';

/**
 * A Service's traffic block that Knative accepts: percents summing to 100 (zeros allowed), each
 * target naming a distinct revision or the latest, unique DNS-1035 tags. Shrinks toward one
 * untagged target.
 */
export function trafficBlock(o: TrafficBlockOptions): fc.Arbitrary<TrafficTarget[]> {
  if (o.revisions.length === 0) throw new RangeError('trafficBlock: needs at least one revision');
  const choices = [...o.revisions, ...((o.latestRevision ?? true) ? [LATEST] : [])];
  const maxTargets = Math.min(o.maxTargets ?? 4, choices.length, o.zero === false ? 100 : 101);
  const tag = (o.tags ?? true) ? fc.option(fc.constantFrom(...TAGS), { nil: undefined }) : fc.constant(undefined);
  return fc
    .uniqueArray(fc.constantFrom(...choices), { minLength: 1, maxLength: maxTargets })
    .chain((targets) =>
      fc.tuple(fc.constant(targets), percents({ minLength: targets.length, maxLength: targets.length, zero: o.zero ?? true }), fc.array(tag, { minLength: targets.length, maxLength: targets.length })),
    )
    .map(([targets, ps, tags]) => {
      const used = new Set<string>();
      return targets.map((t, i) => {
        const tg = tags[i];
        const unique = tg !== undefined && !used.has(tg) ? tg : undefined;
        if (unique !== undefined) used.add(unique);
        return {
          ...(unique !== undefined ? { tag: unique } : {}),
          ...(t === LATEST ? { latestRevision: true } : { revisionName: t }),
          percent: ps[i]!,
        };
      });
    });
}
