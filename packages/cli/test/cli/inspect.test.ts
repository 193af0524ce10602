import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BUILTIN_DIR } from '@knsim/scenarios';
import { EventLog } from '../../src/inspect/events.js';
import { knsim } from '../helpers.js';

const hello = join(BUILTIN_DIR, 'life-of-a-request', 'hello.yaml');
const gray = (f: string) => join(BUILTIN_DIR, 'gray-release', f);
const routing = (f: string) => join(BUILTIN_DIR, 'routing-across-services', f);
/** A table's rows as cells (kubectl separates columns by at least 3 spaces). */
const rows = (out: string) =>
  out
    .trimEnd()
    .split('\n')
    .map((l) => l.split(/ {3,}/));

describe('knsim get (kubectl get on a cluster built from -f files)', () => {
  it("prints kubectl's columns for ksvc (the CRD's additionalPrinterColumns: URL, LATESTCREATED, LATESTREADY, READY, REASON)", () => {
    const r = knsim(['get', 'ksvc', '-f', hello]);
    expect(r.code).toBe(0);
    expect(rows(r.stdout)).toEqual([
      ['NAME', 'URL', 'LATESTCREATED', 'LATESTREADY', 'READY', 'REASON'],
      ['hello', 'http://hello.default.example.com', 'hello-00001', 'hello-00001', 'True'],
    ]);
  });

  it("knows kubectl's and kn's short names, and the columns of revisions, routes, KIngresses, PodAutoscalers and SKSs", () => {
    const r = knsim(['get', 'rev,rt,cfg,king,kpa,sks', '-f', hello]);
    expect(r.code).toBe(0);
    const t = r.stdout.split('\n\n').map(rows);
    expect(t[0]![0]).toEqual(['NAME', 'CONFIG NAME', 'GENERATION', 'READY', 'REASON', 'ACTUAL REPLICAS', 'DESIRED REPLICAS']);
    expect(t[0]![1]).toEqual(['revision.serving.knative.dev/hello-00001', 'hello', '1', 'True', '1', '1']);
    expect(t[1]![0]).toEqual(['NAME', 'URL', 'READY', 'REASON']);
    expect(t[2]![0]).toEqual(['NAME', 'LATESTCREATED', 'LATESTREADY', 'READY', 'REASON']);
    expect(t[3]![1]).toEqual(['ingress.networking.internal.knative.dev/hello', 'True']);
    expect(t[4]![0]).toEqual(['NAME', 'DESIREDSCALE', 'ACTUALSCALE', 'READY', 'REASON']);
    expect(t[5]![0]).toEqual(['NAME', 'MODE', 'ACTIVATORS', 'SERVICENAME', 'PRIVATESERVICENAME', 'READY', 'REASON']);
  });

  it('shows pods as kubectl does, and -o wide adds IP and NODE; after --after the revision has scaled to zero', () => {
    const up = knsim(['get', 'po', '-o', 'wide', '-f', hello]);
    const t = rows(up.stdout);
    expect(t[0]).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    expect(t[1]![0]).toMatch(/^hello-00001-deployment-[a-z0-9]+-[a-z0-9]{5}$/);
    expect(t[1]!.slice(1, 4)).toEqual(['2/2', 'Running', '0']);
    expect(t[1]![5]).toMatch(/^10\.244\./);
    const later = knsim(['get', 'pods', '-f', hello, '--after', '5m']);
    expect(later.stdout).toBe('');
    expect(later.stderr).toBe('No resources found in default namespace.\n');
  });

  it('services, endpoints and configmaps with -n and -A; -o jsonpath as the seeds use it for the gateway address', () => {
    const svc = knsim(['get', 'svc', '-A', '-f', hello]);
    const lb = rows(svc.stdout).find((c) => c[1] === 'istio-ingressgateway')!;
    expect(rows(svc.stdout)[0]).toEqual(['NAMESPACE', 'NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    expect(lb.slice(2, 5)).toEqual(['LoadBalancer', expect.stringMatching(/^10\.96\./), '203.0.113.10']);
    expect(rows(svc.stdout).find((c) => c[1] === 'hello')!.slice(2, 5)).toEqual(['ExternalName', '<none>', 'knative-local-gateway.istio-system.svc.cluster.local']);
    const ip = knsim(['get', 'svc', 'istio-ingressgateway', '--namespace', 'istio-system', '-o', "jsonpath={.status.loadBalancer.ingress[*]['ip']}", '-f', hello]);
    expect(ip.stdout).toBe('203.0.113.10');
    const url = knsim(['get', 'route', 'hello', '-o', 'jsonpath={.status.url}', '-f', hello]);
    expect(url.stdout).toBe('http://hello.default.example.com');
    const ep = knsim(['get', 'ep', 'hello-00001-private', '-f', hello]);
    expect(rows(ep.stdout)[1]![1]).toMatch(/^10\.244\.\d+\.\d+:8012/);
    const cm = knsim(['get', 'cm', '-n', 'knative-serving', 'config-domain', '-o', 'yaml', '-f', hello, '--set', 'config-domain.foo.dev=']);
    const doc = parse(cm.stdout);
    expect(doc.kind).toBe('ConfigMap');
    expect(doc.data).toEqual({ 'foo.dev': '' });
  });

  it('-l selects by label (the gray-release seed: kubectl get revision -l serving.knative.dev/service=…); -o name and -o json', () => {
    const r = knsim(['get', 'revision', '-l', 'serving.knative.dev/service=stock-service-example', '-o', 'name', '-f', gray('revision-v1.yaml'), '-f', gray('revision-v2.yaml')]);
    expect(r.stdout).toBe('revision.serving.knative.dev/stock-service-example-v1\nrevision.serving.knative.dev/stock-service-example-v2\n');
    const j = knsim(['get', 'ksvc', '-o', 'json', '-f', gray('revision-v1.yaml')]);
    const list = JSON.parse(j.stdout);
    expect(list.kind).toBe('List');
    expect(list.items[0].status.traffic).toEqual([expect.objectContaining({ revisionName: 'stock-service-example-v1', percent: 100 })]);
  });

  it('a VirtualService the user applied, as the routing seed views it (GATEWAYS and HOSTS columns, -o yaml)', () => {
    const r = knsim(['get', 'vs', 'entry-route', '-f', routing('sample.yaml'), '-f', routing('routing.yaml')]);
    expect(rows(r.stdout)[0]).toEqual(['NAME', 'GATEWAYS', 'HOSTS', 'AGE']);
    expect(rows(r.stdout)[1]![0]).toBe('entry-route');
    const y = parse(knsim(['get', 'virtualservice', 'entry-route', '--output', 'yaml', '-f', routing('sample.yaml'), '-f', routing('routing.yaml')]).stdout);
    expect(y.spec.hosts).toEqual(['example.com']);
  });

  it("names a missing object as kubectl does (exit 1), and an unknown kind is the user's mistake (exit 2)", () => {
    const missing = knsim(['get', 'ksvc', 'nope', '-f', hello]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('Error from server (NotFound): services.serving.knative.dev "nope" not found\n');
    const unknown = knsim(['get', 'widgets', '-f', hello]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('the server doesn\'t have a resource type "widgets"');
  });
});

describe('knsim describe', () => {
  it("describes the placeholder Service as the life-of-a-request seed shows it (kubectl describe service hello)", () => {
    const r = knsim(['describe', 'service', 'hello', '-f', hello]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Name:\s{14}hello\n/);
    expect(r.stdout).toContain('Type:              ExternalName\n');
    expect(r.stdout).toContain('External Name:     knative-local-gateway.istio-system.svc.cluster.local\n');
  });

  it("a revision: spec summary, conditions with reasons and messages, and Events from the trace (conditions, scale decisions)", () => {
    const r = knsim(['describe', 'rev', 'hello-00001', '-f', hello, '--after', '3m']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Image:          ghcr.io/knative/helloworld-go:latest\n');
    expect(r.stdout).toMatch(/Conditions:\n\s+Type\s+Status\s+Reason\s+Message\n\s+Active\s+False\s+NoTraffic\s+The target is not receiving traffic\./);
    const events = r.stdout.slice(r.stdout.indexOf('Events:'));
    expect(events).toMatch(/Type\s+Reason\s+Age\s+From\s+Message/);
    expect(events).toMatch(/Normal\s+Scaled\s+\S+( \(x\d+ over \S+\))?\s+autoscaler\s+Scaled hello-00001-deployment from 1 to 0/);

  });

  it("a pod's Events are the scheduler's, kubelet's and the activator's probe results; a configuration's say which revision it created", () => {
    const pod = knsim(['describe', 'pods', '-f', hello]);
    expect(pod.stdout).toMatch(/Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned default\/hello-00001-deployment-\S+ to node-\d/);
    expect(pod.stdout).toMatch(/(Normal|Warning)\s+Probe(Succeeded|Failed)\s+\S+\s+activator\s+activator activator-\S+ probed queue-proxy: (ready|not ready)/);
    const j = JSON.parse(knsim(['describe', 'ksvc', 'hello', '--json', '-f', hello]).stdout);
    expect(j[0].object.apiVersion).toBe('serving.knative.dev/v1');
    expect(j[0].events).toContainEqual(expect.objectContaining({ reason: 'Created', from: 'kubectl' }));
    const cfg = knsim(['describe', 'configuration', 'hello', '-f', hello]);
    expect(cfg.stdout).toMatch(/Normal\s+Created\s+\S+\s+configuration-controller\s+Created Revision "hello-00001"/);
  });
});

describe('knsim dig', () => {
  it("answers as the seed's dig does: the placeholder's CNAME to the local gateway and its A record, from a pod's resolver", () => {
    const r = knsim(['dig', 'hello.default.svc.cluster.local', '--from-pod', 'default', '-f', hello]);
    expect(r.code).toBe(0);
    const answer = r.stdout.slice(r.stdout.indexOf(';; ANSWER SECTION:')).split('\n');
    expect(answer[1]).toBe('hello.default.svc.cluster.local.\t30\tIN\tCNAME\tknative-local-gateway.istio-system.svc.cluster.local.');
    expect(answer[2]).toMatch(/^knative-local-gateway\.istio-system\.svc\.cluster\.local\.\t30\tIN\tA\t10\.96\.\d+\.\d+$/);
    expect(r.stdout).toContain('status: NOERROR');
  });

  it('shows the search-path expansion (ndots 5) a short name goes through, and NXDOMAIN is exit 1', () => {
    const r = knsim(['dig', 'hello', '--from-pod', 'default', '-f', hello]);
    expect(r.stdout).toContain(';; resolv.conf: search default.svc.cluster.local svc.cluster.local cluster.local; options ndots:5');
    expect(r.stdout).toContain(';hello.default.svc.cluster.local.\t\tIN\tA');
    const far = knsim(['dig', 'hello.default.svc.cluster.local', '--from-pod', 'default', '-f', hello]);
    expect(far.stdout.match(/^;; search: .* NXDOMAIN$/gm)).toHaveLength(3);
    const nx = knsim(['dig', 'nope.default.svc.cluster.local.', '--from-pod', 'default', '-f', hello]);
    expect(nx.code).toBe(1);
    expect(nx.stdout).toContain('status: NXDOMAIN');
  });

  it("without --from-pod asks the external resolver: the Knative domain leads to the gateway; SRV records for a port", () => {
    const ext = knsim(['dig', 'hello.default.example.com', '-f', hello]);
    expect(ext.stdout).toMatch(/^hello\.default\.example\.com\.\t300\tIN\tA\t203\.0\.113\.10$/m);
    const srv = knsim(['dig', '_http._tcp.hello-00001.default.svc.cluster.local', 'SRV', '--from-pod', 'default', '-f', hello, '--json']);
    const doc = JSON.parse(srv.stdout);
    expect(doc.queries.at(-1).answer.records).toEqual([expect.objectContaining({ type: 'SRV', port: 80, target: 'hello-00001.default.svc.cluster.local' })]);
  });
});

describe('get, describe and dig on the final state of a knsim run (--from DIR)', () => {
  it('knsim run saves objects.json beside summary.json; get and describe read it', () => {
    const out = mkdtempSync(join(tmpdir(), 'knsim-run-'));
    expect(knsim(['run', 'scale-to-zero', '--out', out, '--quiet']).code).toBe(0);
    const saved = JSON.parse(readFileSync(join(out, 'objects.json'), 'utf8'));
    expect(saved.objects.some((o: { kind: string }) => o.kind === 'Revision')).toBe(true);
    const kpa = knsim(['get', 'kpa', '--from', out]);
    expect(rows(kpa.stdout)[1]).toEqual(['hello-00001', '0', '0', 'False', 'NoTraffic']);
    const d = knsim(['describe', 'pa', 'hello-00001', '--from', out]);
    expect(d.stdout).toMatch(/Normal\s+Scaled\s+\S+( \(x\d+ over \S+\))?\s+autoscaler\s+Scaled hello-00001-deployment from 1 to 0/);
    const dig = knsim(['dig', 'hello.default.svc.cluster.local', '--from-pod', 'default', '--from', out]);
    expect(dig.code).toBe(0);
    const none = knsim(['get', 'ksvc', '--from', join(out, 'nope')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('objects.json: no such file');
  });
});

describe('the Events of an object, as the API server aggregates them', () => {
  it('folds a repeat into the earlier event of the same reason and message, counts it, and lists it at its last time', () => {
    const log = new EventLog();
    const add = (t: number, reason: string, message: string) => log.add('pods', 'default', 'p', t, 'Normal', reason, 'kubelet', message);
    add(0, 'Probe', 'a');
    add(1, 'Probe', 'b');
    add(2, 'Probe', 'a');
    add(3, 'Probe', 'a');
    expect(log.of('pods', 'default', 'p').map((e) => [e.message, e.count, e.firstMs, e.lastMs])).toEqual([
      ['b', 1, 1, 1],
      ['a', 3, 0, 3],
    ]);
  });
});
