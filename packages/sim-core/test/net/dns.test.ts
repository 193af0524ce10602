import { describe, expect, it } from 'vitest';
import type { Endpoints, Service } from '../../src/apis/core/v1.js';
import { DnsCache } from '../../src/net/dns/cache.js';
import { coreDnsAnswer, type DnsLookup } from '../../src/net/dns/coredns.js';
import { externalAnswer, type ExternalResolver } from '../../src/net/dns/external.js';
import { formatAnswer } from '../../src/net/dns/records.js';
import { candidateNames, podResolvConf, resolvePodName } from '../../src/net/dns/resolver.js';

const svc = (ns: string, name: string, spec: Service['spec']): Service => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec });
const services = [
  // Knative's route placeholder (seed 002): hello → the local gateway.
  svc('default', 'hello', { type: 'ExternalName', externalName: 'knative-local-gateway.istio-system.svc.cluster.local', ports: [{ name: 'http2', port: 80, targetPort: 80 }] }),
  svc('istio-system', 'knative-local-gateway', { type: 'ClusterIP', clusterIP: '10.96.0.20', ports: [{ name: 'http2', port: 80, targetPort: 8081 }] }),
  svc('default', 'hello-00001', { type: 'ClusterIP', clusterIP: '10.96.0.31', ports: [{ name: 'http', port: 80, targetPort: 8012 }] }),
  svc('default', 'headless', { clusterIP: 'None' }),
  svc('default', 'outside', { type: 'ExternalName', externalName: 'api.example.org' }),
];
const endpoints: Endpoints[] = [
  { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'headless', namespace: 'default' }, addresses: [{ ip: '10.1.0.5' }, { ip: '10.1.0.6' }], notReadyAddresses: [{ ip: '10.1.0.7' }], ports: [] },
];
const lookup: DnsLookup = {
  service: (ns, name) => services.find((s) => s.metadata.namespace === ns && s.metadata.name === name),
  endpoints: (ns, name) => endpoints.find((e) => e.metadata.namespace === ns && e.metadata.name === name),
};
const upstream: ExternalResolver = { entries: [{ domain: 'example.com', address: '203.0.113.10' }, { domain: 'api.example.org', address: '198.51.100.7' }] };
const ask = (n: string) => ({ answer: coreDnsAnswer(lookup, n, upstream), cached: false });

describe('CoreDNS answers', () => {
  it('serves the cluster domain it is given as its zone, and forwards cluster.local then', () => {
    const corp: DnsLookup = { ...lookup, clusterDomain: 'corp.internal' };
    expect(formatAnswer(coreDnsAnswer(corp, 'hello-00001.default.svc.corp.internal'))).toEqual(['hello-00001.default.svc.corp.internal. 30 IN A 10.96.0.31']);
    expect(coreDnsAnswer(corp, 'nope.default.svc.corp.internal')).toMatchObject({ rcode: 'NXDOMAIN', authoritative: true, source: 'kubernetes' });
    expect(coreDnsAnswer(corp, 'hello-00001.default.svc.cluster.local', upstream)).toMatchObject({ rcode: 'NXDOMAIN', authoritative: false, source: 'upstream' });
    expect(podResolvConf('default', 'corp.internal').search).toEqual(['default.svc.corp.internal', 'svc.corp.internal', 'corp.internal']);
  });
  it('ClusterIP Service → A', () => {
    expect(formatAnswer(coreDnsAnswer(lookup, 'hello-00001.default.svc.cluster.local.'))).toEqual(['hello-00001.default.svc.cluster.local. 30 IN A 10.96.0.31']);
  });
  it('ExternalName → CNAME plus the in-cluster target\'s A (seed 002 dig output)', () => {
    expect(formatAnswer(coreDnsAnswer(lookup, 'hello.default.svc.cluster.local'))).toEqual([
      'hello.default.svc.cluster.local. 30 IN CNAME knative-local-gateway.istio-system.svc.cluster.local.',
      'knative-local-gateway.istio-system.svc.cluster.local. 30 IN A 10.96.0.20',
    ]);
  });
  it('headless → one A per ready endpoint', () => {
    expect(coreDnsAnswer(lookup, 'headless.default.svc.cluster.local').records.map((r) => r.type === 'A' && r.address)).toEqual(['10.1.0.5', '10.1.0.6']);
  });
  it('unknown names in cluster.local → authoritative NXDOMAIN; others are forwarded', () => {
    expect(coreDnsAnswer(lookup, 'nope.default.svc.cluster.local')).toMatchObject({ rcode: 'NXDOMAIN', authoritative: true, source: 'kubernetes' });
    expect(coreDnsAnswer(lookup, 'hello.default.default.svc.cluster.local').rcode).toBe('NXDOMAIN');
    expect(coreDnsAnswer(lookup, 'www.example.com', upstream)).toMatchObject({ rcode: 'NOERROR', authoritative: false, source: 'upstream' });
    expect(coreDnsAnswer(lookup, 'www.example.net', upstream)).toMatchObject({ rcode: 'NXDOMAIN', source: 'upstream' });
  });
  it('SRV for a named port', () => {
    expect(formatAnswer(coreDnsAnswer(lookup, '_http._tcp.hello-00001.default.svc.cluster.local'))).toEqual(['_http._tcp.hello-00001.default.svc.cluster.local. 30 IN SRV 0 100 80 hello-00001.default.svc.cluster.local.']);
  });
});

