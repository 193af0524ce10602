import { afterEach, describe, expect, it } from 'vitest';
import { Cluster, type HttpRequest } from '../../src/index.js';
import { deepCopy } from '../../src/apis/deep-copy.js';
import { applyMergePatch, kubectlApply, mergePatchDiff } from '../../src/apis/apply-patch.js';
import { makeLatencyModel } from '../../src/apis/config/latencies.js';

/**
 * Issue 15, security: keys a user writes (annotations, labels, ConfigMap data, tags, env names,
 * headers) must never reach an object's prototype. `__proto__`, `constructor` and `prototype`
 * at every entry point of the library; the CLI's `--set` and the scenario files have their own
 * tests in their packages.
 */
const KEYS = ['__proto__', 'constructor', 'prototype'] as const;

function polluted(): string[] {
  const probe: Record<string, unknown> = {};
  return ['knsim.dev/response', 'knsim.dev/status', 'x', 'polluted'].filter((k) => probe[k] !== undefined);
}

afterEach(() => {
  // A failing test must not leave the process polluted for the next one.
  for (const k of ['knsim.dev/response', 'knsim.dev/status', 'x', 'polluted']) delete (Object.prototype as Record<string, unknown>)[k];
});

const service = (extra: { svcAnnotations?: string; templateMeta?: string; env?: string; traffic?: string } = {}) => `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: hello
${extra.svcAnnotations ?? ''}spec:
  template:
${extra.templateMeta ?? ''}    spec:
      containers:
        - image: ghcr.io/knative/helloworld-go:latest
${extra.env ?? ''}${extra.traffic ?? ''}`;

function answer(c: Cluster, url = 'http://hello.default.example.com/') {
  const r = c.request({ url });
  return { status: r.status, body: r.body };
}

