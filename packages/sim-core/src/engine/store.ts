import type { Environment } from './environment.js';
import { SimError } from './errors.js';
import { Event } from './event.js';
import { Deque } from './deque.js';

/**
 * A FIFO store of items. `get()` succeeds with the oldest item (waiting when empty, getters
 * served in arrival order); `put()` succeeds once the item is stored (waiting while full).
 */
export class Store<T> {
  private readonly items = new Deque<T>();
  private readonly getters = new Deque<Event<T>>();
  private readonly putters = new Deque<{ ev: Event<void>; item: T }>();

  constructor(
    readonly env: Environment,
    readonly capacity = Infinity,
  ) {
    if (!(capacity >= 1)) throw new SimError(`store capacity must be >= 1, got ${capacity}`);
  }

  get size(): number {
    return this.items.length;
  }

  put(item: T): Event<void> {
    const ev = new Event<void>(this.env);
    if (this.items.length < this.capacity) {
      this.items.push(item);
      ev.succeed();
      this.serveGetters();
    } else {
      this.putters.push({ ev, item });
    }
    return ev;
  }

  get(): Event<T> {
    const ev = new Event<T>(this.env);
    this.getters.push(ev);
    this.serveGetters();
    return ev;
  }

  private serveGetters(): void {
    while (this.getters.length > 0 && this.items.length > 0) {
      this.getters.shift()!.succeed(this.items.shift()!);
      const p = this.putters.shift();
      if (p !== undefined) {
        this.items.push(p.item);
        p.ev.succeed();
      }
    }
  }
}
