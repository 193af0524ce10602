import { describe, expect, it } from 'vitest';
import { Environment, Interrupt, NORMAL, SimError, URGENT, type ProcessGenerator } from '../../src/engine/index.js';

describe('the clock and the event queue', () => {
  it('fires events in time order, then priority (URGENT first), then scheduling order', () => {
    const env = new Environment();
    const log: string[] = [];
    const at = (t: number, label: string, prio = NORMAL) => {
      const ev = env.event();
      env.timeout(t).addCallback(() => ev.succeed(undefined, prio));
      ev.addCallback(() => log.push(label));
    };
    at(5, 'b1');
    at(5, 'b2');
    at(5, 'urgent', URGENT);
    at(1, 'a');
    env.run();
    expect(log).toEqual(['a', 'urgent', 'b1', 'b2']);
    expect(env.now).toBe(5);
  });

  it('runs until a time (events before it) and leaves the clock there', () => {
    const env = new Environment();
    const seen: number[] = [];
    for (const t of [1, 2, 3]) env.timeout(t).addCallback(() => seen.push(t));
    env.run({ until: 3 });
    expect(seen).toEqual([1, 2]);
    expect(env.now).toBe(3);
    env.run();
    expect(seen).toEqual([1, 2, 3]);
  });

  it('runs until an event and returns its value, or throws its error', () => {
    const env = new Environment();
    expect(env.run({ until: env.timeout(4, 'x') })).toBe('x');
    const bad = env.event();
    env.timeout(1).addCallback(() => bad.fail(new Error('boom')));
    expect(() => env.run({ until: bad })).toThrow('boom');
  });

  it('steps one event at a time', () => {
    const env = new Environment();
    env.timeout(2);
    env.timeout(7);
    env.step();
    expect(env.now).toBe(2);
    env.step();
    expect(env.now).toBe(7);
    expect(() => env.step()).toThrow('no events are scheduled');
  });

  it('rejects negative, NaN and infinite delays, the past, and triggering twice', () => {
    const env = new Environment();
    expect(() => env.timeout(-1)).toThrow(new SimError('negative delay -1'));
    expect(() => env.timeout(NaN)).toThrow('delay must be a number, got NaN');
    expect(() => env.timeout(Infinity)).toThrow('delay must be finite');
    env.run({ until: 10 });
    expect(() => env.timeoutAt(5)).toThrow('cannot schedule at 5: it is before the current time 10');
    expect(() => env.run({ until: 3 })).toThrow('must not be before the current time');
    const ev = env.event().succeed(1);
    expect(() => ev.succeed(2)).toThrow('already been triggered');
  });

  it('succeedAt processes an event at a later time, in the place a timeout due then would take', () => {
    const env = new Environment();
    const log: string[] = [];
    env.timeout(5).addCallback(() => log.push('timeout before'));
    const ev = env.event<string>();
    ev.addCallback((e) => log.push(`ev ${e.value} at ${env.now}`));
    expect(ev.succeedAt(5, 'x')).toBe(ev);
    expect(ev.triggered).toBe(true);
    expect(ev.processed).toBe(false);
    env.timeoutAt(5).addCallback(() => log.push('timeout after'));
    env.timeout(2).addCallback(() => log.push('earlier'));
    const before = env.eventsProcessed;
    env.run();
    expect(log).toEqual(['earlier', 'timeout before', 'ev x at 5', 'timeout after']);
    expect(env.eventsProcessed - before).toBe(4);
    expect(() => ev.succeedAt(9)).toThrow('already been triggered');
    expect(() => env.event().succeedAt(4)).toThrow('cannot schedule at 4: it is before the current time 5');
    expect(() => env.event().succeedAt(Infinity)).toThrow('time must be finite');
    expect(() => env.event().succeedAt(NaN)).toThrow('time must be finite');
    const now = env.event<number>().succeedAt(5, 7);
    env.run();
    expect(now.processed && now.value).toBe(7);
  });

  it('fails the run loudly when a failed event has no handler, and not when it is defused', () => {
    const env = new Environment();
    env.event().fail(new Error('nobody listens'));
    expect(() => env.run()).toThrow('nobody listens');
    const env2 = new Environment();
    env2.event().fail(new Error('handled')).defuse();
    expect(() => env2.run()).not.toThrow();
  });
});

