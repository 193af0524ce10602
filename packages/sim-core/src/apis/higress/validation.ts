import { FieldError } from '../field-error.js';
import { parseWasmPlugin, PluginConfigError } from './plugin-config.js';
import type { WasmPlugin } from './v1alpha1.js';

export { pluginNameOf } from './plugin-config.js';

/** The plugins knsim runs. */
export const SIMULATED_PLUGINS = ['key-auth', 'key-rate-limit'] as const;

const PHASES = new Set(['UNSPECIFIED_PHASE', 'AUTHN', 'AUTHZ', 'STATS']);

/**
 * A WasmPlugin as knsim admits it. Higress has no admission check of a plugin's configuration:
 * the plugin refuses it when Envoy configures it and the gateway serves without it. knsim
 * rejects it at apply instead, with the plugin's own message, so a mistake is never silently
 * without effect (docs/cluster.md).
 */
export function validateWasmPlugin(wp: WasmPlugin): FieldError | undefined {
  const spec = wp.spec;
  if (spec === null || typeof spec !== 'object') return FieldError.of('missing field(s)', ['spec']);
  if (spec.phase !== undefined && !PHASES.has(spec.phase)) return FieldError.of(`invalid value: ${spec.phase} (want UNSPECIFIED_PHASE, AUTHN, AUTHZ or STATS)`, ['spec.phase']);
  if (spec.priority !== undefined && !Number.isInteger(spec.priority)) return FieldError.of(`invalid value: ${String(spec.priority)}`, ['spec.priority']);
  try {
    parseWasmPlugin(wp);
  } catch (e) {
    if (!(e instanceof PluginConfigError)) throw e;
    return FieldError.of(e.message, [e.path]);
  }
  return undefined;
}
