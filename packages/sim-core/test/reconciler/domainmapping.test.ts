import { describe, expect, it } from 'vitest';
import { defaultServingConfig, parseServingConfig } from '../../src/apis/config/serving-config.js';
import type { DomainMapping } from '../../src/apis/serving/v1/types.js';
import { checkDomainClaim, makeDomainMappingIngress, resolveRef } from '../../src/reconciler/domainmapping/ingress.js';

const config = defaultServingConfig();
const dm: DomainMapping = {
  apiVersion: 'serving.knative.dev/v1beta1',
  kind: 'DomainMapping',
  metadata: { name: 'foo.example.org', namespace: 'default' },
  spec: { ref: { name: 'hello', kind: 'Service', apiVersion: 'serving.knative.dev/v1', namespace: 'default' } },
};

// reconciler/domainmapping/table_test.go messages.
describe('DomainMapping', () => {
  it('resolves a ksvc address to its backend Service and host', () => {
    expect(resolveRef(config, dm, 'http://hello.default.svc.cluster.local')).toEqual({ ok: true, host: 'hello.default.svc.cluster.local', backendServiceName: 'hello' });
  });

  it('rejects paths, non-service hosts, other namespaces and missing targets', () => {
    expect(resolveRef(config, dm, 'http://the-target-svc.svc.cluster.local/path')).toEqual({ ok: false, message: 'resolved URI "http://the-target-svc.svc.cluster.local/path" contains a path' });
    expect(resolveRef(config, dm, 'http://notasvc.cluster.local')).toEqual({ ok: false, message: 'resolved URI "http://notasvc.cluster.local" must be of the form {name}.{namespace}.svc.cluster.local' });
    expect(resolveRef(config, dm, 'http://name.anothernamespace.svc.cluster.local')).toEqual({ ok: false, message: 'resolved URI "http://name.anothernamespace.svc.cluster.local" must be in same namespace as DomainMapping' });
    expect(resolveRef(config, { ...dm, spec: { ref: { ...dm.spec.ref, name: 'target' } } }, undefined)).toEqual({
      ok: false,
      message: 'failed to get object default/target: services.serving.knative.dev "target" not found',
    });
  });

  it('needs a ClusterDomainClaim unless autocreate is on', () => {
    expect(checkDomainClaim(config, dm, undefined)).toEqual({ ok: false, message: 'no ClusterDomainClaim found for domain "foo.example.org" (and autocreate-cluster-domain-claims property is not true)' });
    const auto = parseServingConfig({ 'config-network': { 'autocreate-cluster-domain-claims': 'true' } });
    expect(checkDomainClaim(auto, dm, undefined)).toMatchObject({ ok: true, create: { metadata: { name: 'foo.example.org' }, spec: { namespace: 'default' } } });
  });

  it('makes a public KIngress for the mapped host that rewrites Host to the target', () => {
    const ing = makeDomainMappingIngress(config, dm, 'hello', 'hello.default.svc.cluster.local');
    expect(ing.metadata.name).toBe('foo.example.org');
    expect(ing.spec.rules).toEqual([
      {
        hosts: ['foo.example.org'],
        visibility: 'ExternalIP',
        http: {
          paths: [
            {
              rewriteHost: 'hello.default.svc.cluster.local',
              splits: [{ serviceNamespace: 'default', serviceName: 'hello', servicePort: 80, percent: 100, appendHeaders: { 'K-Original-Host': 'foo.example.org' } }],
            },
          ],
        },
      },
    ]);
  });
});
