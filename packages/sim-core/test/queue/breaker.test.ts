import { describe, expect, it } from 'vitest';
import { Environment } from '../../src/engine/environment.js';
import { Breaker, queueProxyBreakerParams } from '../../src/queue/breaker.js';
import { FifoDeadlines } from '../../src/engine/fifo-deadlines.js';
import { Interrupt } from '../../src/engine/errors.js';

describe('Breaker (pkg/queue/breaker.go)', () => {
  it('has no breaker for containerConcurrency 0 and 10×CC queue depth otherwise', () => {
    expect(queueProxyBreakerParams(0)).toBeNull();
    expect(queueProxyBreakerParams(2)).toEqual({ queueDepth: 20, maxConcurrency: 2, initialCapacity: 2 });
  });

  it('admits CC executing plus 10×CC waiting and refuses the next at once', () => {
    const env = new Environment();
    const b = new Breaker(env, queueProxyBreakerParams(1)!);
    const slots = Array.from({ length: 11 }, () => b.maybe());
    expect(slots[0]).toBe(true); // the free slot is taken at once, without waiting
    expect(slots.slice(1).every((s) => s !== null && s !== true)).toBe(true); // ten wait
    expect(b.maybe()).toBeNull();
    b.releaseSlot(); // the first waiter takes the slot, leaving room in the queue
    expect(b.maybe()).not.toBeNull();
  });
});

describe('FifoDeadlines', () => {
  it('interrupts a process when its deadline passes, and not once cancelled', () => {
    const env = new Environment();
    const d = new FifoDeadlines(env, 100);
    const log: string[] = [];
    const mk = (name: string, work: number) =>
      env.process(
        (function* () {
          const p = env.activeProcess!;
          const e = d.add(p, name);
          try {
            yield* env.timeout(work);
            log.push(`${name} done at ${env.now}`);
          } catch (err) {
            if (!(err instanceof Interrupt)) throw err;
            log.push(`${name} timed out at ${env.now}`);
          } finally {
            d.cancel(e);
          }
        })(),
      );
    mk('fast', 50);
    mk('slow', 500);
    env.run();
    expect(log).toEqual(['fast done at 50', 'slow timed out at 100']);
    expect(d.size).toBe(0);
  });

  it('lets go of a cancelled entry\'s process while the entry waits behind an older live one', () => {
    // A request that finished keeps its entry in the FIFO until every older one is done: the
    // entry must not hold the finished process (its generator and request) meanwhile, or each
    // request's whole graph outlives it (docs/kernel.md, "Closures written into properties").
    const env = new Environment();
    const d = new FifoDeadlines(env, 1000);
    const wait = (ms: number) =>
      env.process(
        (function* () {
          yield* env.timeout(ms);
        })(),
      );
    const long = wait(500);
    const short = wait(10);
    const older = d.add(long, 'long');
    const newer = d.add(short, 'short');
    env.run({ until: 20 });
    d.cancel(newer);
    expect(d.size).toBe(2); // still queued behind the live one
    expect(newer.proc).toBeNull();
    expect(older.proc).toBe(long);
  });
});
