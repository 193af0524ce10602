import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/index.js';
import { service } from '../../src/testing/index.js';

// A property suite builds hundreds of clusters one after another and drops each. A dropped cluster
// must die in the next scavenge, as young garbage does: if anything in V8's old generation points
// into it (a pretenured closure, an accessor pair; test/architecture/old-generation.test.ts), the
// scavenger keeps the whole graph alive, copies it, and promotes it to the old generation, where
// only a full mark-compact frees it. On the build before the fix each dropped cluster left about
// 110 KB in the old generation after two scavenges (a whole cluster); now about 11 KB, V8's own
// caches (number strings, regexp results) rather than the cluster.

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (options?: { type: 'major' | 'minor' }) => void;
const oldSpace = (): number => getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')!.space_used_size;

describe('a dropped cluster dies young', () => {
  it('leaves little in the old generation after two scavenges (not the cluster)', () => {
    const manifests = service({ name: 'app' });
    const build = (seed: number) => {
      const c = new Cluster({ seed, hops: false });
      c.apply(manifests);
      c.runFor(1000);
    };
    const n = 30;
    // Warm: the code's own feedback and compiled code go to the old generation once.
    for (let i = 0; i < 2 * n; i++) build(1000 + i);
    gc();
    gc();
    const before = oldSpace();
    for (let i = 0; i < n; i++) build(i);
    gc({ type: 'minor' });
    gc({ type: 'minor' });
    const perCluster = (oldSpace() - before) / n;
    // A live cluster at this point is about 100 KB; the bound is well under one.
    expect(perCluster).toBeLessThan(40 * 1024);
  });
});
