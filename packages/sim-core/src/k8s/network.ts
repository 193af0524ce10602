import type { Event } from '../engine/event.js';
import type { Process } from '../engine/process.js';
import type { Rng } from '../engine/rng.js';
import type { Distribution } from '../engine/distributions.js';
import type { Environment } from '../engine/environment.js';
import { Interrupt } from '../engine/errors.js';
import type { Hop } from '../trace/events.js';
import type { HttpRequest, HttpResponse } from '../net/http.js';

/** What travels with one client request through every hop. */
export interface RequestContext {
  readonly id: number;
  /** The request's process: deadlines interrupt it. */
  readonly proc: Process<any>;
  /** Hops in the order they were entered; null when hop recording is off (benchmarks). */
  readonly hops: Hop[] | null;
  /** Filled by the user container that answered. */
  servedBy: { revision: string; pod: string } | null;
}

/**
 * A server listening on an address: handles one request as part of the request's process.
 * `arrivalMs` is the network delay still to elapse before the request reaches it: the server
 * waits it together with its own processing time (one event instead of two) and dates its hop
 * from `now + arrivalMs`.
 */
export type Handler = (req: HttpRequest, ctx: RequestContext, arrivalMs: number) => Generator<Event<any>, HttpResponse, any>;

/** Starts a hop record; the caller sets `endMs` when the response leaves. */
export function enterHop(ctx: RequestContext, component: string, name: string, now: number): Hop | null {
  if (ctx.hops === null) return null;
  const hop: Hop = { component, name, startMs: now, endMs: now };
  ctx.hops.push(hop);
  return hop;
}

/** A deadline's interrupt cause: which component's timer fired. */
export interface DeadlineCause {
  readonly kind: 'deadline';
  readonly owner: object;
  readonly afterMs: number;
}

/** True when `err` is the interrupt of `owner`'s own deadline (so that component answers 504). */
export function isOwnDeadline(err: unknown, owner: object): err is Interrupt<DeadlineCause> {
  return err instanceof Interrupt && (err.cause as DeadlineCause | undefined)?.owner === owner;
}

/**
 * Pod-network addressing: which handler listens on `ip:port`. A connection to an address
 * nobody listens on is refused, as in a real cluster.
 */
export class Network {
  /** Listeners by address, then port (no string key built per request). */
  private readonly listeners = new Map<string, Map<number, Handler>>();

  constructor(
    readonly env: Environment,
    private readonly latency: Distribution,
    private readonly rng: Rng,
  ) {}

  listen(ip: string, port: number, handler: Handler): void {
    let ports = this.listeners.get(ip);
    if (ports === undefined) {
      ports = new Map();
      this.listeners.set(ip, ports);
    }
    ports.set(port, handler);
  }

  close(ip: string, port: number): void {
    const ports = this.listeners.get(ip);
    if (ports === undefined) return;
    ports.delete(port);
    if (ports.size === 0) this.listeners.delete(ip);
  }

  handlerAt(ip: string, port: number): Handler | undefined {
    return this.listeners.get(ip)?.get(port);
  }

  /** One network traversal's delay. */
  delay(): number {
    return this.latency.sample(this.rng);
  }

  /**
   * Sends a request to `ip:port` and waits for the answer: a one-way delay, the server's
   * handling, and the way back. Returns null when the connection is refused.
   */
  *call(ip: string, port: number, req: HttpRequest, ctx: RequestContext, extraDelayMs = 0): Generator<Event<any>, HttpResponse | null, any> {
    const out = Math.max(0, this.latency.sample(this.rng)) + extraDelayMs;
    const handler = this.listeners.get(ip)?.get(port);
    if (handler === undefined) {
      yield* this.env.timeout(out);
      return null;
    }
    const res = yield* handler(req, ctx, out);
    yield* this.env.timeout(Math.max(0, this.latency.sample(this.rng)));
    return res;
  }
}
