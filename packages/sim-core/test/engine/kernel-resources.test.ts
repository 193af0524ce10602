import { describe, expect, it } from 'vitest';
import { Environment, QueueFullError, Resource, Store } from '../../src/engine/index.js';

describe('Resource', () => {
  it('grants up to capacity and serves waiters FIFO', () => {
    const env = new Environment();
    const r = new Resource(env, 2);
    const order: string[] = [];
    for (const name of ['a', 'b', 'c', 'd']) {
      env.process(
        (function* () {
          const req = r.request();
          yield* req;
          order.push(`${name}@${env.now}`);
          yield* env.timeout(10);
          r.release(req);
        })(),
      );
    }
    env.run();
    expect(order).toEqual(['a@0', 'b@0', 'c@10', 'd@10']);
  });

  it('rejects requests beyond a bounded queue with QueueFullError', () => {
    const env = new Environment();
    const r = new Resource(env, 1, { queueLimit: 1 });
    r.request();
    r.request();
    const third = r.request();
    const p = env.process(
      (function* () {
        try {
          yield* third;
          return 'granted';
        } catch (e) {
          return e instanceof QueueFullError ? 'rejected' : 'other';
        }
      })(),
    );
    expect(env.run({ until: p })).toBe('rejected');
  });

  it('lets a waiter leave the queue, and grants more when capacity grows', () => {
    const env = new Environment();
    const r = new Resource(env, 0);
    const a = r.request();
    const b = r.request();
    a.cancel();
    expect(r.queueLength).toBe(1);
    r.capacity = 1;
    env.run();
    expect(b.granted).toBe(true);
    expect(a.granted).toBe(false);
  });
});

describe('Store', () => {
  it('hands items to getters in FIFO order, waiting when empty', () => {
    const env = new Environment();
    const s = new Store<string>(env);
    const got: string[] = [];
    env.process(
      (function* () {
        for (let i = 0; i < 3; i++) got.push(yield* s.get());
      })(),
    );
    env.process(
      (function* () {
        yield* env.timeout(5);
        yield* s.put('x');
        yield* s.put('y');
        yield* s.put('z');
      })(),
    );
    env.run();
    expect(got).toEqual(['x', 'y', 'z']);
  });

  it('makes putters wait while a bounded store is full', () => {
    const env = new Environment();
    const s = new Store<number>(env, 1);
    const putDone: number[] = [];
    env.process(
      (function* () {
        for (let i = 0; i < 2; i++) {
          yield* s.put(i);
          putDone.push(env.now);
        }
      })(),
    );
    env.process(
      (function* () {
        yield* env.timeout(7);
        yield* s.get();
      })(),
    );
    env.run();
    expect(putDone).toEqual([0, 7]);
  });
});
