import type { KObject } from '../core/v1.js';

/**
 * Higress's WasmPlugin (extensions.higress.io/v1alpha1, higress api/extensions/v1alpha1/wasm.proto):
 * a plugin image (`url`), where it runs in the filter chain (`phase`, `priority`), its global
 * configuration (`defaultConfig`, with the legacy `_rules_` list inside it) and its per-route,
 * per-domain and per-service overrides (`matchRules`).
 */
export interface WasmPlugin extends KObject {
  spec: WasmPluginSpec;
}

export interface WasmPluginSpec {
  url?: string;
  /** UNSPECIFIED_PHASE (default), AUTHN, AUTHZ, STATS. */
  phase?: string;
  priority?: number;
  defaultConfig?: Record<string, unknown>;
  defaultConfigDisable?: boolean;
  matchRules?: WasmMatchRule[];
  imagePullPolicy?: string;
  sha256?: string;
}

export interface WasmMatchRule {
  /** `namespace/name` of Ingresses (Higress route names). */
  ingress?: string[];
  domain?: string[];
  service?: string[];
  config?: Record<string, unknown>;
  configDisable?: boolean;
}
