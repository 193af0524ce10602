import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defaultServingConfig, parseServingConfig } from '../../src/apis/config/serving-config.js';
import { isDNS1035Label } from '../../src/apis/k8s-validation.js';
import { DomainNameError, domainNameFromTemplate, expandedHosts, hostnameFromTemplate } from '../../src/reconciler/route/domains.js';

// domains_test.go and networking ingress_test.go ExpandedHosts cases.
describe('route host names', () => {
  const config = defaultServingConfig();
  it('default templates: {{.Name}}.{{.Namespace}}.{{.Domain}} and {{.Tag}}-{{.Name}}', () => {
    expect(domainNameFromTemplate(config, { name: 'r', namespace: 'ns' }, hostnameFromTemplate(config, 'r', ''))).toBe('r.ns.example.com');
    expect(domainNameFromTemplate(config, { name: 'r', namespace: 'ns' }, hostnameFromTemplate(config, 'r', 'blue'))).toBe('blue-r.ns.example.com');
  });

  it('custom templates may use annotations and labels; cluster-local routes keep the default template', () => {
    const c = parseServingConfig({
      'config-network': { 'domain-template': '{{.Name}}-{{.Namespace}}.{{index .Annotations "sub"}}.{{.Domain}}', 'tag-template': '{{.Name}}-{{.Tag}}' },
    });
    expect(domainNameFromTemplate(c, { name: 'r', namespace: 'ns', annotations: { sub: 'mysub' } }, 'r')).toBe('r-ns.mysub.example.com');
    expect(hostnameFromTemplate(c, 'r', 'v1')).toBe('r-v1');
    expect(domainNameFromTemplate(c, { name: 'r', namespace: 'ns', labels: { 'networking.knative.dev/visibility': 'cluster-local' } }, 'r')).toBe('r.ns.svc.cluster.local');
  });

  it('a host that is not a valid FQDN is a DomainNameError', () => {
    const c = parseServingConfig({ 'config-network': { 'domain-template': '{{.Name}}' } });
    expect(() => domainNameFromTemplate(c, { name: 'r', namespace: 'ns' }, 'r')).toThrow(DomainNameError);
    expect(() => domainNameFromTemplate(c, { name: 'r', namespace: 'ns' }, 'r')).toThrow(
      'domain name error: invalid domain name "r": url: Invalid value: "r": should be a domain with at least two segments separated by dots',
    );
  });

  it('ExpandedHosts', () => {
    expect(expandedHosts(['a.ns.svc.cluster.local'])).toEqual(['a.ns', 'a.ns.svc', 'a.ns.svc.cluster.local']);
    expect(expandedHosts(['a.ns.example.com'])).toEqual(['a.ns.example.com']);
    // "1234" would be an all-digit top-level label, which ExpandedHosts refuses.
    expect(expandedHosts(['a.1234.svc.cluster.local'])).toEqual(['a.1234.svc', 'a.1234.svc.cluster.local']);
    // With another cluster domain (network.GetClusterDomainName), its suffixes are the ones trimmed.
    expect(expandedHosts(['a.ns.svc.corp.internal'], 'corp.internal')).toEqual(['a.ns', 'a.ns.svc', 'a.ns.svc.corp.internal']);
    expect(expandedHosts(['a.ns.svc.cluster.local'], 'corp.internal')).toEqual(['a.ns.svc.cluster.local']);
  });

  it('property: for DNS-1035 names, namespaces and tags within Knative limits the hosts are valid DNS names', () => {
    const label = fc.stringMatching(/^[a-z]([-a-z0-9]{0,18}[a-z0-9])?$/);
    fc.assert(
      fc.property(label, label, fc.option(label, { nil: undefined }), fc.constantFrom('example.com', 'svc.cluster.local', 'a.b.c.io'), (name, ns, tag, domain) => {
        const c = parseServingConfig({ 'config-domain': { [domain]: '' } });
        const host = domainNameFromTemplate(c, { name, namespace: ns }, hostnameFromTemplate(c, name, tag ?? ''));
        expect(host.length).toBeLessThanOrEqual(253);
        for (const l of host.split('.')) expect(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(l) && l.length <= 63).toBe(true);
        expect(isDNS1035Label(hostnameFromTemplate(c, name, tag ?? ''))).toEqual([]);
      }),
    );
  });
});
