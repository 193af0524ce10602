import type { Event } from '../engine/event.js';
import type { Process } from '../engine/process.js';
import type { Rng } from '../engine/rng.js';
import type { Distribution } from '../engine/distributions.js';
import type { Environment } from '../engine/environment.js';
import { Interrupt } from '../engine/errors.js';
import { FifoDeadlines, type DeadlineEntry } from '../engine/fifo-deadlines.js';
import type { Hop } from '../trace/events.js';
import type { HttpRequest, HttpResponse } from '../net/http.js';

/**
 * What travels with one client request through every hop.
 *
 * Objects made per request are class instances, not object literals, throughout the request
 * path: V8 tracks literals by allocation site and, after a cold start has kept thousands of
 * buffered requests alive, may decide to allocate that site's objects in the old generation for
 * good. Those then keep every young object they point to alive through each scavenge, and the
 * steady state after the burst runs at half speed. Class instances are always allocated young.
 */
export class RequestContext {
  /** Filled by the user container that answered. */
  servedBy: { readonly revision: string; readonly pod: string } | null = null;
  /** How many times this request has entered an ingress gateway (a routing loop re-enters). */
  gatewayPasses = 0;
  /** Its index in the in-flight list of the queue-proxy it is on (-1: none); see QueueProxy.kill. */
  queueSlot = -1;

  constructor(
    readonly id: number,
    /** The request's process: deadlines interrupt it. */
    readonly proc: Process<any>,
    /** Hops in the order they were entered; null when hop recording is off (benchmarks). */
    readonly hops: Hop[] | null,
  ) {}
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

/**
 * The interrupt cause of a request whose connection the far end reset: the server at `ip` died (a
 * pod killed or force-deleted, a proxy restarted) while the request was on it, or its node was
 * lost and the kernel gave up on the connection. The caller that connected to `ip` answers as its
 * proxy does for a reset (Envoy 503 UC, Go's reverse proxy 502, curl's "Connection reset").
 */
export class ConnectionReset {
  readonly kind = 'connection-reset';
  constructor(
    /** The address of the server whose connections broke. */
    readonly ip: string,
    /** How the caller's error reads (Go's `read: connection reset by peer` by default). */
    readonly reason: 'reset' | 'timeout' = 'reset',
  ) {}
}

/** True when `err` is the interrupt of a reset connection to `ip` (any address when omitted). */
export function isConnectionReset(err: unknown, ip?: string): err is Interrupt<ConnectionReset> {
  return err instanceof Interrupt && err.cause instanceof ConnectionReset && (ip === undefined || err.cause.ip === ip);
}

/**
 * The interrupt cause of a request on a pod whose node was lost (it stops answering, with no
 * reset): the request waits until a deadline above it fires or the kernel gives up on the
 * connection (see QueueProxy.lose).
 */
export const NODE_LOST = Object.freeze({ kind: 'node-lost' });

/** One request on a server's in-flight list (its slot, so leaving is O(1)). */
export class InFlightEntry {
  constructor(
    readonly ctx: RequestContext,
    public slot: number,
  ) {}
}

/**
 * The requests a server (an activator, a gateway pod) holds now, so a restart can reset their
 * connections. Entering and leaving are O(1) (swap with the last).
 */
export class InFlight {
  private readonly entries: InFlightEntry[] = [];

  enter(ctx: RequestContext): InFlightEntry {
    const e = new InFlightEntry(ctx, this.entries.length);
    this.entries.push(e);
    return e;
  }

  leave(e: InFlightEntry): void {
    const i = e.slot;
    if (i < 0) return;
    e.slot = -1;
    const last = this.entries.pop()!;
    if (last !== e) {
      this.entries[i] = last;
      last.slot = i;
    }
  }

  get size(): number {
    return this.entries.length;
  }

