import { heapBaseline } from './heap-baseline.js';
import { runMmc, type MmcParams } from './mmc.js';
import { runStackBench, type StackBenchParams } from './stack.js';
import { runPropertyBench, type PropertyBenchParams } from './property.js';
import { runControlPlaneBench, type ControlPlaneBenchParams } from './control-plane.js';
import { runSetupBench, type SetupBenchParams } from './setup.js';
import { UserError } from '../errors.js';

export interface MmcBenchReport {
  customers: number;
  events: number;
  wallSeconds: number;
  eventsPerSecond: number;
  meanWait: number;
  erlangCMeanWait: number;
  relativeError: number;
  baselineEventsPerSecond: number;
  ratioToBaseline: number;
  peakRssMb: number;
  servers: number;
  arrivalRate: number;
  serviceRate: number;
  seed: number;
  rng: string;
}

function seconds(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

export function peakRssMb(): number {
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}

export function benchMmc(p: MmcParams): MmcBenchReport {
  if (!(Number.isInteger(p.servers) && p.servers >= 1)) throw new UserError(`--servers must be a whole number >= 1, got ${p.servers}`);
  if (!(p.arrivalRate > 0)) throw new UserError(`--arrival-rate must be > 0, got ${p.arrivalRate}`);
  if (!(p.serviceRate > 0)) throw new UserError(`--service-rate must be > 0, got ${p.serviceRate}`);
  if (!(Number.isInteger(p.customers) && p.customers >= 1)) throw new UserError(`--customers must be a whole number >= 1, got ${p.customers}`);
  if (p.arrivalRate >= p.servers * p.serviceRate) {
    throw new UserError(`the queue is unstable: arrival rate ${p.arrivalRate} >= servers × service rate ${p.servers * p.serviceRate}, so no mean wait exists`);
  }
  let result!: ReturnType<typeof runMmc>;
  const wall = seconds(() => {
    result = runMmc(p);
  });
  let baseline!: ReturnType<typeof heapBaseline>;
  const baseWall = seconds(() => {
    baseline = heapBaseline(result.events);
  });
  const eps = result.events / wall;
  const baseEps = baseline.events / baseWall;
  return {
    customers: result.customers,
    events: result.events,
    wallSeconds: wall,
    eventsPerSecond: eps,
    meanWait: result.meanWait,
    erlangCMeanWait: result.erlangCMeanWait,
    relativeError: result.relativeError,
    baselineEventsPerSecond: baseEps,
    ratioToBaseline: eps / baseEps,
    peakRssMb: peakRssMb(),
    servers: p.servers,
    arrivalRate: p.arrivalRate,
    serviceRate: p.serviceRate,
    seed: p.seed,
    rng: p.rng,
  };
}

export function formatMmc(r: MmcBenchReport): string {
  const f = (x: number) => Math.round(x).toLocaleString('en-US');
  return [
    `M/M/c  c=${r.servers} λ=${r.arrivalRate} μ=${r.serviceRate} seed=${r.seed} rng=${r.rng}`,
    `customers          ${f(r.customers)}`,
    `events processed   ${f(r.events)}`,
    `wall seconds       ${r.wallSeconds.toFixed(3)}`,
    `events per second  ${f(r.eventsPerSecond)}`,
    `baseline heap loop ${f(r.baselineEventsPerSecond)} events/s (kernel at ${(r.ratioToBaseline * 100).toFixed(1)}% of it)`,
    `mean wait (sim)    ${r.meanWait}`,
    `mean wait (Erlang C) ${r.erlangCMeanWait}`,
    `relative error     ${(r.relativeError * 100).toFixed(3)}%`,
    `peak RSS           ${r.peakRssMb} MB`,
  ].join('\n');
}

export interface StackBenchReport {
  requests: number;
  wallSeconds: number;
  /** CPU time (user + system) of the load phase, and per request in µs. */
  cpuSeconds: number;
  cpuUsPerRequest: number;
  /** The revision held at this many pods (`--pods`), or null: autoscaling. */
  pods: number | null;
  requestsPerSecond: number;
  eventsPerSecond: number;
  peakRssMb: number;
  events: number;
  simulatedSeconds: number;
  byStatus: Record<string, number>;
  maxReadyPods: number;
  rps: number;
  seed: number;
}

export function benchStack(p: StackBenchParams): StackBenchReport {
  if (!(Number.isInteger(p.requests) && p.requests >= 1)) throw new UserError(`--requests must be a whole number >= 1, got ${p.requests}`);
  if (!(p.rps > 0)) throw new UserError(`--rps must be > 0, got ${p.rps}`);
  if (p.pods !== undefined && !(Number.isInteger(p.pods) && p.pods >= 1)) throw new UserError(`--pods must be a whole number >= 1, got ${p.pods}`);
  let t0 = 0n;
  let cpu0 = process.cpuUsage();
  const r = runStackBench(p, () => {
    t0 = process.hrtime.bigint();
    cpu0 = process.cpuUsage();
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    requests: r.completed,
    wallSeconds: wall,
    cpuSeconds,
    cpuUsPerRequest: (cpuSeconds * 1e6) / r.completed,
    pods: p.pods ?? null,
    requestsPerSecond: r.completed / wall,
    eventsPerSecond: r.events / wall,
    peakRssMb: peakRssMb(),
    events: r.events,
    simulatedSeconds: r.simulatedMs / 1000,
    byStatus: r.byStatus,
    maxReadyPods: r.maxReadyPods,
    rps: p.rps,
    seed: p.seed,
  };
}

export function formatStack(r: StackBenchReport): string {
  const f = (x: number) => Math.round(x).toLocaleString('en-US');
  return [
    `stack  1 service, full path, ${r.pods === null ? 'autoscaling on' : `held at ${r.pods} pods`}, tracing off, ${r.rps} req/s Poisson, seed ${r.seed}`,
    `requests              ${f(r.requests)} (${Object.entries(r.byStatus).map(([k, v]) => `${f(v)}× ${k}`).join(', ')})`,
    `simulated time        ${r.simulatedSeconds.toFixed(1)} s (max ${r.maxReadyPods} ready pods)`,
    `wall seconds          ${r.wallSeconds.toFixed(3)}`,
    `cpu seconds           ${r.cpuSeconds.toFixed(3)} (${r.cpuUsPerRequest.toFixed(2)} µs per request)`,
    `requests per second   ${f(r.requestsPerSecond)} simulated requests per wall second`,
    `events per second     ${f(r.eventsPerSecond)}`,
    `peak RSS              ${r.peakRssMb} MB`,
  ].join('\n');
}

export interface PropertyBenchReport {
  runs: number;
  requests: number;
  wallSeconds: number;
  runsPerSecond: number;
  /**
   * CPU seconds (user + system) of the measured runs, every thread of the process: above
   * `wallSeconds` while V8's optimizing compiler works beside the simulation (docs/testing.md,
   * "Warm-up").
   */
  cpuSeconds: number;
  /** Unmeasured runs before the measured ones (`--warmup`), and their wall seconds together. */
  warmup: number;
  warmupSeconds: number;
  /** Mean wall ms a run spends before its first request: a fresh cluster, both revisions Ready. */
  setupMsMean: number;
  /** Mean wall ms of `new Cluster()` alone (an empty cluster with its system objects). */
  clusterMsMean: number;
  clusterSetupsPerSecond: number;
  held: boolean;
  seed: number;
  peakRssMb: number;
}

const mean = (xs: readonly number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
const wallMs = () => Number(process.hrtime.bigint()) / 1e6;
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export function benchProperty(p: PropertyBenchParams): { report: PropertyBenchReport; failure?: string } {
  if (!(Number.isInteger(p.runs) && p.runs >= 1)) throw new UserError(`--runs must be a whole number >= 1, got ${p.runs}`);
  if (!(Number.isInteger(p.requests) && p.requests >= 1)) throw new UserError(`--requests must be a whole number >= 1, got ${p.requests}`);
  if (!(Number.isInteger(p.warmup ?? 0) && (p.warmup ?? 0) >= 0)) throw new UserError(`--warmup must be a whole number >= 0, got ${p.warmup}`);
  const r = runPropertyBench(p, { wallMs, cpuMs });
  const clusterMsMean = mean(r.clusterMs);
  return {
    report: {
      runs: r.runs,
      requests: r.requests,
      wallSeconds: r.wallMs / 1000,
      // (no measured runs when the warm-up's property failed)
      runsPerSecond: r.wallMs > 0 ? (1000 * r.runs) / r.wallMs : 0,
      cpuSeconds: r.cpuMs / 1000,
      warmup: r.warmup,
      warmupSeconds: r.warmupMs / 1000,
      setupMsMean: mean(r.setupMs),
      clusterMsMean,
      clusterSetupsPerSecond: 1000 / clusterMsMean,
      held: r.held,
      seed: p.seed,
      peakRssMb: peakRssMb(),
    },
    ...(r.failure !== undefined ? { failure: r.failure } : {}),
  };
}

export function formatProperty(r: PropertyBenchReport): string {
  const f = (x: number) => Math.round(x).toLocaleString('en-US');
  return [
    `property  the canary split converges: ${r.runs} runs of ${f(r.requests)} requests, a fresh cluster each, seed ${r.seed}`,
    `held                  ${r.held ? 'yes' : 'NO'}`,
    `wall seconds          ${r.wallSeconds.toFixed(3)}`,
    `runs per second       ${r.runsPerSecond.toFixed(1)}`,
    `cpu seconds           ${r.cpuSeconds.toFixed(3)} (all of the process's threads: V8's compiler runs beside the simulation while it warms up)`,
    ...(r.warmup > 0 ? [`warm-up               ${f(r.warmup)} runs first, unmeasured: ${r.warmupSeconds.toFixed(3)} s (${(r.warmup / r.warmupSeconds).toFixed(1)} runs per second)`] : []),
    `setup ms (mean)       ${r.setupMsMean.toFixed(3)} (a cluster and a two-revision Service, Ready)`,
    `cluster ms (mean)     ${r.clusterMsMean.toFixed(3)} (new Cluster(): ${f(r.clusterSetupsPerSecond)} per second)`,
    `peak RSS              ${r.peakRssMb} MB`,
  ].join('\n');
}

export interface SetupBenchReport {
  setups: number;
  revisions: number;
  /** Wall and CPU (user + system) ms per setup, the mean over the measured setups. */
  msPerSetup: number;
  cpuMsPerSetup: number;
  /** Setups per second of wall time and of CPU time (the latter is what a busy machine cannot blur). */
  setupsPerSecond: number;
  setupsPerCpuSecond: number;
  events: number;
  warmup: number;
  /** Wall ms per setup over the whole warm-up, and over its first `coldSetups` (a fresh process's first setups, JIT cold). */
  warmupMsPerSetup: number | null;
  coldSetups: number;
  coldMsPerSetup: number | null;
  seed: number;
  peakRssMb: number;
}

export function benchSetup(p: SetupBenchParams): SetupBenchReport {
  if (!(Number.isInteger(p.setups) && p.setups >= 1)) throw new UserError(`--setups must be a whole number >= 1, got ${p.setups}`);
  if (!(Number.isInteger(p.revisions) && p.revisions >= 1)) throw new UserError(`--revisions must be a whole number >= 1, got ${p.revisions}`);
  if (!(Number.isInteger(p.warmup) && p.warmup >= 0)) throw new UserError(`--warmup must be a whole number >= 0, got ${p.warmup}`);
  const r = runSetupBench(p, { wallMs, cpuMs });
  return {
    setups: r.setups,
    revisions: r.revisions,
    msPerSetup: r.wallMs / r.setups,
    cpuMsPerSetup: r.cpuMs / r.setups,
    setupsPerSecond: (1000 * r.setups) / r.wallMs,
    setupsPerCpuSecond: (1000 * r.setups) / r.cpuMs,
    events: r.events,
    warmup: p.warmup,
    warmupMsPerSetup: p.warmup > 0 ? r.warmupWallMs / p.warmup : null,
    coldSetups: r.coldSetups,
    coldMsPerSetup: r.coldSetups > 0 ? r.coldWallMs / r.coldSetups : null,
    seed: p.seed,
    peakRssMb: peakRssMb(),
  };
}

export function formatSetup(r: SetupBenchReport): string {
  const f = (x: number) => Math.round(x).toLocaleString('en-US');
  return [
    `setup  smallCluster(): a fresh cluster and a ${r.revisions === 1 ? 'one-revision' : `${r.revisions}-revision`} Service, Ready; ${f(r.setups)} setups after ${f(r.warmup)} unmeasured, seeds ${r.seed}…${r.seed + r.setups - 1}`,
    `ms per setup          ${r.msPerSetup.toFixed(3)} wall, ${r.cpuMsPerSetup.toFixed(3)} cpu`,
    `setups per second     ${f(r.setupsPerSecond)} (${f(r.setupsPerCpuSecond)} per cpu second)`,
    ...(r.coldMsPerSetup !== null && r.warmupMsPerSetup !== null
      ? [`warm-up ms per setup  ${r.warmupMsPerSetup.toFixed(3)} wall (the process's first ${f(r.coldSetups)}: ${r.coldMsPerSetup.toFixed(3)}, ${f(1000 / r.coldMsPerSetup)} a second)`]
      : []),
    `events per setup      ${f(r.events)}`,
    `peak RSS              ${r.peakRssMb} MB`,
  ].join('\n');
}

export interface ControlPlaneBenchReport {
  services: number;
  events: number;
  cpuSeconds: number;
  wallSeconds: number;
  msPerService: number;
  peakRssMb: number;
  simulatedSeconds: number;
  seed: number;
}

export function benchControlPlane(p: ControlPlaneBenchParams): ControlPlaneBenchReport {
  if (!(Number.isInteger(p.services) && p.services >= 1)) throw new UserError(`--services must be a whole number >= 1, got ${p.services}`);
  const cpu0 = process.cpuUsage();
  let r!: ReturnType<typeof runControlPlaneBench>;
  const wall = seconds(() => {
    r = runControlPlaneBench(p);
  });
  const cpu = process.cpuUsage(cpu0);
  return {
    services: r.services,
    events: r.events,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    wallSeconds: wall,
    msPerService: (wall * 1000) / r.services,
    peakRssMb: peakRssMb(),
    simulatedSeconds: r.simulatedMs / 1000,
    seed: p.seed,
  };
}

export function formatControlPlane(r: ControlPlaneBenchReport): string {
  const f = (x: number) => Math.round(x).toLocaleString('en-US');
  return [
    `control-plane  ${f(r.services)} Services applied to a fresh cluster, run until all are Ready, seed ${r.seed}`,
    `services              ${f(r.services)}`,
    `events                ${f(r.events)} (${r.simulatedSeconds.toFixed(1)} s simulated)`,
    `cpu seconds           ${r.cpuSeconds.toFixed(3)}`,
    `wall seconds          ${r.wallSeconds.toFixed(3)}`,
    `ms per service        ${r.msPerService.toFixed(3)}`,
    `peak RSS              ${r.peakRssMb} MB`,
  ].join('\n');
}
