import { describe, expect, it } from 'vitest';
import { ApplyError, Cluster, parseDistribution, parseDuration, UserInputError, type KnsimTraceEvent } from '../../src/index.js';

/**
 * Issue 15, crashes: manifests of the wrong shape and values no simulation can run are refused
 * with the API server's or the webhook's message (a UserInputError), never a TypeError, a
 * RangeError or a kernel error later.
 */
const svc = (template: string, extra = '') => `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: hello
spec:
  template:
${template}
${extra}`;
const IMAGE = '      containers: [{image: ghcr.io/knative/helloworld-go:latest}]';

const CASES: Array<[string, string, RegExp]> = [
  ['containers: "x"', svc('    spec:\n      containers: "x"'), /ValidationError\(Service\.spec\.template\.spec\.containers\): invalid type for dev\.knative\.serving\.v1\.RevisionSpec\.containers: got "string", expected "array"/],
  ['traffic: "x"', svc(`    spec:\n${IMAGE}`, '  traffic: "x"'), /ValidationError\(Service\.spec\.traffic\): invalid type for dev\.knative\.serving\.v1\.ServiceSpec\.traffic: got "string", expected "array"/],
  ['env: {a: 1}', svc('    spec:\n      containers: [{image: ghcr.io/knative/helloworld-go:latest, env: {a: 1}}]'), /Container\.env: got "map", expected "array"/],
  ['containerConcurrency: "ten"', svc(`    spec:\n      containerConcurrency: "ten"\n${IMAGE}`), /RevisionSpec\.containerConcurrency: got "string", expected "integer"/],
  ['containerConcurrency: 1.5', svc(`    spec:\n      containerConcurrency: 1.5\n${IMAGE}`), /RevisionSpec\.containerConcurrency: got "number", expected "integer"/],
  ['timeoutSeconds: .nan', svc(`    spec:\n      timeoutSeconds: .nan\n${IMAGE}`), /error converting YAML to JSON: json: unsupported value: NaN/],
  ['timeoutSeconds: 1.5', svc(`    spec:\n      timeoutSeconds: 1.5\n${IMAGE}`), /RevisionSpec\.timeoutSeconds: got "number", expected "integer"/],
  ['annotations: {a: 1}', svc(`    metadata:\n      annotations: {a: 1}\n    spec:\n${IMAGE}`), /ObjectMeta\.annotations: got "integer", expected "string"/],
  ['labels: {b: true}', svc(`    metadata:\n      labels: {b: true}\n    spec:\n${IMAGE}`), /ObjectMeta\.labels: got "boolean", expected "string"/],
  ['ports: "8080"', svc('    spec:\n      containers: [{image: ghcr.io/knative/helloworld-go:latest, ports: "8080"}]'), /Container\.ports: got "string", expected "array"/],
  ['percent: "100"', svc(`    spec:\n${IMAGE}`, '  traffic: [{latestRevision: true, percent: "100"}]'), /TrafficTarget\.percent: got "string", expected "integer"/],
  ['a core Service without spec', 'apiVersion: v1\nkind: Service\nmetadata: {name: foo}\n', /The Service "foo" is invalid: spec\.ports: Required value/],
  ['a ConfigMap named with capitals', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Foo}\n', /The ConfigMap "Foo" is invalid: metadata\.name: Invalid value: "Foo": a lowercase RFC 1123 subdomain/],
  ['namespace Bad_NS!', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: foo, namespace: "Bad_NS!"}\n', /metadata\.namespace: Invalid value: "Bad_NS!": a lowercase RFC 1123 label/],
  ['a numeric namespace', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: foo, namespace: 123}\n', /ObjectMeta\.namespace: got "integer", expected "string"/],
  ['a core Service named with capitals', 'apiVersion: v1\nkind: Service\nmetadata: {name: Foo}\nspec: {ports: [{port: 80}]}\n', /metadata\.name: Invalid value: "Foo": a DNS-1035 label/],
  // Found by the fuzz suite:
  ['a kind named __proto__', 'apiVersion: v1\nkind: __proto__\nmetadata: {name: x}\n', /no matches for kind "__proto__" in version "v1"/],
  ['an annotation value null', svc(`    metadata:\n      annotations: {a: null}\n    spec:\n${IMAGE}`), /ObjectMeta\.annotations: got "null", expected "string"/],
  ['a label key __proto__', svc(`    spec:\n${IMAGE}`).replace('  name: hello\n', '  name: hello\n  labels: {__proto__: x}\n'), /metadata\.labels: Invalid value: "__proto__"/],
  [
    'panic-window-percentage "NaN"',
    svc(`    metadata:\n      annotations: {autoscaling.knative.dev/panic-window-percentage: "NaN"}\n    spec:\n${IMAGE}`),
    /invalid value: NaN: spec\.template\.metadata\.annotations\.autoscaling\.knative\.dev\/panic-window-percentage\nknsim refuses NaN/,
  ],
  ['a lognormal sigma of 1e308', svc(`    metadata:\n      annotations: {knsim.dev/service-time: "lognormal(1ms,1e308)"}\n    spec:\n${IMAGE}`), /lognormal sigma must be <= 10/],
];