describe('processes', () => {
  it('wait with typed yield* and return values other processes can wait for', () => {
    const env = new Environment();
    function* child(): ProcessGenerator<number> {
      const v: string = yield* env.timeout(3, 'abc');
      return v.length;
    }
    function* parent(): ProcessGenerator<string> {
      const n: number = yield* env.process(child());
      return `child said ${n} at ${env.now}`;
    }
    expect(env.run({ until: env.process(parent()) })).toBe('child said 3 at 3');
  });

  it('start on an URGENT event: the code that started them runs on first', () => {
    const env = new Environment();
    const log: string[] = [];
    env.process(
      (function* () {
        log.push('child');
        yield* env.timeout(0);
      })(),
    );
    log.push('parent');
    env.run();
    expect(log).toEqual(['parent', 'child']);
  });

  it('spawned ones run at once, inside the caller, until they first wait; the caller stays the active process', () => {
    const env = new Environment();
    const log: string[] = [];
    let child: unknown;
    let parent: unknown = null;
    parent = env.process(
      (function* () {
        const p = env.spawn(
          (function* () {
            child = env.activeProcess;
            log.push(`child starts at ${env.now}`);
            yield* env.timeout(5);
            log.push(`child ends at ${env.now}`);
            return 'done';
          })(),
        );
        expect(env.activeProcess).toBe(parent);
        log.push('parent continues');
        const v = yield* p;
        log.push(`parent got ${v} at ${env.now}`);
      })(),
    );
    env.run();
    expect(log).toEqual(['child starts at 0', 'parent continues', 'child ends at 5', 'parent got done at 5']);
    expect(child).not.toBe(parent);
    // The parent's start, the child's timeout, the child's end and the parent's end: no start
    // event for the spawned child.
    expect(env.eventsProcessed).toBe(4);
  });

  it('a spawned process that fails or finishes before it waits is a failed or done event', () => {
    const env = new Environment();
    expect(env.activeProcess).toBeNull();
    const ok = env.spawn(
      // eslint-disable-next-line require-yield
      (function* () {
        return 7;
      })(),
    );
    const bad = env.spawn(
      // eslint-disable-next-line require-yield
      (function* () {
        throw new Error('boom');
      })(),
    );
    expect(env.activeProcess).toBeNull();
    expect(ok.triggered).toBe(true);
    bad.defuse();
    env.run();
    expect(ok.value).toBe(7);
    expect(bad.ok).toBe(false);
    expect((bad.value as Error).message).toBe('boom');
  });

  it('receive a failed event as an exception they can catch', () => {
    const env = new Environment();
    const ev = env.event<number>();
    env.timeout(1).addCallback(() => ev.fail(new Error('no')));
    const p = env.process(
      (function* () {
        try {
          yield* ev;
          return 'not reached';
        } catch (e) {
          return `caught ${(e as Error).message}`;
        }
      })(),
    );
    expect(env.run({ until: p })).toBe('caught no');
  });

  it('propagate an uncaught failure to a waiting process', () => {
    const env = new Environment();
    const failing = env.process(
      (function* () {
        yield* env.timeout(1);
        throw new Error('inner');
      })(),
    );
    const waiter = env.process(
      (function* () {
        try {
          yield* failing;
        } catch (e) {
          return (e as Error).message;
        }
        return 'no';
      })(),
    );
    expect(env.run({ until: waiter })).toBe('inner');
  });

  it('can be interrupted as a deadline, and interrupting a finished process is an error', () => {
    const env = new Environment();
    const work = env.process(
      (function* () {
        try {
          yield* env.timeout(100);
          return 'finished';
        } catch (e) {
          if (e instanceof Interrupt) return `interrupted (${String(e.cause)}) at ${env.now}`;
          throw e;
        }
      })(),
    );
    env.process(
      (function* () {
        const r = yield* env.anyOf([work, env.timeout(30, 'deadline')]);
        if (r.index === 1) work.interrupt('deadline');
      })(),
    );
    expect(env.run({ until: work })).toBe('interrupted (deadline) at 30');
    expect(() => work.interrupt()).toThrow('has terminated and cannot be interrupted');
  });

  it('fail loudly when they yield something that is neither an event nor a generator', () => {
    const env = new Environment();
    env.process(
      (function* (): ProcessGenerator<void> {
        yield 42 as never;
      })(),
      'p',
    );
    expect(() => env.run()).toThrow(/process p yielded a value that is neither an event nor a generator: 42/);
  });

  it('call a generator with `yield gen`: it runs in the same process and its value comes back', () => {
    const env = new Environment();
    const seen: string[] = [];
    function* leaf(x: number): Generator<any, number, any> {
      seen.push(`leaf ${x} in ${env.activeProcess?.name} at ${env.now}`);
      yield env.timeout(2);
      return x * 10;
    }
    function* immediate(): Generator<any, string, any> {
      return 'no wait';
    }
    function* middle(): Generator<any, number, any> {
      const a = (yield leaf(1)) as number;
      const b = (yield leaf(2)) as number;
      return a + b;
    }
    const p = env.process(
      (function* (): ProcessGenerator<string> {
        const sum = (yield middle()) as number;
        const s = (yield immediate()) as string;
        return `${sum} ${s} at ${env.now}`;
      })(),
      'outer',
    );
    expect(env.run({ until: p })).toBe('30 no wait at 4');
    expect(seen).toEqual(['leaf 1 in outer at 0', 'leaf 2 in outer at 2']);
  });

  it('deliver a callee\'s error, and an interrupt, where they would go with yield*', () => {
    const env = new Environment();
    const log: string[] = [];
    function* failing(): Generator<any, never, any> {
      yield env.timeout(1);
      throw new Error('boom');
    }
    function* waiting(): Generator<any, void, any> {
      try {
        yield env.timeout(100);
      } finally {
        log.push(`callee finally at ${env.now}`);
      }
    }
    const p = env.process(
      (function* (): ProcessGenerator<string> {
        try {
          yield failing();
        } catch (e) {
          log.push(`caught ${(e as Error).message} at ${env.now}`);
        }
        try {
          yield waiting();
        } catch (e) {
          log.push(`caller got ${e instanceof Interrupt ? `Interrupt(${String(e.cause)})` : String(e)} at ${env.now}`);
        }
        return 'done';
      })(),
    );
    env.process(
      (function* (): ProcessGenerator<void> {
        yield env.timeout(5);
        p.interrupt('deadline');
      })(),
    );
    expect(env.run({ until: p })).toBe('done');
    expect(log).toEqual(['caught boom at 1', 'callee finally at 5', 'caller got Interrupt(deadline) at 5']);
    // An error nobody catches fails the process, as from its own body.
    const q = env.process((function* (): ProcessGenerator<void> { yield failing(); })());
    expect(() => env.run({ until: q })).toThrow('boom');
  });

  it('join with allOf and race with anyOf', () => {
    const env = new Environment();
    const all = env.allOf([env.timeout(2, 'a'), env.timeout(5, 'b')]);
    expect(env.run({ until: all })).toEqual(['a', 'b']);
    expect(env.now).toBe(5);
    const any = env.anyOf([env.timeout(9, 'slow'), env.timeout(1, 'fast')]);
    expect(env.run({ until: any })).toEqual({ index: 1, value: 'fast' });
  });
});
