import { parseAutoscalerConfig } from '../autoscaler/config.js';
import { parseServingConfig } from '../apis/config/serving-config.js';

/** The knative-serving ConfigMaps knsim reads. */
const READ = new Set(['config-autoscaler', 'config-defaults', 'config-deployment', 'config-domain', 'config-features', 'config-istio', 'config-network']);

/** Knative Serving's other ConfigMaps: real, accepted, and without effect in a simulation. */
const NOT_MODELLED = new Set(['config-certmanager', 'config-gc', 'config-leader-election', 'config-logging', 'config-observability', 'config-tracing']);

/**
 * Warnings for ConfigMap data nobody reads: a ConfigMap that is not Knative Serving's, one knsim
 * does not model, or a key the parsers never look at (Knative ignores unknown keys; a user who
 * misspells one deserves to hear of it). Keys the parsers read are found by running them over
 * data that records every lookup, so the list of known keys is the parsers' own. Keys starting
 * with `_` (`_example`) are documentation.
 */
export function unknownConfigWarnings(maps: Readonly<Record<string, Readonly<Record<string, string>>>>, names: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Map<string, Set<string>>();
  const iterated = new Set<string>();
  const recorded: Record<string, Record<string, string>> = {};
  for (const [name, data] of Object.entries(maps)) {
    const keys = new Set<string>();
    seen.set(name, keys);
    recorded[name] = new Proxy({ ...data }, {
      get: (t, k) => (typeof k === 'string' && keys.add(k), Reflect.get(t, k)),
      has: (t, k) => (typeof k === 'string' && keys.add(k), Reflect.has(t, k)),
      getOwnPropertyDescriptor: (t, k) => (typeof k === 'string' && keys.add(k), Reflect.getOwnPropertyDescriptor(t, k)),
      // A parser that lists the keys (config-domain's domains, config-istio's gateways) reads them all.
      ownKeys: (t) => (iterated.add(name), Reflect.ownKeys(t)),
    });
  }
  try {
    parseServingConfig(recorded);
    parseAutoscalerConfig(recorded['config-autoscaler'] ?? {});
  } catch {
    return out; // invalid values are reported as errors elsewhere
  }
  for (const name of [...names].sort()) {
    if (NOT_MODELLED.has(name)) {
      out.push(`config ${name}: knsim does not simulate what this ConfigMap configures; its settings have no effect`);
      continue;
    }
    if (!READ.has(name)) {
      out.push(`config ${name}: not a Knative Serving ConfigMap (knsim reads ${[...READ].join(', ')}); ignored`);
      continue;
    }
    if (iterated.has(name)) continue;
    const read = seen.get(name)!;
    for (const key of Object.keys(maps[name] ?? {}).sort()) {
      if (!key.startsWith('_') && !read.has(key)) out.push(`config ${name}: unknown key ${JSON.stringify(key)}; Knative does not read it, so it has no effect`);
    }
  }
  return out;
}
