import { describe, expect, it } from 'vitest';
import { Cluster, UserInputError, type KObject } from '../../src/index.js';
import { HELLO_KSVC } from '../apis/seed-manifests.js';

/**
 * Issue 10.11: a cluster whose Kubernetes domain is not cluster.local (the kubelet's
 * `clusterDomain`). Knative learns it from its pods' resolv.conf (knative.dev/pkg
 * network/domain.go GetClusterDomainName: the search entry `svc.<domain>`), Istio from istiod's
 * `--domain`, CoreDNS serves it as its zone, and every `*.svc.<domain>` name follows.
 */

const CD = 'corp.internal';

type Ksvc = KObject & { status: { url: string; address: { url: string } } };
type KIngress = KObject & { status: { privateLoadBalancer: { ingress: Array<{ domainInternal: string }> } } };
type Vs = KObject & { spec: { hosts: string[]; http: Array<{ route: Array<{ destination: { host: string } }> }> } };

function hello(): Cluster {
  const c = new Cluster({ seed: 5, clusterDomain: CD });
  c.apply(HELLO_KSVC);
  c.waitForReady();
  return c;
}

describe('clusterDomain', () => {
  it("Knative's in-cluster names, the load balancers and net-istio's VirtualServices use the cluster domain", () => {
    const c = hello();
    const ksvc = c.get<Ksvc>({ kind: 'Service', name: 'hello' })!;
    expect(ksvc.status.url).toBe('http://hello.default.example.com');
    expect(ksvc.status.address.url).toBe(`http://hello.default.svc.${CD}`);
    expect(c.get<KIngress>({ kind: 'Ingress', name: 'hello' })!.status.privateLoadBalancer.ingress[0]!.domainInternal).toBe(`knative-local-gateway.istio-system.svc.${CD}`);
    const vs = c.get<Vs>({ kind: 'VirtualService', name: 'hello-ingress' })!;
    expect(vs.spec.hosts).toEqual(['hello.default', 'hello.default.example.com', 'hello.default.svc', `hello.default.svc.${CD}`]);
    expect(vs.spec.http.at(-1)!.route[0]!.destination.host).toBe(`hello-00001.default.svc.${CD}`);
    expect(c.get<Vs>({ kind: 'VirtualService', name: 'hello-mesh' })!.spec.hosts).toContain(`hello.default.svc.${CD}`);
  });

  it('pods resolve through the search path <ns>.svc.<domain> and reach the route through the local gateway', () => {
    const c = hello();
    const answers: string[] = [];
    c.trace.on('dns.query', (e) => answers.push(e.answer));
    expect(c.request({ url: `http://hello.default.svc.${CD}/`, fromNamespace: 'default' }).body).toBe('Hello World!\n');
    expect(answers[0]).toContain(`hello.default.svc.${CD}. 30 IN CNAME knative-local-gateway.istio-system.svc.${CD}.`);
    const short = c.request({ url: 'http://hello.default/', fromNamespace: 'default' });
    expect(short.body).toBe('Hello World!\n');
    expect(answers[1]).toContain(`hello.default.default.svc.${CD} NXDOMAIN`);
    // cluster.local is no longer the cluster's zone: CoreDNS forwards it, and nobody knows it.
    expect(c.request({ url: 'http://hello.default.svc.cluster.local/', fromNamespace: 'default' }).error).toBe('Could not resolve host: hello.default.svc.cluster.local');
    expect(c.request({ url: 'http://hello.default.example.com/' }).body).toBe('Hello World!\n');
  });

  it('a cluster-local Service gets a svc.<domain> URL; a short destination in a VirtualService is expanded with the domain', () => {
    const c = hello();
    c.label({ kind: 'Service', name: 'hello' }, { 'networking.knative.dev/visibility': 'cluster-local' });
    c.runFor(3000);
    expect(c.get<Ksvc>({ kind: 'Service', name: 'hello' })!.status.url).toBe(`http://hello.default.svc.${CD}`);
    expect(c.request({ url: 'http://hello.default.example.com/' }).status).toBe(404);
    // routing-internal.yaml's pattern: the public gateway sends example.com to the cluster-local
    // route through its placeholder Service, named by its short name (ResolveShortnameToFQDN).
    c.apply(`apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {name: entry-route, namespace: default}
spec:
  gateways: [knative-serving/knative-ingress-gateway]
  hosts: [example.com]
  http:
  - rewrite: {authority: hello.default.svc.${CD}}
    route:
    - destination: {host: hello, port: {number: 80}}
`);
    c.runFor(1000);
    const r = c.request({ url: 'http://gateway/', headers: { Host: 'example.com' } });
    expect(r.body).toBe('Hello World!\n');
    expect(r.hops.filter((h) => h.component === 'gateway').map((h) => h.name.replace(/.*:/, ''))).toEqual(['8080', '8081']);
  });

  it('config-istio defaults and DomainMapping checks use the domain', () => {
    const c = hello();
    expect(() =>
      c.apply(`apiVersion: serving.knative.dev/v1beta1
kind: DomainMapping
metadata: {name: x.${CD}, namespace: default}
spec:
  ref: {name: hello, kind: Service, apiVersion: serving.knative.dev/v1}
`),
    ).toThrow(`must not be a subdomain of cluster local domain "${CD}"`);
  });

  it('must be a DNS-1123 subdomain, as the kubelet requires', () => {
    expect(() => new Cluster({ clusterDomain: 'Cluster.Local' })).toThrow(UserInputError);
    expect(() => new Cluster({ clusterDomain: 'corp_internal' })).toThrow(/^clusterDomain: Invalid value: "corp_internal": a lowercase RFC 1123 subdomain/);
    expect(() => new Cluster({ clusterDomain: '' })).toThrow(/clusterDomain/);
  });
});
