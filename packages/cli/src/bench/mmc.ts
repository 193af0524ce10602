import { Environment, Resource, RngStreams, exponentialRate, mulberry32, type ProcessGenerator, type Rng } from '@knsim/sim-core/engine';

export interface MmcParams {
  servers: number;
  arrivalRate: number;
  serviceRate: number;
  customers: number;
  seed: number;
  /** 'mulberry32' reproduces shared/tools/simpy_mmc.py's sample path; 'alea' is knsim's default stream. */
  rng: 'alea' | 'mulberry32';
  /** Called every 50,000 arrivals with the customers arrived (the CLI's progress line); no events of its own. */
  onProgress?: (arrived: number, customers: number) => void;
}

export interface MmcResult {
  customers: number;
  events: number;
  meanWait: number;
  erlangCMeanWait: number;
  relativeError: number;
  simulatedTime: number;
}

/** Analytic mean wait in queue of an M/M/c queue (Erlang C). */
export function erlangCMeanWait(c: number, lambda: number, mu: number): number {
  const a = lambda / mu;
  const rho = a / c;
  if (rho >= 1) return Infinity;
  let s = 0;
  let term = 1; // a^k / k!
  for (let k = 0; k < c; k++) {
    s += term;
    term *= a / (k + 1);
  }
  const top = term / (1 - rho); // term is now a^c / c!
  const pWait = top / (s + top);
  return pWait / (c * mu - lambda);
}

/**
 * The M/M/c model written the way SimPy writes it: a source process that waits an exponential
 * interarrival and then starts a customer process, and customers that request one of c
 * servers, add their wait to a running sum, draw a service time and hold the server. With the
 * mulberry32 stream (one stream for all draws, as the SimPy script uses) the draw order is
 * SimPy's, so the sample path is identical.
 */
export function runMmc(p: MmcParams): MmcResult {
  const env = new Environment();
  const servers = new Resource(env, p.servers);
  const rng: Rng = p.rng === 'mulberry32' ? mulberry32(p.seed) : new RngStreams(p.seed).fork('mmc');
  // Drawn as SimPy's script draws them: -ln(1 - u) / rate.
  const interarrival = exponentialRate(p.arrivalRate);
  const service = exponentialRate(p.serviceRate);
  let waitSum = 0;

  function* customer(): ProcessGenerator<void> {
    const arrive = env.now;
    const req = servers.request();
    yield* req;
    waitSum += env.now - arrive;
    yield* env.timeout(service.sample(rng));
    servers.release(req);
  }

  function* source(n: number): ProcessGenerator<void> {
    const report = p.onProgress;
    for (let i = 0; i < n; i++) {
      yield* env.timeout(interarrival.sample(rng));
      env.process(customer());
      if (report !== undefined && i % 50_000 === 0) report(i, n);
    }
  }

  env.process(source(p.customers));
  env.run();
  const meanWait = waitSum / p.customers;
  const erlang = erlangCMeanWait(p.servers, p.arrivalRate, p.serviceRate);
  return {
    customers: p.customers,
    events: env.eventsProcessed,
    meanWait,
    erlangCMeanWait: erlang,
    relativeError: Math.abs(meanWait - erlang) / erlang,
    simulatedTime: env.now,
  };
}