  /** Interrupts every request held with `cause` (each process once) and empties the list; returns how many. */
  interruptAll(cause: unknown): number {
    const held = this.entries.splice(0);
    for (const e of held) e.slot = -1;
    return interruptEach(held.map((e) => e.ctx), cause);
  }
}

/**
 * Interrupts the process of each request with `cause`, once per process (a request that passed
 * a server twice is one process) and only if it is still running; returns how many.
 */
export function interruptEach(ctxs: readonly RequestContext[], cause: unknown): number {
  const seen = new Set<Process<any>>();
  for (const { proc } of ctxs) {
    if (seen.has(proc) || !proc.isAlive) continue;
    seen.add(proc);
    proc.interrupt(cause);
  }
  return seen.size;
}

/** True when `err` is the interrupt of `owner`'s own deadline (so that component answers 504). */
export function isOwnDeadline(err: unknown, owner: object): err is Interrupt<DeadlineCause> {
  return err instanceof Interrupt && (err.cause as DeadlineCause | undefined)?.owner === owner;
}

/** One component's deadlines of one duration: a FIFO of them, and the cause their interrupts carry. */
export class DeadlineTimer {
  private readonly fifo: FifoDeadlines;
  private readonly cause: DeadlineCause;

  constructor(env: Environment, owner: object, afterMs: number) {
    this.fifo = new FifoDeadlines(env, afterMs);
    this.cause = { kind: 'deadline', owner, afterMs };
  }

  /** Interrupts `proc` `afterMs` from now unless the entry is cancelled first. */
  arm(proc: Process<any>): DeadlineEntry {
    return this.fifo.add(proc, this.cause);
  }

  cancel(entry: DeadlineEntry): void {
    this.fifo.cancel(entry);
  }
}

/**
 * A proxy's request deadlines when the duration varies by request (the activator's revision
 * timeouts, the gateway's route timeouts): one DeadlineTimer per distinct duration, made on
 * first use, each interrupting with `owner` as the cause's owner so `isOwnDeadline(err, owner)`
 * tells the proxy's own expiry from a deadline further out.
 */
export class DeadlineTimers {
  private readonly byDuration = new Map<number, DeadlineTimer>();

  constructor(
    private readonly env: Environment,
    private readonly owner: object,
  ) {}

  of(afterMs: number): DeadlineTimer {
    let t = this.byDuration.get(afterMs);
    if (t === undefined) {
      t = new DeadlineTimer(this.env, this.owner, afterMs);
      this.byDuration.set(afterMs, t);
    }
    return t;
  }
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

  /** Addresses on a lost node: nothing answers there, not even a reset (see Cluster.loseNode). */
  private readonly lost = new Set<string>();

  /** The address's node is gone: connections to it time out instead of being refused. */
  loseAddress(ip: string): void {
    this.lost.add(ip);
  }

  /** Whether connecting to `ip` times out (its node was lost). */
  unreachable(ip: string): boolean {
    return this.lost.size > 0 && this.lost.has(ip);
  }

  handlerAt(ip: string, port: number): Handler | undefined {
    return this.listeners.get(ip)?.get(port);
  }

  /** One network traversal's delay (never negative). */
  delay(): number {
    return Math.max(0, this.latency.sample(this.rng));
  }
}

/*
 * A call from one component to another is written out where it happens, not as a shared
 * generator, because every generator frame between a process and its events costs on each
 * event it waits for:
 *
 *   const handler = net.handlerAt(ip, port);
 *   const outMs = net.delay();                  // the way there (plus any extra delay)
 *   if (handler === undefined) { yield env.timeout(outMs); ... connection refused ... }
 *   const res = (yield handler(req, ctx, outMs)) as HttpResponse; // the server waits outMs with its own work
 *   yield env.timeout(net.delay());             // the way back
 *
 * The handler is called with a plain `yield` (a call the process runs itself, engine/process.ts)
 * rather than `yield*`, which would pass every wait of the server, and of the servers it calls,
 * through this frame.
 *
 * On the request path a timeout is waited with a plain `yield` rather than `yield*`: the value
 * of a timeout is not used, and the process resumes the generator directly instead of through
 * the event's iterator (two calls fewer per wait, on the hottest lines of the simulator).
 */
