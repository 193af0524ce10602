import type { Environment } from '../engine/environment.js';
import type { Event } from '../engine/event.js';
import type { ClientRequest, ClientResponse } from './types.js';

/** What a closed loop needs of the cluster: its clock and its client. */
export interface ClosedLoopHost {
  readonly env: Environment;
  send(req: ClientRequest): Event<ClientResponse>;
}

export interface StartClosedLoopOptions {
  /** Users (hey's workers), each sending its next request when its previous one is answered. */
  users: number;
  request: ClientRequest;
  /** Users start no request at or after this many ms from now (hey's `-z`); without it, only `requestsPerUser` ends a user. */
  durationMs?: number;
  /** Each user sends at most this many requests (hey's `-n` / `-c`). */
  requestsPerUser?: number;
  /** A user's pause between an answer and its next request. */
  thinkMs?: number;
  /**
   * A user's rate limit (hey's `-q`): before each request it takes a tick of its own ticker, one
   * every `tickUs` microseconds from the start, as Go's `time.Tick` delivers them: a tick that
   * comes while the user is busy waits for it, the ones after it are dropped.
   */
  tickUs?: number;
  /**
   * The client stops waiting this long after a request started (Go's `http.Client.Timeout`,
   * redirects included): the user gets a status-0 answer and goes on. The abandoned request
   * runs on in the cluster (knsim does not model a client closing its connection).
   */
  timeoutMs?: number;
  /** The request a user sends next, at once, for this answer (a redirect it follows); none: the answer counts. */
  follow?: (res: ClientResponse, sent: ClientRequest, redirects: number) => ClientRequest | ClientResponse | undefined;
  /** Each answer as it arrives, with the user that got it. */
  onResponse: (res: ClientResponse, user: number) => void;
}

/**
 * A user whose answer took no simulated time at all (a name that does not resolve, with external
 * DNS at 0 ms) would resend at the same instant forever: it waits this long first (docs/limits.md).
 */
export const ZERO_TIME_RESEND_MS = 1;

/** The answer a user gets when it stops waiting (curl's wording; `knsim hey` prints Go's). */
export function timedOutResponse(startMs: number, endMs: number, timeoutMs: number): ClientResponse {
  return { status: 0, body: '', headers: {}, startMs, endMs, latencyMs: endMs - startMs, revision: null, pod: null, hops: [], error: `Operation timed out after ${Math.round(timeoutMs)} milliseconds with 0 bytes received` };
}

/**
 * Starts a closed loop: `users` users, each sending one request at a time (as hey's workers, or
 * a scenario's `concurrency`) until `durationMs` has passed or it has sent `requestsPerUser`.
 * Each answer is handed to `onResponse` as it arrives and nothing is kept, so a long loop runs
 * in flat memory. Returns the event that succeeds when every user has finished; the caller moves
 * the clock (`cluster.runUntilDone`, or a guarded loop).
 */
export function startClosedLoop(cluster: ClosedLoopHost, o: StartClosedLoopOptions): Event<unknown> {
  const env = cluster.env;
  const t0 = env.now;
  const end = o.durationMs === undefined ? Infinity : t0 + o.durationMs;
  const perUser = o.requestsPerUser ?? Infinity;
  if (end === Infinity && perUser === Infinity) throw new RangeError('startClosedLoop: give durationMs or requestsPerUser, or the users never stop');
  const think = o.thinkMs ?? 0;
  const tickUs = o.tickUs;
  const timeoutMs = o.timeoutMs;

  /** One exchange: the request, the redirects it leads to, within the timeout. */
  function* exchange(): Generator<Event<any>, ClientResponse, any> {
    const start = env.now;
    const deadline = timeoutMs === undefined ? Infinity : start + timeoutMs;
    let req = o.request;
    let res: ClientResponse;
    let hops: ClientResponse['hops'] | null = null;
    for (let redirects = 0; ; redirects++) {
      const ev = cluster.send(req);
      if (deadline === Infinity) res = yield* ev;
      else if (!ev.processed) {
        const first: { index: number; value: ClientResponse } = yield env.anyOf<ClientResponse | undefined>([ev, env.timeoutAt(deadline)]);
        if (first.index === 1) return timedOutResponse(start, env.now, timeoutMs!);
        res = first.value;
      } else res = ev.value;
      const next = o.follow?.(res, req, redirects);
      if (next === undefined || !('url' in next)) {
        const last = next ?? res;
        if (redirects === 0 && next === undefined) return res;
        // The answer spans every request of the chain.
        return { ...last, startMs: start, endMs: env.now, latencyMs: env.now - start, hops: [...(hops ?? []), ...last.hops] };
      }
      hops = [...(hops ?? []), ...res.hops];
      req = next;
    }
  }

  const users: Event<unknown>[] = [];
  for (let u = 0; u < o.users; u++) {
    users.push(
      env.process(
        (function* () {
          // The ticker's next tick, by its index (whole microseconds from the start, as Go's Duration).
          let nextTick = 1;
          for (let i = 0; i < perUser && env.now < end; i++) {
            if (tickUs !== undefined) {
              const due = t0 + (nextTick * tickUs) / 1000;
              if (due > env.now) {
                yield env.timeoutAt(due);
                nextTick++;
              } else nextTick = Math.floor(((env.now - t0) * 1000) / tickUs) + 1;
            }
            const sentAt = env.now;
            o.onResponse(yield* exchange(), u);
            if (think > 0) yield env.timeout(think);
            else if (env.now === sentAt) yield env.timeout(ZERO_TIME_RESEND_MS);
          }
        })(),
        `closed-loop user ${u}`,
      ),
    );
  }
  return env.allOf(users);
}