describe('wrong shapes and unrunnable values are refused up front (issue 15)', () => {
  for (const [what, yaml, message] of CASES) {
    it(`${what}: validate names it, apply throws an ApplyError (no TypeError, no kernel error)`, () => {
      const v = new Cluster({ seed: 1 }).validate(yaml, { file: 'm.yaml' });
      expect(v.errors.join('\n')).toMatch(message);
      const c = new Cluster({ seed: 1 });
      let err: unknown;
      try {
        c.apply(yaml, { file: 'm.yaml' });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ApplyError);
      expect((err as Error).message).toMatch(message);
    });
  }

  it("a duration Go accepts but knsim cannot hold says knsim's limit, not 'invalid'", () => {
    expect(() => parseDuration('24000h')).toThrow("duration \"24000h\" is valid in Go but longer than knsim's limit of 2^53 ns (about 104 days)");
    expect(() => parseDuration('2562048h')).toThrow('time: invalid duration "2562048h"');
    expect(parseDuration('2400h')).toBe(2400 * 3_600_000);
  });

  it('a lognormal sigma small enough to sample is accepted', () => {
    expect(parseDistribution('lognormal(1ms,10)').kind).toBe('lognormal');
    expect(() => parseDistribution('lognormal(1ms,10.5)')).toThrow(/sigma must be <= 10/);
  });

  it('a cluster latency of Infinity is a UserInputError', () => {
    expect(() => new Cluster({ seed: 1, latencies: { network: 'Infinity' } })).toThrow(UserInputError);
  });
});

describe('null fields are absent, as Go decodes them (found by the fuzz suite)', () => {
  it('a VirtualService route with rewrite: null is accepted as one without rewrite', () => {
    const c = new Cluster({ seed: 1 });
    const r = c.validate(`apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {name: entry}
spec:
  gateways: [knative-serving/knative-ingress-gateway]
  hosts: [example.com]
  http:
  - rewrite: null
    route:
    - destination: {host: istio-ingressgateway.istio-system.svc.cluster.local, port: {number: 80}}
`);
    expect(r.errors).toEqual([]);
  });
});

describe('a VirtualService routing a host back into the gateway (issue 15)', () => {
  it("ends in Envoy's 431 after MAX passes, with a gateway.loop trace event, instead of a stack overflow", () => {
    const c = new Cluster({ seed: 1 });
    const events: KnsimTraceEvent[] = [];
    c.trace.on('gateway.loop', (e) => events.push(e));
    c.apply(`apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {name: loop, namespace: default}
spec:
  gateways: [knative-ingress-gateway.knative-serving.svc.cluster.local]
  hosts: [loop.example.com]
  http:
  - route:
    - destination: {host: istio-ingressgateway.istio-system.svc.cluster.local, port: {number: 80}}
`);
    c.runFor(5_000);
    const r = c.request({ url: 'http://loop.example.com/' });
    expect(r.status).toBe(431);
    expect(r.body).toBe('Request Header Fields Too Large');
    // 32 passes forwarded; the 33rd gateway answers.
    expect(r.hops.filter((h) => h.component === 'gateway')).toHaveLength(33);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'gateway.loop', passes: 32, authority: 'loop.example.com' });
  });
});
