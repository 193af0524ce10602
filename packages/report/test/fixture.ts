import type { KnsimTraceEvent } from '@knsim/sim-core';
import { makeSummary, type ReportInput } from '../src/index.js';

/**
 * A small run as plain data, written by hand (the report needs no cluster): one revision that
 * starts cold, a request buffered in the activator while its pod starts, and a load. `name`
 * and `text` let a test put hostile strings everywhere a user's string goes.
 */
export function fixture(o: { name?: string; text?: string; loadRequests?: number } = {}): ReportInput {
  const name = o.name ?? 'demo';
  const text = o.text ?? 'hello';
  const rev = 'hello-00001';
  const pod = 'hello-00001-deployment-abc-x1';
  const coldHops = [
    { component: 'dns', name: 'hello.default.example.com', startMs: 1000, endMs: 1000 },
    { component: 'gateway', name: 'gw-1:8080', startMs: 1001, endMs: 1499 },
    { component: 'activator', name: 'act-1', startMs: 1002, endMs: 1498 },
    { component: 'queue-proxy', name: pod, startMs: 1450, endMs: 1497 },
    { component: 'app', name: pod, startMs: 1451, endMs: 1496 },
  ];
  const trace: KnsimTraceEvent[] = [
    { type: 'revision.created', t: 0, namespace: 'default', revision: rev, configuration: 'hello', generation: 1 },
    { type: 'route.programmed', t: 10, namespace: 'default', route: 'hello', ingress: 'hello', traffic: [{ revisionName: rev, percent: 100 }] },
    { type: 'request.start', t: 1000, id: 1, method: 'GET', url: `http://hello.default.example.com/${text}`, tag: 'cold' },
    { type: 'dns.query', t: 1000, id: 1, client: 'external', name: 'hello.default.example.com', answer: '203.0.113.10' },
    { type: 'gateway.route', t: 1001, id: 1, gateway: 'gw-1', port: 8080, authority: 'hello.default.example.com', path: `/${text}`, vhost: 'hello.default.example.com:80', virtualService: `default/${text}`, result: `forward to ${rev}` },
    { type: 'kpa.scale', t: 1002, namespace: 'default', revision: rev, from: 0, to: 1, reason: 'activator poke' },
    { type: 'activator.buffered', t: 1002, id: 1, activator: 'act-1', revision: `default/${rev}`, queued: 1, reason: 'no healthy pods yet (waiting for scale-up)' },
    { type: 'pod.phase', t: 1002, namespace: 'default', pod, revision: rev, phase: 'Pending', ready: '0/2', restarts: 0, reason: 'created' },
    { type: 'pod.phase', t: 1400, namespace: 'default', pod, revision: rev, phase: 'Running', ready: '2/2', restarts: 0, reason: 'probe passed' },
    { type: 'sks.mode', t: 1500, namespace: 'default', revision: rev, mode: 'Serve', numActivators: 2, reason: 'enough burst capacity' },
    {
      type: 'request.end', t: 1500, id: 1, status: 200, latencyMs: 500, revision: rev, pod, tag: 'cold', hops: coldHops,
    },
  ];
  const n = o.loadRequests ?? 20;
  const latencies: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = 2000 + i * 10;
    const lat = 3 + (i % 7);
    latencies.push(lat);
    trace.push({ type: 'request.start', t, id: 100 + i, method: 'GET', url: 'http://hello.default.example.com/', tag: 'steady' });
    trace.push({ type: 'request.end', t: t + lat, id: 100 + i, status: 200, latencyMs: lat, revision: rev, pod, tag: 'steady', hops: [{ component: 'gateway', name: 'gw-1:8080', startMs: t, endMs: t + lat }, { component: 'queue-proxy', name: pod, startMs: t + 1, endMs: t + lat }, { component: 'app', name: pod, startMs: t + 1, endMs: t + lat }] });
  }
  const endMs = 2000 + n * 10 + 10;
  const summary = makeSummary({
    scenario: name,
    seed: 3,
    simulatedMs: endMs,
    loads: new Map([['steady', { startMs: 2000, endMs, sent: n, completed: n, byStatus: new Map([['200', n]]), byRevision: new Map([[rev, n]]), latencies }]]),
    requests: new Map([['cold', { status: 200, body: text, latencyMs: 500, revision: rev, pod, hops: coldHops }]]),
    revisions: new Map([[rev, { timeline: [{ tMs: 0, desiredPods: 0, readyPods: 0, panic: false, activatorInPath: true }, { tMs: 1002, desiredPods: 1, readyPods: 0, panic: true, activatorInPath: true }, { tMs: 1500, desiredPods: 1, readyPods: 1, panic: false, activatorInPath: false }], maxReadyPods: 1, coldStarts: 1 }]]),
    podWatch: new Map([[rev, [{ tMs: 1002, pod, ready: '0/2', status: 'Pending' }, { tMs: 1400, pod, ready: '2/2', status: 'Running' }]]]),
  });
  summary.checks = [{ check: `load steady: p99 ${text}`, observed: 9, max: 100, unit: ' ms', ok: true }, { check: 'request cold: latency', observed: 500, max: 100, unit: ' ms', ok: false }];
  return {
    run: {
      scenario: name,
      description: `a demo: ${text}`,
      seed: 3,
      command: `knsim run ${name} --seed 3`,
      simulatedMs: endMs,
      steps: [
        { index: 0, kind: 'request', what: `request cold: GET http://hello.default.example.com/${text}`, name: 'cold', startMs: 1000, endMs: 1500 },
        { index: 1, kind: 'load', what: 'load steady: 100 rps for 200ms', name: 'steady', startMs: 2000, endMs },
      ],
      manifests: [{ source: 'hello.yaml', tMs: 0, text: `metadata:\n  name: hello\n  annotations:\n    note: ${text}\n` }],
    },
    summary,
    trace,
  };
}
