import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/index.js';

// Knative's ConfigMap parsers (knative.dev/pkg configmap, networking pkg/config) read the keys
// they know and ignore the rest; knsim says which keys nothing read.
describe('unknown ConfigMaps and keys are warned about (issue 10.12)', () => {
  it('an unknown key, an unknown ConfigMap and one knsim does not model, in cluster options', () => {
    const c = new Cluster({
      config: {
        'config-network': { 'domain-templat': '{{.Name}}', 'ingress-class': 'istio.ingress.networking.knative.dev' },
        'config-foo': { a: '1' },
        'config-observability': { 'metrics.backend-destination': 'prometheus' },
        'config-autoscaler': { 'stable-window': '30s', 'stable-windw': '30s' },
      },
    });
    expect(c.warnings).toEqual([
      'config config-autoscaler: unknown key "stable-windw"; Knative does not read it, so it has no effect',
      'config config-foo: not a Knative Serving ConfigMap (knsim reads config-autoscaler, config-defaults, config-deployment, config-domain, config-features, config-istio, config-network); ignored',
      'config config-network: unknown key "domain-templat"; Knative does not read it, so it has no effect',
      'config config-observability: knsim does not simulate what this ConfigMap configures; its settings have no effect',
    ]);
  });

  it('known keys (new and legacy), `_example` and config-domain\'s domains are not warned about', () => {
    const c = new Cluster({ config: { 'config-network': { domainTemplate: '{{.Name}}.{{.Domain}}', _example: 'docs' }, 'config-domain': { 'foo.dev': '' } } });
    expect(c.warnings).toEqual([]);
  });

  it('applying a knative-serving ConfigMap with an unknown key warns, and applies it', () => {
    const c = new Cluster();
    const r = c.apply(`apiVersion: v1
kind: ConfigMap
metadata: {name: config-autoscaler, namespace: knative-serving}
data: {scale-to-zero-grace-perod: "10s"}
`);
    expect(r.warnings).toContain('Warning: config config-autoscaler: unknown key "scale-to-zero-grace-perod"; Knative does not read it, so it has no effect');
    expect(r.applied[0]!.action).toBe('configured');
  });
});
