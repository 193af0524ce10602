import { describe, expect, it } from 'vitest';
import { Cluster, dig, type KObject } from '../../src/index.js';
import { HELLO_KSVC } from '../apis/seed-manifests.js';

const of = (objects: readonly KObject[], kind: string, name?: string) => objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));

function helloCluster(seed = 1): Cluster {
  const c = new Cluster({ seed });
  c.apply(HELLO_KSVC);
  c.waitForReady();
  return c;
}

describe('Cluster.inspect: the cluster as kubectl get -o json shows it', () => {
  it('holds the stored objects with status, and the Pods, Endpoints, PodAutoscaler and ServerlessService beside them', () => {
    const s = helloCluster().inspect();
    expect(of(s.objects, 'Service', 'hello').map((o) => o.apiVersion).sort()).toEqual(['serving.knative.dev/v1', 'v1']);
    const rev = of(s.objects, 'Revision', 'hello-00001')[0] as KObject & { status: { actualReplicas: number; desiredReplicas: number } };
    expect(rev.status.actualReplicas).toBe(1);
    expect(rev.status.desiredReplicas).toBe(1);
    const pod = of(s.objects, 'Pod').find((p) => p.metadata.namespace === 'default')! as KObject & { status: { phase: string; containerStatuses: Array<{ ready: boolean }> } };
    expect(pod.metadata.labels?.['serving.knative.dev/revision']).toBe('hello-00001');
    expect(pod.status.phase).toBe('Running');
    expect(pod.status.containerStatuses.every((c) => c.ready)).toBe(true);
    const pa = of(s.objects, 'PodAutoscaler', 'hello-00001')[0] as KObject & { status: { actualScale: number; conditions: Array<{ type: string; status: string }> } };
    expect(pa.apiVersion).toBe('autoscaling.internal.knative.dev/v1alpha1');
    expect(pa.status.actualScale).toBe(1);
    expect(pa.status.conditions.find((c) => c.type === 'Active')!.status).toBe('True');
    expect((of(s.objects, 'ServerlessService', 'hello-00001')[0]!.spec as { mode: string }).mode).toMatch(/^(Proxy|Serve)$/);
    const ep = of(s.objects, 'Endpoints', 'hello-00001-private')[0] as KObject & { subsets: Array<{ addresses: Array<{ ip: string }> }> };
    expect(ep.subsets[0]!.addresses.map((a) => a.ip)).toEqual([(pod.status as unknown as { podIP: string }).podIP]);
    expect(s.objects.every((o) => typeof o.metadata.creationTimestamp === 'string')).toBe(true);
  });

  it('is plain JSON, the same for the same seed, and follows the cluster (at zero pods after the grace period)', () => {
    expect(JSON.stringify(helloCluster(3).inspect())).toBe(JSON.stringify(helloCluster(3).inspect()));
    const c = helloCluster();
    c.runFor(5 * 60_000);
    const s = JSON.parse(JSON.stringify(c.inspect())) as ReturnType<Cluster['inspect']>;
    expect(of(s.objects, 'Pod').filter((p) => p.metadata.namespace === 'default')).toEqual([]);
    expect((of(s.objects, 'PodAutoscaler')[0]!.status as { desiredScale: number }).desiredScale).toBe(0);
    expect(s.nowMs).toBe(c.now);
  });
});

describe('dig over a snapshot', () => {
  it("from a pod: the search path's names in order, then the placeholder's CNAME to the local gateway with its address (seed 002)", () => {
    const s = helloCluster().inspect();
    const r = dig(s, 'hello.default', { fromNamespace: 'default' });
    expect(r.search).toEqual({ search: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], ndots: 5 });
    expect(r.queries.map((q) => `${q.name} ${q.answer.rcode}`)).toEqual(['hello.default.default.svc.cluster.local NXDOMAIN', 'hello.default.svc.cluster.local NOERROR']);
    const local = of(s.objects, 'Service', 'knative-local-gateway')[0]!.spec as { clusterIP: string };
    expect(r.queries[1]!.answer.records).toEqual([
      { type: 'CNAME', name: 'hello.default.svc.cluster.local', target: 'knative-local-gateway.istio-system.svc.cluster.local', ttl: 30 },
      { type: 'A', name: 'knative-local-gateway.istio-system.svc.cluster.local', address: local.clusterIP, ttl: 30 },
    ]);
    expect(dig(s, 'hello.default', { fromNamespace: 'default', type: 'CNAME' }).queries.at(-1)!.answer.records.map((x) => x.type)).toEqual(['CNAME']);
  });

  it('from outside: the configured domain leads to the gateway; other names are NXDOMAIN', () => {
    const s = helloCluster().inspect();
    expect(dig(s, 'hello.default.example.com').queries[0]!.answer.records).toEqual([{ type: 'A', name: 'hello.default.example.com', address: s.dns.loadBalancerIp, ttl: 300 }]);
    expect(dig(s, 'hello.default.svc.cluster.local').queries[0]!.answer.rcode).toBe('NXDOMAIN');
  });
});
