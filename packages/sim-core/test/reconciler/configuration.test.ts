import { describe, expect, it } from 'vitest';
import { childName } from '../../src/apis/kmeta.js';
import type { Configuration, Revision } from '../../src/apis/serving/v1/types.js';
import { configurationStatusFor, findLatestReadyRevision, latestCreatedRevision } from '../../src/reconciler/configuration/latest-revision.js';
import { makeRevision, revisionName } from '../../src/reconciler/configuration/revision.js';

const cfg = (name: string, generation: number, byo?: string, lrr?: string): Configuration => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Configuration',
  metadata: { name, namespace: 'default', generation, labels: { 'serving.knative.dev/service': name } },
  spec: { template: { ...(byo ? { metadata: { name: byo } } : {}), spec: { containers: [{ image: 'busybox' }] } } },
  status: lrr ? { latestReadyRevisionName: lrr } : {},
});

const rev = (c: Configuration, name: string, gen: number, ready: 'True' | 'False' | 'Unknown'): Revision => {
  const r = makeRevision({ ...c, metadata: { ...c.metadata, generation: gen }, spec: { template: { ...c.spec.template, metadata: { name } } } }, 0);
  r.metadata.generation = 1;
  r.status = { observedGeneration: 1, conditions: [{ type: 'Ready', status: ready, message: ready === 'False' ? 'boom' : '' }] };
  return r;
};

describe('revision naming (kmeta/names_test.go, resources/revision_test.go)', () => {
  it('is `<config>-<5-digit generation>`', () => {
    expect(revisionName(cfg('hello', 1))).toBe('hello-00001');
    expect(revisionName(cfg('hello', 12345))).toBe('hello-12345');
  });

  it.each([
    // knative.dev/pkg kmeta/names_test.go
    ['asdf', '-deployment', 'asdf-deployment'],
    ['f'.repeat(63), '-deployment', 'ffffffffffffffffffff105d7597f637e83cc711605ac3ea4957-deployment'],
    ['f'.repeat(63), '-deploy', 'ffffffffffffffffffffffff105d7597f637e83cc711605ac3ea4957-deploy'],
    ['f'.repeat(63), 'f'.repeat(63), 'fffffffffffffffffffffffffffffff0502661254f13c89973cb3a83e0cbec0'],
    ['a', 'f'.repeat(63), 'ab5cfd486935decbc0d305799f4ce4414ffffffffffffffffffffffffffffff'],
    ['b'.repeat(32), 'f'.repeat(32), 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb329c7c81b9ab3ba71aa139066aa5625d'],
    ['aaaa', 'b---a'.repeat(20), 'aaaa7a3f7966594e3f0849720eced8212c18b---ab---ab---ab---ab---ab'],
    ['a'.repeat(17), 'a.-.-.-.-.-.-.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'aaaaaaaaaaaaaaaaaa1eb10dc911444f8434af83b7225442da'],
  ])('ChildName(%s, %s) hashes over-long names to 63 characters', (parent, suffix, want) => {
    expect(childName(parent, suffix)).toBe(want);
  });

  it('an over-long configuration name gives parent[:25] + md5(parent) + "-00001"', () => {
    const n = revisionName(cfg('a'.repeat(60), 1));
    expect(n).toHaveLength(63);
    expect(n).toMatch(/^a{25}[0-9a-f]{32}-00001$/);
  });

  it('uses the BYO template name and stamps the owner labels', () => {
    const r = makeRevision(cfg('stock', 2, 'stock-v2'), 1000);
    expect(r.metadata.name).toBe('stock-v2');
    expect(r.metadata.labels).toMatchObject({
      'serving.knative.dev/configuration': 'stock',
      'serving.knative.dev/configurationGeneration': '2',
      'serving.knative.dev/service': 'stock',
      'serving.knative.dev/routingState': 'pending',
    });
    expect(r.metadata.ownerReferences).toEqual([{ apiVersion: 'serving.knative.dev/v1', kind: 'Configuration', name: 'stock', controller: true }]);
  });
});

describe('latest created / latest ready (configuration.go)', () => {
  it('finds the revision of the current generation, or says to create one', () => {
    const c = cfg('hello', 2);
    const r1 = rev(c, 'hello-00001', 1, 'True');
    expect(latestCreatedRevision(c, [r1])).toEqual({ kind: 'notFound', isBYOName: false });
    const r2 = rev(c, 'hello-00002', 2, 'Unknown');
    expect(latestCreatedRevision(c, [r1, r2])).toMatchObject({ kind: 'found', revision: { metadata: { name: 'hello-00002' } } });
  });

  it('a BYO name owned by another configuration is a conflict', () => {
    const c = cfg('hello', 1, 'hello-byo');
    const other = rev(cfg('other', 1), 'hello-byo', 1, 'True');
    expect(latestCreatedRevision(c, [other])).toEqual({ kind: 'alreadyExists', name: 'hello-byo', message: 'revisions.serving.knative.dev "hello-byo" already exists' });
  });

  it('a failing new revision leaves latestReady (and so traffic) on the old one', () => {
    const c = cfg('hello', 2, undefined, 'hello-00001');
    const r1 = rev(c, 'hello-00001', 1, 'True');
    const r2 = rev(c, 'hello-00002', 2, 'False');
    expect(findLatestReadyRevision(c, [r1, r2], r2, false)?.metadata.name).toBe('hello-00001');
    expect(configurationStatusFor(c, [r1, r2], r2, false)).toEqual({
      latestReadyRevisionName: 'hello-00001',
      latestCreatedRevisionName: 'hello-00002',
      ready: { status: 'False', reason: 'RevisionFailed', message: 'Revision "hello-00002" failed with message: boom.' },
    });
  });

  it('a ready new revision becomes latest ready and the configuration Ready', () => {
    const c = cfg('hello', 2, undefined, 'hello-00001');
    const r1 = rev(c, 'hello-00001', 1, 'True');
    const r2 = rev(c, 'hello-00002', 2, 'True');
    expect(configurationStatusFor(c, [r1, r2], r2, false)).toEqual({ latestReadyRevisionName: 'hello-00002', latestCreatedRevisionName: 'hello-00002', ready: { status: 'True' } });
  });

  it('never goes back before the current latest ready generation', () => {
    const c = cfg('hello', 3, undefined, 'hello-00002');
    const r1 = rev(c, 'hello-00001', 1, 'True');
    const r2 = rev(c, 'hello-00002', 2, 'False');
    const r3 = rev(c, 'hello-00003', 3, 'Unknown');
    expect(findLatestReadyRevision(c, [r1, r2, r3], r3, false)).toBeUndefined();
  });
});
