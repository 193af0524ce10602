import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Environment } from '../../src/engine/environment.js';
import { makeProbeSpec, ProbeResultRun, ProbeWorker, type ProbeKind, type ProbeOutcome, type ProbeSpec } from '../../src/k8s/prober.js';
import { ContainerBackOff } from '../../src/k8s/backoff.js';

describe('makeProbeSpec (pkg/apis/core/v1/defaults.go SetDefaults_Probe)', () => {
  it('fills timeout 1 s, period 10 s, success 1 and failure 3 where the probe leaves them 0 or unset', () => {
    expect(makeProbeSpec({ httpGet: {} })).toEqual({ handler: 'http', path: '/', initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 });
    expect(makeProbeSpec({ exec: {}, periodSeconds: 0, initialDelaySeconds: 6, failureThreshold: 30 })).toMatchObject({ handler: 'exec', periodSeconds: 10, initialDelaySeconds: 6, failureThreshold: 30 });
    expect(makeProbeSpec({ tcpSocket: {} }).handler).toBe('tcp');
  });
});

describe('ProbeResultRun (pkg/kubelet/prober/worker.go doProbe: resultRun against the thresholds)', () => {
  it('counts a result only after threshold outcomes in a row', () => {
    // failureThreshold 3: two failures change nothing, the third sets Failure; a success in
    // between starts the count again. successThreshold 2: one success is not enough.
    const run = new ProbeResultRun({ successThreshold: 2, failureThreshold: 3 });
    expect([false, false, true, false, false, false].map((ok) => run.record(ok))).toEqual([null, null, null, null, null, false]);
    expect([true, true, true].map((ok) => run.record(ok))).toEqual([null, true, true]);
  });

  it('sets a result exactly when the last threshold outcomes agree', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.array(fc.boolean(), { maxLength: 30 }), (succ, fail, outcomes) => {
        const run = new ProbeResultRun({ successThreshold: succ, failureThreshold: fail });
        outcomes.forEach((ok, i) => {
          const n = ok ? succ : fail;
          const tail = outcomes.slice(0, i + 1).slice(-n);
          const agree = tail.length === n && tail.every((x) => x === ok);
          expect(run.record(ok)).toBe(agree ? ok : null);
        });
      }),
    );
  });
});

/** A container whose probe answers what the test says. */
class FakeContainer {
  running = false;
  started = false;
  instance = 0;
  startedAt = 0;
  healthy = true;
  start(now: number, started: boolean): void {
    this.running = true;
    this.started = started;
    this.instance++;
    this.startedAt = now;
  }
  check(): ProbeOutcome {
    return this.healthy ? { ok: true, message: '' } : { ok: false, message: 'HTTP probe failed with statuscode: 500' };
  }
}

function worker(kind: ProbeKind, spec: Partial<ProbeSpec>) {
  const env = new Environment();
  const c = new FakeContainer();
  const log: string[] = [];
  const w = new ProbeWorker(env, kind, { ...makeProbeSpec({ httpGet: {} }), ...spec }, c, {
    probed: (_k, o, n) => log.push(`${env.now / 1000}s ${o.ok ? 'ok' : 'fail'} ${n}`),
    resultChanged: (_k, r) => log.push(`${env.now / 1000}s result ${r}`),
  });
  env.process(w.loop());
  return { env, c, w, log };
}

describe('ProbeWorker (pkg/kubelet/prober/worker.go)', () => {
  it('ticks from when kubelet synced the pod and skips initialDelaySeconds counted in whole seconds', () => {
    // The container starts 0.4 s after the worker; at the 6 s tick it has run 5.6 s: int32 of that is 5 < 6.
    const { env, c, log } = worker('startup', { periodSeconds: 1, initialDelaySeconds: 6 });
    env.timeout(400).addCallback(() => c.start(env.now, false));
    env.run({ until: 8000 });
    expect(log).toEqual(['7s ok 1', '7s result true']);
  });

  it('probes startup only before the container started, liveness only after', () => {
    const s = worker('startup', { periodSeconds: 1 });
    s.c.start(0, true);
    s.env.run({ until: 3500 });
    expect(s.log).toEqual([]);
    const l = worker('liveness', { periodSeconds: 1 });
    l.c.start(0, false);
    l.env.run({ until: 3500 });
    expect(l.log).toEqual([]);
  });

  it('holds after a liveness failure until a new instance runs, which starts from Success', () => {
    const { env, c, w, log } = worker('liveness', { periodSeconds: 1, failureThreshold: 2 });
    c.start(0, true);
    c.healthy = false;
    env.run({ until: 4500 });
    expect(log).toEqual(['0s fail 1', '1s fail 2', '1s result false']);
    expect(w.result).toBe(false);
    c.healthy = true;
    c.start(env.now, true);
    expect(w.result).toBeNull(); // no result for the new container yet
    env.run({ until: 5500 });
    expect(log.slice(3)).toEqual(['5s ok 1']);
    expect(w.result).toBe(true);
  });
});

describe('ContainerBackOff (client-go flowcontrol/backoff.go, kuberuntime_manager.go doBackOff)', () => {
  it('lets the first start go, then holds each start 10 s, 20 s, 40 s … after the exit it is checked against, up to 300 s', () => {
    const b = new ContainerBackOff();
    let now = 0;
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      now += 5_000; // each instance runs 5 s, then exits
      const exited = now;
      const wait = b.waitMs(exited, now);
      waits.push(wait / 1000);
      now += wait;
      b.next(exited, now);
    }
    expect(waits).toEqual([0, 10, 20, 40, 80, 160, 300, 300]);
  });

  it('starts again from 10 s after a container stayed up for twice the maximum', () => {
    const b = new ContainerBackOff();
    b.next(0, 0);
    expect(b.waitMs(1_000, 1_000)).toBe(10_000);
    expect(b.waitMs(600_001, 600_001)).toBe(0);
    b.next(600_001, 600_001);
    expect(b.waitMs(601_000, 601_000)).toBe(10_000);
  });
});
