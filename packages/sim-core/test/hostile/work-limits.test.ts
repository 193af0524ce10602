import { describe, expect, it } from 'vitest';
import { ApplyError, Cluster, UserInputError } from '../../src/index.js';
import { svc } from '../cluster/load-helpers.js';

/**
 * Issue 15, "work that is simply enormous": refused up front with a clear limit (docs/limits.md)
 * rather than run out of memory — a min-scale of a million pods, any min-scale, max-scale or
 * initial-scale beyond knsim's 10,000 pods per revision, and an object larger than the API
 * server takes (kube-apiserver's MaxRequestBodyBytes, 3 MiB: a huge env list).
 */
describe('enormous work is refused up front (issue 15)', () => {
  for (const [key, value] of [
    ['min-scale', '1000000'],
    ['min-scale', '10001'],
    ['max-scale', '20000'],
    ['initial-scale', '50000'],
  ] as const) {
    it(`autoscaling.knative.dev/${key}: ${value} is refused by apply, naming the limit`, () => {
      const c = new Cluster();
      const apply = () => c.apply(svc('app', { annotations: { [`autoscaling.knative.dev/${key}`]: value } }));
      expect(apply).toThrow(ApplyError);
      expect(apply).toThrow(`${key}=${value} is more pods than knsim simulates for one revision (at most 10000: docs/limits.md): spec.template.metadata.annotations.autoscaling.knative.dev/${key}`);
      expect(c.revisionNames()).toEqual([]);
    });
  }

  it('the limit itself is accepted', () => {
    const c = new Cluster();
    expect(() => c.apply(svc('app', { annotations: { 'autoscaling.knative.dev/max-scale': '10000', 'autoscaling.knative.dev/min-scale': '1' } }))).not.toThrow();
  });

  it('config-autoscaler min-scale / max-scale / initial-scale beyond it: the cluster is refused', () => {
    for (const key of ['min-scale', 'max-scale', 'initial-scale']) {
      expect(() => new Cluster({ config: { 'config-autoscaler': { [key]: '1000000' } } })).toThrow(UserInputError);
      expect(() => new Cluster({ config: { 'config-autoscaler': { [key]: '1000000' } } })).toThrow(/more pods than knsim simulates for one revision \(at most 10000: docs\/limits\.md\)/);
    }
  });

  it('an object larger than 3 MiB (a huge env list) is refused as kube-apiserver refuses it', () => {
    const c = new Cluster();
    const env = Array.from({ length: 120_000 }, (_, i) => ({ name: `V${i}`, value: 'xxxxxxxxxx' }));
    const obj = { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'app' }, spec: { template: { spec: { containers: [{ image: 'app', env }] } } } };
    expect(() => c.apply(obj as never, { file: 'big.yaml' })).toThrow('Error from server (RequestEntityTooLarge): error when creating "big.yaml": Request entity too large: limit is 3145728');
    expect(c.revisionNames()).toEqual([]);
  });
});
