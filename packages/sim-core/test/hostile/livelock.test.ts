import { describe, expect, it } from 'vitest';
import { Environment, LivelockError } from '../../src/index.js';

/** Issue 15, hangs: a run whose clock stops moving ends with an error naming the process. */
describe('the livelock guard (issue 15)', () => {
  it('stops a process that waits 0 ms forever, naming it', () => {
    const env = new Environment({ maxEventsAtOneInstant: 10_000 });
    env.process(
      (function* () {
        env.timeout(5); // time would move if anything let it
        for (;;) yield env.timeout(0);
      })(),
      'spinner',
    );
    let err: unknown;
    try {
      env.run({ until: 100 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LivelockError);
    expect((err as LivelockError).process).toBe('spinner');
    expect((err as Error).message).toMatch(/the simulated clock stopped at 0 ms: more than 10000 events ran at that instant without time moving \(last: process "spinner"\)/);
  });

  it('lets many events at one instant through when time then moves on (the count restarts)', () => {
    const env = new Environment({ maxEventsAtOneInstant: 1_000 });
    let n = 0;
    env.process(
      (function* () {
        for (let t = 0; t < 5; t++) {
          for (let i = 0; i < 900; i++) {
            yield env.timeout(0);
            n++;
          }
          yield env.timeout(1);
        }
      })(),
    );
    env.run();
    expect(n).toBe(4500);
  });
});
