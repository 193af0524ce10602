import { EventEmitter } from 'eventemitter3';

/** Every trace event is a plain object with a `type` discriminant and the time it happened. */
export interface TraceEventBase {
  type: string;
  t: number;
}

type Listener<E> = (event: E) => void;

/**
 * A typed trace bus over eventemitter3. Emitting costs one integer comparison while nobody
 * listens; hot paths also check `active` before building the event object at all:
 * `if (bus.active) bus.emit({ ... })`.
 */
export class TraceBus<E extends TraceEventBase> {
  private readonly ee = new EventEmitter();
  private count = 0;

  /** True when at least one listener is attached. */
  get active(): boolean {
    return this.count > 0;
  }

  /** Listens to one event type, or to all with '*'. Returns the function that unsubscribes. */
  on<K extends E['type']>(type: K, fn: Listener<Extract<E, { type: K }>>): () => void;
  on(type: '*', fn: Listener<E>): () => void;
  on(type: string, fn: Listener<any>): () => void {
    this.ee.on(type, fn);
    this.count++;
    let live = true;
    return () => {
      if (!live) return;
      live = false;
      this.ee.off(type, fn);
      this.count--;
    };
  }

  emit(event: E): void {
    if (this.count === 0) return;
    this.ee.emit(event.type, event);
    this.ee.emit('*', event);
  }
}

/** Collects every event of a bus, for tests, reports and determinism hashes. */
export class TraceRecorder<E extends TraceEventBase> {
  readonly events: E[] = [];
  private readonly off: () => void;

  constructor(bus: TraceBus<E>) {
    this.off = bus.on('*', (e) => this.events.push(e));
  }

  stop(): void {
    this.off();
  }

  /** A stable 64-bit (two FNV-1a lanes) hex hash of the events' JSON, for "same seed, same trace". */
  hash(): string {
    return hashStrings(this.events.map((e) => JSON.stringify(e)));
  }
}

export function hashStrings(lines: Iterable<string>): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (const line of lines) {
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 13);
    }
    h1 = Math.imul(h1 ^ 10, 0x01000193);
    h2 = Math.imul(h2 ^ 10, 0x5bd1e995) ^ (h2 >>> 13);
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}