describe('pod resolver (ClusterFirst, ndots 5)', () => {
  const conf = podResolvConf('default');
  it('search order: <ns>.svc.cluster.local, svc.cluster.local, cluster.local, then as-is', () => {
    expect(candidateNames('hello', conf)).toEqual(['hello.default.svc.cluster.local', 'hello.svc.cluster.local', 'hello.cluster.local', 'hello']);
    expect(candidateNames('a.b.c.d.e.f', conf)[0]).toBe('a.b.c.d.e.f');
    expect(candidateNames('hello.default.svc.cluster.local.', conf)).toEqual(['hello.default.svc.cluster.local']);
  });

  it('hello → first try answers through the CNAME', () => {
    const r = resolvePodName('hello', conf, ask);
    expect(r.address).toBe('10.96.0.20');
    expect(r.cnameChain).toEqual(['knative-local-gateway.istio-system.svc.cluster.local']);
    expect(r.queries.map((q) => q.name)).toEqual(['hello.default.svc.cluster.local']);
  });

  it('hello.default → NXDOMAIN for hello.default.default.svc.cluster.local, then hello.default.svc.cluster.local', () => {
    const r = resolvePodName('hello.default', conf, ask);
    expect(r.queries.map((q) => [q.name, q.answer.rcode])).toEqual([
      ['hello.default.default.svc.cluster.local', 'NXDOMAIN'],
      ['hello.default.svc.cluster.local', 'NOERROR'],
    ]);
    expect(r.answeredName).toBe('hello.default.svc.cluster.local');
  });

  it('hello.default.example.com → 3 NXDOMAINs, then upstream', () => {
    const r = resolvePodName('hello.default.example.com', conf, ask);
    expect(r.queries.map((q) => q.answer.rcode)).toEqual(['NXDOMAIN', 'NXDOMAIN', 'NXDOMAIN', 'NOERROR']);
    expect(r.address).toBe('203.0.113.10');
  });

  it('an ExternalName to an outside name is chased upstream', () => {
    const r = resolvePodName('outside', conf, ask);
    expect(r.address).toBe('198.51.100.7');
    expect(r.queries.map((q) => q.name)).toEqual(['outside.default.svc.cluster.local', 'api.example.org']);
  });

  it('an unknown name fails after every try', () => {
    const r = resolvePodName('nothing', conf, ask);
    expect(r.address).toBeUndefined();
    expect(r.queries).toHaveLength(4);
  });
});

describe('cache 30 and the external table', () => {
  it('answers from the cache for 30 s, then asks again', () => {
    const cache = new DnsCache();
    let calls = 0;
    const q = (n: string) => {
      calls++;
      return coreDnsAnswer(lookup, n);
    };
    expect(cache.lookup('hello-00001.default.svc.cluster.local', 0, q).cached).toBe(false);
    expect(cache.lookup('HELLO-00001.default.svc.cluster.local', 29_999, q).cached).toBe(true);
    expect(cache.lookup('hello-00001.default.svc.cluster.local', 30_000, q).cached).toBe(false);
    expect(calls).toBe(2);
  });
  it('the longest matching domain wins; everything else is NXDOMAIN', () => {
    const r: ExternalResolver = { entries: [{ domain: 'example.com', address: '1.1.1.1' }, { domain: 'a.example.com', address: '2.2.2.2' }] };
    expect(externalAnswer(r, 'x.a.example.com').records[0]).toMatchObject({ address: '2.2.2.2' });
    expect(externalAnswer(r, 'example.com').records[0]).toMatchObject({ address: '1.1.1.1' });
    expect(externalAnswer(r, 'notexample.com').rcode).toBe('NXDOMAIN');
  });
});
