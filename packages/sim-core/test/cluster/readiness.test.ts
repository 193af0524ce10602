import { describe, expect, it } from 'vitest';
import { Cluster, NotReadyError } from '../../src/index.js';

const CONFIG = `apiVersion: serving.knative.dev/v1
kind: Configuration
metadata: {name: hello}
spec:
  template:
    spec:
      containers: [{image: ghcr.io/knative/helloworld-go:latest}]
`;
const route = (config: string) => `apiVersion: serving.knative.dev/v1
kind: Route
metadata: {name: hello}
spec:
  traffic:
    - configurationName: ${config}
      percent: 100
`;

// kubectl wait --for=condition=Ready on what was applied: a Configuration and a standalone
// Route (seed 001's subject, pkg/reconciler/route) are waited for like a Service.
describe('waitForReady waits for every Knative object, not only Services', () => {
  it('a Configuration and a standalone Route: the first request after waiting is answered', () => {
    const c = new Cluster({ seed: 3 });
    c.apply(CONFIG + '---\n' + route('hello'));
    c.waitForReady();
    const r = c.request({ url: 'http://hello.default.example.com/' });
    expect(r.status).toBe(200);
    expect(r.body).toBe('Hello World!\n');
  });

  it('a Route that never becomes Ready fails the wait, naming the Route and its condition', () => {
    const c = new Cluster({ seed: 3 });
    c.apply(route('missing'));
    let err: unknown;
    try {
      c.waitForReady({ timeoutMs: 120_000 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NotReadyError);
    expect((err as NotReadyError).kind).toBe('Route');
    expect((err as Error).message).toMatch(/^Route default\/hello is not Ready: ConfigurationMissing: Configuration "missing" referenced in traffic not found/);
  });
});
