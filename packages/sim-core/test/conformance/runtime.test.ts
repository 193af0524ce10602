import { describe, expect, it } from 'vitest';
import { Cluster, type ClientResponse } from '../../src/index.js';
import { createServiceReady, IMAGE, pollUntil } from './helpers.js';

/**
 * knative/serving test/conformance/runtime transcribed: the runtime image reports what the
 * container sees (test/types/runtime.go RuntimeInfo), the readiness image is probed.
 */

// test/conformance.go HelloWorldText
const HELLO_WORLD_TEXT = 'Hello World! How about some tasty noodles?';

interface RuntimeInfo {
  request: { host: string; headers: Record<string, string[]> };
  host: { envs: Record<string, string> };
}

/** fetchRuntimeInfo (test/conformance/runtime/util.go): a Service of the runtime image, one request. */
function fetchRuntimeInfo(opts: { container?: string; headers?: Record<string, string> } = {}): RuntimeInfo {
  const c = new Cluster({ seed: 11 });
  createServiceReady(c, 'runtime', { image: IMAGE('runtime'), container: opts.container });
  const r = c.request({ url: 'http://runtime.default.example.com/', headers: opts.headers });
  expect(r.status).toBe(200);
  return JSON.parse(r.body) as RuntimeInfo;
}

describe('conformance/runtime/envvars_test.go', () => {
  it('TestShouldEnvVars: K_SERVICE, K_CONFIGURATION, K_REVISION name the Service, Configuration, Revision', () => {
    const ri = fetchRuntimeInfo();
    // types.ShouldEnvVars
    expect(ri.host.envs).toMatchObject({ K_SERVICE: 'runtime', K_CONFIGURATION: 'runtime', K_REVISION: 'runtime-00001' });
  });

  it('TestMustEnvVars: PORT is the container port asked for (8801)', () => {
    const ri = fetchRuntimeInfo({ container: 'ports:\n  - containerPort: 8801' });
    expect(ri.host.envs.PORT).toBe('8801');
  });
});

describe('conformance/runtime/header_test.go', () => {
  it('TestMustHaveHeadersSet: Host is set, Forwarded is a valid RFC 7239 header', () => {
    const ri = fetchRuntimeInfo();
    expect(ri.request.host).not.toBe('');
    const fwd = ri.request.headers.Forwarded;
    expect(fwd).toBeDefined();
    // checkForwardedHeader: token=value pairs separated by ; and ,
    for (const v of fwd!) {
      for (const pair of v.split(/[;,]/).filter((p) => p !== '')) {
        const [token, value] = pair.trim().split('=');
        expect(token).toMatch(/^[0-9a-zA-Z!#$%&'*+\-.^_|~]+$/);
        expect(value).toMatch(/^([0-9a-zA-Z!#$%&'*+\-.^_|~]+|"[^"]*")$/);
      }
    }
  });

  it('TestShouldHaveHeadersSet: user headers as sent, X-Forwarded-Proto http(s), X-Forwarded-For a list of IPs', () => {
    const ri = fetchRuntimeInfo({ headers: { 'This-Was-User-Set': 'a value' } });
    const h = ri.request.headers;
    expect(h['This-Was-User-Set']).toEqual(['a value']);
    expect(h['X-Forwarded-Proto']!.every((v) => /https?/.test(v))).toBe(true);
    for (const v of h['X-Forwarded-For']!) for (const ip of v.split(',')) expect(ip.trim()).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });
});

describe('conformance/runtime/readiness_probe_test.go', () => {
  const cases: Array<{ name: string; env: Record<string, string>; probe: string }> = [
    { name: 'httpGet', env: { READY_DELAY: '10s' }, probe: 'httpGet:\n  path: /healthz/readiness' },
    { name: 'tcpSocket', env: { LISTEN_DELAY: '10s' }, probe: 'tcpSocket: {}' },
    { name: 'exec', env: { READY_DELAY: '10s' }, probe: 'exec:\n  command: ["/ko-app/readiness", "probe"]' },
  ];
  for (const tc of cases) {
    for (const period of [0, 1]) {
      it(`TestProbeRuntime/${tc.name}${period > 0 ? `-period=${period}` : ''}: Ready only once the app is, then answers HelloWorldText`, () => {
        const c = new Cluster({ seed: 12 });
        const probe = `readinessProbe:\n${tc.probe
          .split('\n')
          .map((l) => `  ${l}`)
          .join('\n')}${period > 0 ? `\n  periodSeconds: ${period}` : ''}`;
        createServiceReady(c, 'probe', { image: IMAGE('readiness'), env: tc.env, container: probe });
        // Ready (CreateServiceReady) no earlier than the delay.
        expect(c.now).toBeGreaterThanOrEqual(10_000);
        const r = c.request({ url: 'http://probe.default.example.com/healthz/readiness' });
        expect(r).toMatchObject({ status: 200, body: HELLO_WORLD_TEXT });
      });
    }
  }

  for (const period of [0, 1]) {
    it(`TestProbeRuntimeAfterStartup/periodSeconds=${period}: after /start-failing requests time out (held by the activator) or get 503`, () => {
      const c = new Cluster({ seed: 13 });
      createServiceReady(c, 'after', { image: IMAGE('readiness'), container: `readinessProbe:\n  httpGet:\n    path: /healthz/readiness\n  periodSeconds: ${period}` });
      expect(c.request({ url: 'http://after.default.example.com/healthz' })).toMatchObject({ status: 200, body: HELLO_WORLD_TEXT });
      expect(c.request({ url: 'http://after.default.example.com/start-failing', method: 'POST' }).status).toBe(200);
      // readinessPropagationTime: poll every second with a 5 s client timeout until a request times out or is 503.
      let outcome = '';
      const ok = pollUntil(
        c,
        () => {
          const ev = c.send({ url: 'http://after.default.example.com/' });
          c.runUntil(c.now + 5_000);
          if (!ev.triggered) outcome = 'timeout';
          else if ((ev.value as ClientResponse).status === 503) outcome = '503';
          return outcome !== '';
        },
        60_000,
        1_000,
      );
      expect(ok).toBe(true);
    });
  }
});

describe('conformance/runtime/liveness_probe_test.go', () => {
  it('TestLivenessWithFail: liveness passes (counter ≥ 5, no restart); after /start-failing kubelet restarts the container and the new one is probed afresh', () => {
    const c = new Cluster({ seed: 14 });
    createServiceReady(c, 'live', {
      image: IMAGE('readiness'),
      container: 'livenessProbe:\n  httpGet:\n    path: /healthz/liveness\n    port: 8080\n  periodSeconds: 1\n  failureThreshold: 3',
    });
    const counter = () => Number(c.request({ url: 'http://live.default.example.com/healthz/livenessCounter' }).body);
    expect(pollUntil(c, () => counter() >= 5, 60_000, 1_000)).toBe(true);
    const restarted = () => c.pods('live-00001').some((p) => p.restarts > 0);
    expect(restarted()).toBe(false);
    c.request({ url: 'http://live.default.example.com/start-failing', method: 'POST' });
    expect(pollUntil(c, restarted, 60_000, 1_000)).toBe(true);
    // The restarted program counts from zero and passes again.
    expect(pollUntil(c, () => counter() >= 5, 60_000, 1_000)).toBe(true);
  });
});
