import { describe, expect, it } from 'vitest';
import { applyMergePatch, kubectlApply, LAST_APPLIED, mergePatchDiff } from '../../src/apis/apply-patch.js';

describe('kubectl apply three-way merge', () => {
  it('computes RFC 7386 patches: changes, removals, whole lists', () => {
    expect(mergePatchDiff({ a: 1, b: { c: 2, d: 3 }, l: [1] }, { a: 1, b: { c: 5 }, l: [1, 2] })).toEqual({ b: { c: 5, d: null }, l: [1, 2] });
    expect(applyMergePatch({ a: 1, b: { c: 2, d: 3 } }, { b: { c: 5, d: null } })).toEqual({ a: 1, b: { c: 5 } });
  });

  it('keeps fields the server defaulted when the file did not change them', () => {
    const v3 = { apiVersion: 'x/v1', kind: 'K', metadata: { name: 's' }, spec: { template: { spec: { containers: [{ image: 'i' }] } } } };
    const first = kubectlApply(undefined, v3);
    // The server defaults the template (as Knative's webhook does) and stores it.
    const live = JSON.parse(JSON.stringify(first));
    live.spec.template.spec.containers[0].name = 'user-container';
    live.spec.template.spec.timeoutSeconds = 300;
    const v32 = { ...v3, spec: { ...v3.spec, traffic: [{ revisionName: 's-v1', percent: 100 }] } };
    const next = kubectlApply(live, v32) as typeof live;
    expect(next.spec.template.spec.timeoutSeconds).toBe(300);
    expect(next.spec.template.spec.containers[0].name).toBe('user-container');
    expect(next.spec.traffic).toEqual([{ revisionName: 's-v1', percent: 100 }]);
    expect(JSON.parse(next.metadata.annotations[LAST_APPLIED]).spec.traffic).toHaveLength(1);
  });
});
