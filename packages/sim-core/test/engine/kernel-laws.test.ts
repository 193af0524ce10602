import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Environment, Interrupt, Resource, RngStreams, hashStrings, type ProcessGenerator } from '../../src/index.js';

/** A random program: processes that sleep random (seeded) times, contend for a resource, and log. */
function program(seed: number, procs: number, capacity: number, shuffle?: number) {
  const env = new Environment(shuffle !== undefined ? { tieShuffle: new RngStreams(shuffle).fork('ties') } : {});
  const rng = new RngStreams(seed).fork('program');
  const res = new Resource(env, capacity);
  const log: string[] = [];
  let inUse = 0;
  let maxInUse = 0;
  const waiting: number[] = [];
  const grants: number[] = [];
  for (let p = 0; p < procs; p++) {
    env.process(
      (function* (): ProcessGenerator<void> {
        for (let k = 0; k < 3; k++) {
          yield* env.timeout(Math.floor(rng.next() * 5));
          waiting.push(p);
          const req = res.request();
          yield* req;
          grants.push(p);
          inUse++;
          maxInUse = Math.max(maxInUse, inUse);
          log.push(`${env.now} ${p} got`);
          yield* env.timeout(Math.floor(rng.next() * 4));
          inUse--;
          res.release(req);
        }
      })(),
    );
  }
  const times: number[] = [];
  const origStep = env.step.bind(env);
  while (env.pending > 0) {
    origStep();
    times.push(env.now);
  }
  return { log, times, maxInUse, waiting, grants, hash: hashStrings(log) };
}

describe('laws of the kernel', () => {
  it('determinism: the same seed gives the identical event sequence, another seed a different one', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 2, max: 8 }), fc.integer({ min: 1, max: 3 }), (seed, procs, cap) => {
        expect(program(seed, procs, cap).hash).toBe(program(seed, procs, cap).hash);
      }),
    );
    const differ = [1, 2, 3, 4, 5].filter((s) => program(s, 6, 2).hash !== program(s + 100, 6, 2).hash).length;
    expect(differ).toBeGreaterThanOrEqual(4);
  });

  it('order: events fire in non-decreasing time; ties fire in scheduling order', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 2, max: 8 }), (seed, procs) => {
        const { times } = program(seed, procs, 2);
        for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 30 }), (delays) => {
        const env = new Environment();
        const fired: number[] = [];
        delays.forEach((d, i) => env.timeout(d).addCallback(() => fired.push(i)));
        env.run();
        const expected = delays.map((d, i) => [d, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, i]) => i);
        expect(fired).toEqual(expected);
      }),
    );
  });

  it('resources never exceed capacity, never lose a waiter, and serve FIFO', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 4 }), (seed, procs, cap) => {
        const r = program(seed, procs, cap);
        expect(r.maxInUse).toBeLessThanOrEqual(cap);
        expect(r.grants.length).toBe(r.waiting.length); // every waiter was served
      }),
    );
    // FIFO: requests made while the resource is busy are granted in request order.
    const env = new Environment();
    const res = new Resource(env, 1);
    const first = res.request();
    const order: number[] = [];
    for (let i = 0; i < 5; i++) {
      env.process(
        (function* () {
          yield* env.timeout(i);
          const q = res.request();
          yield* q;
          order.push(i);
          res.release(q);
        })(),
      );
    }
    env.timeout(10).addCallback(() => res.release(first));
    env.run();
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('tie-shuffle permutes simultaneous events but leaves order-independent results unchanged', () => {
    const fire = (shuffle?: number) => {
      const env = new Environment(shuffle !== undefined ? { tieShuffle: new RngStreams(shuffle).fork('t') } : {});
      const fired: number[] = [];
      let sum = 0;
      for (let i = 0; i < 20; i++) env.timeout(5).addCallback(() => {
        fired.push(i);
        sum += i;
      });
      env.run();
      return { fired, sum };
    };
    const plain = fire();
    expect(plain.fired).toEqual([...Array(20).keys()]);
    const shuffled = fire(1);
    expect(shuffled.fired).not.toEqual(plain.fired);
    expect([...shuffled.fired].sort((a, b) => a - b)).toEqual(plain.fired);
    expect(shuffled.sum).toBe(plain.sum);
    expect(fire(1).fired).toEqual(shuffled.fired); // the shuffle is itself seeded
  });

  it('a call with `yield gen` runs exactly as `yield* gen`: same log, same times, errors and interrupts included', () => {
    // Random programs of nested calls that sleep, throw, catch and get interrupted, written once
    // and run both ways: the process resuming the callee itself changes nothing a program sees.
    const run = (seed: number, procs: number, call: boolean) => {
      const env = new Environment();
      const rng = new RngStreams(seed).fork('calls');
      const log: string[] = [];
      function* work(p: number, depth: number): Generator<any, number, any> {
        let total = 0;
        try {
          for (let k = 0; k < 3; k++) {
            const r = rng.next();
            if (r < 0.4) yield env.timeout(Math.floor(rng.next() * 4));
            else if (r < 0.7 && depth < 4) {
              try {
                total += call ? ((yield work(p, depth + 1)) as number) : yield* work(p, depth + 1);
              } catch (e) {
                if (e instanceof Interrupt) throw e;
                log.push(`${env.now} p${p} d${depth} caught ${(e as Error).message}`);
              }
            } else if (r < 0.8 && depth > 0) throw new Error(`fail d${depth}`);
            total++;
          }
          return total;
        } finally {
          log.push(`${env.now} p${p} d${depth} leaves`);
        }
      }
      const ps = Array.from({ length: procs }, (_, p) =>
        env.process(
          (function* (): ProcessGenerator<void> {
            try {
              const n = call ? ((yield work(p, 0)) as number) : yield* work(p, 0);
              log.push(`${env.now} p${p} done ${n}`);
            } catch (e) {
              log.push(`${env.now} p${p} ended by ${e instanceof Interrupt ? 'an interrupt' : (e as Error).message}`);
            }
          })(),
        ),
      );
      env.process(
        (function* (): ProcessGenerator<void> {
          for (const p of ps) {
            yield env.timeout(Math.floor(rng.next() * 3));
            if (p.isAlive) p.interrupt('stop');
          }
        })(),
      );
      env.run();
      return log;
    };
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 6 }), (seed, procs) => {
        const star = run(seed, procs, false);
        expect(run(seed, procs, true)).toEqual(star);
      }),
      { numRuns: 200 },
    );
  });
});
