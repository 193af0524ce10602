import { describe, expect, it } from 'vitest';
import { TraceBus, TraceRecorder } from '../../src/trace/index.js';

type Ev = { type: 'a'; t: number; n: number } | { type: 'b'; t: number; s: string };

describe('TraceBus', () => {
  it('is inactive with no listener, so hot paths skip building events', () => {
    const bus = new TraceBus<Ev>();
    expect(bus.active).toBe(false);
    let built = 0;
    const emit = () => {
      if (bus.active) bus.emit({ type: 'a', t: 0, n: ++built });
    };
    emit();
    expect(built).toBe(0);
    const off = bus.on('a', () => {});
    emit();
    expect(built).toBe(1);
    off();
    off(); // idempotent
    expect(bus.active).toBe(false);
  });

  it('delivers events by type and to * listeners, typed', () => {
    const bus = new TraceBus<Ev>();
    const as: number[] = [];
    const all: string[] = [];
    bus.on('a', (e) => as.push(e.n));
    bus.on('*', (e) => all.push(e.type));
    bus.emit({ type: 'a', t: 1, n: 7 });
    bus.emit({ type: 'b', t: 2, s: 'x' });
    expect(as).toEqual([7]);
    expect(all).toEqual(['a', 'b']);
  });

  it('records events and hashes them stably', () => {
    const run = () => {
      const bus = new TraceBus<Ev>();
      const rec = new TraceRecorder(bus);
      bus.emit({ type: 'a', t: 1, n: 1 });
      bus.emit({ type: 'b', t: 2, s: 'two' });
      rec.stop();
      bus.emit({ type: 'a', t: 3, n: 3 }); // after stop: not recorded
      return rec;
    };
    expect(run().events).toHaveLength(2);
    expect(run().hash()).toBe(run().hash());
    expect(run().hash()).toMatch(/^[0-9a-f]{16}$/);
  });
});