describe('user keys never reach a prototype (issue 15, security)', () => {
  it('deepCopy keeps a `__proto__` key as a key: the copy has no inherited fields', () => {
    const src = JSON.parse('{"a":{"__proto__":{"knsim.dev/response":"pwned"},"constructor":"c"}}') as { a: Record<string, unknown> };
    const copy = deepCopy(src);
    expect(Object.keys(copy.a)).toEqual(['__proto__', 'constructor']);
    expect((copy.a as Record<string, unknown>)['knsim.dev/response']).toBeUndefined();
    expect(Object.getPrototypeOf(copy.a)).toBe(Object.prototype);
    expect(polluted()).toEqual([]);
  });

  it('the merge patch of kubectl apply adds, changes and removes a `__proto__` key like any other', () => {
    const from = JSON.parse('{"m":{"a":"1"}}');
    const to = JSON.parse('{"m":{"a":"1","__proto__":{"x":"y"}}}');
    const patch = mergePatchDiff(from, to);
    expect(JSON.stringify(patch)).toBe('{"m":{"__proto__":{"x":"y"}}}');
    const out = applyMergePatch(from, patch!) as { m: Record<string, unknown> };
    expect(Object.keys(out.m).sort()).toEqual(['__proto__', 'a']);
    expect(out.m['x']).toBeUndefined();
    // `constructor` present in the old object only is removed, not mistaken for an inherited key.
    expect(JSON.stringify(mergePatchDiff(JSON.parse('{"constructor":"a"}'), {}))).toBe('{"constructor":null}');
    const applied = kubectlApply(undefined, JSON.parse('{"metadata":{"name":"n","annotations":{"__proto__":"v"}}}'));
    expect(Object.keys((applied.metadata as { annotations: object }).annotations)).toContain('__proto__');
    expect(polluted()).toEqual([]);
  });

  it('`__proto__` in annotations, labels and env changes nothing for the app and pollutes nothing', () => {
    const c = new Cluster({ seed: 1 });
    const templateMeta = `    metadata:
      annotations:
        __proto__:
          knsim.dev/response: pwned
`;
    // Rejected by the API server's structural schema (a map where a string belongs) or accepted;
    // either way the app answers as it would without it.
    try {
      c.apply(service({ templateMeta, svcAnnotations: '  annotations:\n    __proto__:\n      knsim.dev/status: "503"\n' }));
    } catch {
      c.apply(service());
    }
    c.waitForReady();
    expect(answer(c)).toEqual({ status: 200, body: 'Hello World!\n' });
    expect(polluted()).toEqual([]);
  });

  for (const key of KEYS) {
    it(`a traffic tag, label, annotation and env var named ${JSON.stringify(key)} is an ordinary name`, () => {
      const c = new Cluster({ seed: 1 });
      // Tags are DNS labels: `__proto__` is not one and is rejected; `constructor` and `prototype` are.
      const tag = key === '__proto__' ? 'proto' : key;
      c.apply(
        service({
          templateMeta: `    metadata:\n      labels:\n        ${key === '__proto__' ? 'proto' : key}: "x"\n`,
          env: `          env:\n            - name: ${key}\n              value: "v"\n`,
          traffic: `  traffic:\n    - latestRevision: true\n      percent: 100\n    - latestRevision: true\n      tag: ${tag}\n`,
        }),
      );
      c.waitForReady();
      expect(answer(c)).toEqual({ status: 200, body: 'Hello World!\n' });
      expect(answer(c, `http://${tag}-hello.default.example.com/`)).toEqual({ status: 200, body: 'Hello World!\n' });
      expect(polluted()).toEqual([]);
    });

    it(`ConfigMap data with a key ${JSON.stringify(key)} is stored as data (knative-serving's ConfigMaps)`, () => {
      const c = new Cluster({ seed: 1 });
      c.apply(`apiVersion: v1
kind: ConfigMap
metadata:
  name: config-autoscaler
  namespace: knative-serving
data:
  ${JSON.stringify(key)}: "x"
  stable-window: "30s"
`);
      c.apply(service());
      c.waitForReady();
      expect(answer(c).status).toBe(200);
      expect(polluted()).toEqual([]);
    });

    it(`a request header named ${JSON.stringify(key)} reaches the app as a header`, () => {
      const c = new Cluster({ seed: 1 });
      const seen: Array<Record<string, string>> = [];
      c.registerApp('echo', (req: HttpRequest) => {
        seen.push(req.headers.toRecord());
        return { status: 200, body: 'ok' };
      });
      c.apply(service().replace('ghcr.io/knative/helloworld-go:latest', 'example.com/echo:1'));
      c.waitForReady();
      const r = c.request({ url: 'http://hello.default.example.com/', headers: [[key, 'v']] });
      expect(r.status).toBe(200);
      expect(Object.prototype.hasOwnProperty.call(seen.at(-1)!, key)).toBe(true);
      expect(seen.at(-1)![key]).toBe('v');
      expect(polluted()).toEqual([]);
    });

    it(`ClusterOptions.config with a ConfigMap or key ${JSON.stringify(key)} is refused or inert`, () => {
      const config = JSON.parse(`{${JSON.stringify(key)}:{"knsim.dev/response":"pwned"},"config-autoscaler":{${JSON.stringify(key)}:"x"}}`);
      expect(() => new Cluster({ seed: 1, config })).toThrow(/unknown ConfigMap/);
      const c = new Cluster({ seed: 1, config: JSON.parse(`{"config-autoscaler":{${JSON.stringify(key)}:"x"}}`) });
      c.apply(service());
      c.waitForReady();
      expect(answer(c).status).toBe(200);
      expect(polluted()).toEqual([]);
    });

    it(`a latency named ${JSON.stringify(key)} is unknown, not inherited`, () => {
      expect(() => makeLatencyModel(JSON.parse(`{${JSON.stringify(key)}:"const(1ms)"}`))).toThrow(/unknown latency/);
    });
  }
});
