import type { Event } from './event.js';

/**
 * The event queue: a binary min-heap ordered by (time, key), where key packs the priority
 * above a 52-bit insertion sequence (`priority * 2^52 + seq`). Equal times therefore pop in
 * priority order and then in the order they were scheduled, which is the whole determinism
 * story (as SimPy's `(time, priority, eid)` tuple). Times and keys live in typed arrays so a
 * sift touches no objects but the one array of events.
 */
export class EventQueue {
  private times: Float64Array;
  private keys: Float64Array;
  private items: Array<Event<unknown> | undefined>;
  private n = 0;

  constructor(initialCapacity = 64) {
    this.times = new Float64Array(initialCapacity);
    this.keys = new Float64Array(initialCapacity);
    this.items = new Array(initialCapacity);
  }

  get size(): number {
    return this.n;
  }

  /** Time of the next event, or Infinity when empty. */
  peekTime(): number {
    return this.n === 0 ? Infinity : this.times[0]!;
  }

  push(time: number, key: number, item: Event<unknown>): void {
    if (this.n === this.times.length) this.grow();
    const times = this.times;
    const keys = this.keys;
    const items = this.items;
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = times[p]!;
      if (pt < time || (pt === time && keys[p]! < key)) break;
      times[i] = pt;
      keys[i] = keys[p]!;
      items[i] = items[p];
      i = p;
    }
    times[i] = time;
    keys[i] = key;
    items[i] = item;
  }

  /** Removes the earliest event; the caller reads `peekTime()` first if it needs the time. */
  pop(): Event<unknown> {
    const items = this.items;
    const top = items[0]!;
    const last = --this.n;
    if (last > 0) {
      const times = this.times;
      const keys = this.keys;
      const time = times[last]!;
      const key = keys[last]!;
      const item = items[last];
      let i = 0;
      const half = last >> 1;
      while (i < half) {
        let c = 2 * i + 1;
        let ct = times[c]!;
        let ck = keys[c]!;
        const r = c + 1;
        if (r < last) {
          const rt = times[r]!;
          const rk = keys[r]!;
          if (rt < ct || (rt === ct && rk < ck)) {
            c = r;
            ct = rt;
            ck = rk;
          }
        }
        if (time < ct || (time === ct && key < ck)) break;
        times[i] = ct;
        keys[i] = ck;
        items[i] = items[c];
        i = c;
      }
      times[i] = time;
      keys[i] = key;
      items[i] = item;
    }
    items[last] = undefined;
    return top;
  }

  private grow(): void {
    const cap = this.times.length * 2;
    const times = new Float64Array(cap);
    times.set(this.times);
    const keys = new Float64Array(cap);
    keys.set(this.keys);
    this.times = times;
    this.keys = keys;
    this.items.length = cap;
  }
}
