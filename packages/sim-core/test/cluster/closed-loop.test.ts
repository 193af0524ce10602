import { describe, expect, it } from 'vitest';
import { startClosedLoop, type ClientResponse, type ClientRequest } from '../../src/index.js';
import { service, smallCluster } from '../../src/testing/index.js';

// startClosedLoop is hey's worker loop (github.com/rakyll/hey requester/requester.go runWorker):
// each user sends its next request when its last is answered, -n/-c requests each or until -z,
// taking a tick of its own time.Tick before each when rate-limited, with http.Client's Timeout.

const URL = 'http://app.default.example.com/';

function ready(serviceTime = 'const(100ms)', seed = 1) {
  return smallCluster({ seed, record: false, manifests: service({ name: 'app', annotations: { 'knsim.dev/service-time': serviceTime, 'autoscaling.knative.dev/min-scale': '3' } }) }).cluster;
}

function run(c: ReturnType<typeof ready>, o: Omit<Parameters<typeof startClosedLoop>[1], 'onResponse' | 'request'> & { request?: ClientRequest }) {
  const got: Array<{ r: ClientResponse; user: number }> = [];
  const t0 = c.now;
  const done = startClosedLoop(c, { request: { url: URL }, ...o, onResponse: (r, user) => got.push({ r, user }) });
  c.env.run({ until: done });
  return { got, t0, end: c.now };
}

describe('startClosedLoop', () => {
  it('with requestsPerUser, each user sends exactly that many, one at a time (hey -n 20 -c 4: 5 each)', () => {
    const c = ready();
    const { got } = run(c, { users: 4, requestsPerUser: 5 });
    expect(got).toHaveLength(20);
    for (let u = 0; u < 4; u++) {
      const mine = got.filter((g) => g.user === u).map((g) => g.r);
      expect(mine).toHaveLength(5);
      // One at a time: each request starts when the previous answer has arrived.
      for (let i = 1; i < mine.length; i++) expect(mine[i]!.startMs).toBeGreaterThanOrEqual(mine[i - 1]!.endMs);
    }
  });

  it('with durationMs, no user starts a request at or after the end, and the loop ends when the last answer is in (hey -z)', () => {
    const c = ready();
    const { got, t0, end } = run(c, { users: 3, durationMs: 1000 });
    expect(got.every((g) => g.r.startMs < t0 + 1000)).toBe(true);
    expect(Math.max(...got.map((g) => g.r.endMs))).toBe(end);
    expect(end).toBeGreaterThan(t0 + 1000);
  });

  it("with tickUs, a user sends on its ticker's ticks, the first one period after the start (hey -q 5: every 200 ms)", () => {
    const c = ready('const(10ms)');
    const { got, t0 } = run(c, { users: 1, requestsPerUser: 4, tickUs: 200_000 });
    expect(got.map((g) => Math.round(g.r.startMs - t0))).toEqual([200, 400, 600, 800]);
  });

  it('a tick that comes while the user waits for an answer is kept, the later ones dropped (Go time.Tick)', () => {
    // 250 ms answers on a 100 ms ticker: sent at 100; the answer at ~350 finds tick 200 kept
    // (300 dropped) and sends at once; the next at ~600 finds tick 400 kept, and so on.
    const c = ready('const(250ms)');
    const { got, t0 } = run(c, { users: 1, requestsPerUser: 3, tickUs: 100_000 });
    const starts = got.map((g) => g.r.startMs - t0);
    expect(starts[0]).toBe(100);
    expect(starts[1]).toBe(got[0]!.r.endMs - t0);
    expect(starts[2]).toBe(got[1]!.r.endMs - t0);
  });

  it('with timeoutMs, a user stops waiting at the deadline with a status-0 answer and goes on (http.Client.Timeout)', () => {
    const c = ready('const(1500ms)');
    const { got, t0 } = run(c, { users: 1, requestsPerUser: 2, timeoutMs: 1000 });
    expect(got.map((g) => [g.r.status, g.r.startMs - t0, g.r.latencyMs])).toEqual([
      [0, 0, 1000],
      [0, 1000, 1000],
    ]);
    expect(got[0]!.r.error).toMatch(/^Operation timed out after 1000 milliseconds/);
  });

  it('follow: the next request of a chain goes out at once and the answer spans the chain', () => {
    const c = ready('const(10ms)');
    let asked = 0;
    const { got } = run(c, { users: 1, requestsPerUser: 1, follow: (_r, _sent, n) => (n < 2 ? (asked++, { url: URL }) : undefined) });
    expect(asked).toBe(2);
    expect(got).toHaveLength(1);
    const r = got[0]!.r;
    expect(r.latencyMs).toBe(r.endMs - r.startMs);
    expect(r.hops.filter((h) => h.component === 'app')).toHaveLength(3);
  });

  it('a user whose answer took no time waits 1 ms before resending, so a duration-bounded loop ends', () => {
    const c = ready();
    const { got, t0 } = run(c, { users: 1, durationMs: 5, request: { url: 'http://nowhere.invalid/' } });
    expect(got.map((g) => g.r.startMs - t0)).toEqual([0, 1, 2, 3, 4]);
    expect(got.every((g) => g.r.status === 0)).toBe(true);
  });

  it('the same seed gives the same answers at the same times', () => {
    const a = run(ready('lognormal(50ms,0.5)', 7), { users: 5, durationMs: 2000 }).got.map((g) => [g.user, g.r.startMs, g.r.endMs, g.r.pod]);
    const b = run(ready('lognormal(50ms,0.5)', 7), { users: 5, durationMs: 2000 }).got.map((g) => [g.user, g.r.startMs, g.r.endMs, g.r.pod]);
    expect(a).toEqual(b);
  });

  it('refuses a loop with no end', () => {
    expect(() => startClosedLoop(ready(), { users: 1, request: { url: URL }, onResponse: () => {} })).toThrow(/never stop/);
  });
});
