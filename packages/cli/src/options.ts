import { parseDuration } from '@knsim/sim-core/engine';
import { InvalidArgumentError } from 'commander';

/** Collects a repeatable option's values in order. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * `--set CONFIGMAP.KEY=VALUE`: the ConfigMap name ends at the first dot, the key at the first
 * `=`; the key may contain dots and the value may be empty (`--set config-domain.example.com=`
 * sets the domain the way Knative's docs do).
 */
export function parseSets(sets: readonly string[]): Record<string, Record<string, string>> {
  // No prototypes: `--set __proto__.k=v` must be a (rejected) ConfigMap name, never Object.prototype.k.
  const out = Object.create(null) as Record<string, Record<string, string>>;
  for (const s of sets) {
    const dot = s.indexOf('.');
    const eq = s.indexOf('=', dot + 1);
    if (dot <= 0 || eq < 0 || eq === dot + 1) {
      throw new InvalidArgumentError(`--set takes CONFIGMAP.KEY=VALUE (for example config-autoscaler.stable-window=30s), got ${JSON.stringify(s)}`);
    }
    const cm = s.slice(0, dot);
    const key = s.slice(dot + 1, eq);
    (out[cm] ??= Object.create(null) as Record<string, string>)[key] = s.slice(eq + 1);
  }
  return out;
}

/**
 * `--latency NAME=DISTRIBUTION`: one of the cluster's calibrated latencies (the names of
 * sim-core's LatencyModel: clientToLoadBalancer, imagePull, ...) replaced; the cluster checks the
 * name and the distribution.
 */
export function parseLatencies(specs: readonly string[]): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  for (const s of specs) {
    const eq = s.indexOf('=');
    if (eq <= 0 || eq === s.length - 1) throw new InvalidArgumentError(`--latency takes NAME=DISTRIBUTION (for example clientToLoadBalancer=lognormal(60ms,0.1)), got ${JSON.stringify(s)}`);
    out[s.slice(0, eq)] = s.slice(eq + 1);
  }
  return out;
}

/** `-H 'Name: value'` → [name, value]. */
export function parseHeader(h: string): [string, string] {
  const i = h.indexOf(':');
  if (i <= 0) throw new InvalidArgumentError(`-H takes 'Name: value', got ${JSON.stringify(h)}`);
  return [h.slice(0, i).trim(), h.slice(i + 1).trim()];
}

export function durationOption(name: string) {
  return (v: string): number => {
    try {
      const ms = parseDuration(v);
      if (ms < 0) throw new Error('must not be negative');
      return ms;
    } catch (e) {
      throw new InvalidArgumentError(`${name}: ${(e as Error).message}`);
    }
  };
}
