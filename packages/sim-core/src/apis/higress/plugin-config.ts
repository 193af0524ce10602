import type { WasmPlugin } from './v1alpha1.js';

/**
 * The configuration of the Higress plugins knsim runs, parsed as the plugins parse it when Envoy
 * configures them, with their own error messages: `key-auth` (Go, plugins/wasm-go/extensions/
 * key-auth/main.go parseGlobalConfig / parseOverrideRuleConfig) and `key-rate-limit` (C++,
 * plugins/wasm-cpp/extensions/key_rate_limit/plugin.cc parsePluginConfig). Both take a global
 * configuration and `_rules_`, each rule a `_match_route_` / `_match_domain_` /
 * `_match_service_` list plus that rule's configuration (the wasm-go wrapper's
 * ParseOverrideConfigBy, the C++ RouteRuleMatcher); Higress turns a WasmPlugin's `matchRules`
 * into more such rules after the ones `defaultConfig` lists.
 */

export interface KeyAuthConfig {
  /** undefined = not set (see key-auth's applicability rules). */
  globalAuth: boolean | undefined;
  keys: string[];
  inQuery: boolean;
  inHeader: boolean;
  /** credential → consumer name. */
  credentials: ReadonlyMap<string, string>;
  /** Empty on the global configuration; a rule's consumers allowed. */
  allow: string[];
  /** Some rule configures the plugin (key-auth's ruleSet). */
  ruleSet: boolean;
}

export type RateWindow = 'second' | 'minute' | 'hour' | 'day';

export interface KeyRateLimitConfig {
  limitByHeader?: string;
  limitByParam?: string;
  /** key → requests per window. */
  limits: ReadonlyMap<string, { tokens: number; window: RateWindow; intervalMs: number }>;
}

export interface PluginRule<C> {
  routes: string[];
  routePrefixes: string[];
  domains: string[];
  services: string[];
  /** The rule's id: 1 + its index (the C++ matcher's rule id; the global configuration is 0). */
  id: number;
  config: C;
}

export interface PluginRuleSet<C> {
  global: C | null;
  rules: PluginRule<C>[];
}

export type ParsedPlugin = { plugin: 'key-auth'; rules: PluginRuleSet<KeyAuthConfig> } | { plugin: 'key-rate-limit'; rules: PluginRuleSet<KeyRateLimitConfig> };

/** A configuration error: the message, and the field it is about. */
export class PluginConfigError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;

const MATCH_KEYS = ['_match_route_', '_match_domain_', '_match_route_prefix_', '_match_service_'] as const;

/** The plugins knsim runs, by the last segment of a WasmPlugin's `url` (`oci://…/key-auth:1.0.0`). */
export function pluginNameOf(url: string | undefined): string {
  if (url === undefined) return '';
  const last = url.slice(url.lastIndexOf('/') + 1);
  const name = last.split(/[:@]/)[0]!;
  // Higress publishes the Go key-auth as go-key-auth too, and the C++ one as key-auth.
  return name === 'go-key-auth' ? 'key-auth' : name;
}

/** Parses a WasmPlugin's configuration for the plugin its url names; throws PluginConfigError. */
export function parseWasmPlugin(wp: WasmPlugin): ParsedPlugin {
  const name = pluginNameOf(wp.spec.url);
  const rulesJson = collectRules(wp);
  const defaultConfig = withoutRules(wp.spec.defaultConfig ?? {});
  const hasGlobal = wp.spec.defaultConfigDisable !== true && Object.keys(defaultConfig).length > 0;
  if (name === 'key-auth') {
    const global = parseKeyAuthGlobal(hasGlobal ? defaultConfig : {}, 'spec.defaultConfig');
    const rules = rulesJson.map((r, i) => ruleOf(r.json, i, r.path, (json) => ({ ...parseKeyAuthOverride(json, global, r.path), ruleSet: true })));
    // ruleSet is the parsed configuration's own (main.go: parseOverrideRuleConfig sets it on the
    // rule's copy), so the global configuration keeps ruleSet false even when rules exist.
    return { plugin: 'key-auth', rules: { global, rules } };
  }
  if (name === 'key-rate-limit') {
    const global = hasGlobal ? parseKeyRateLimit(defaultConfig, 'spec.defaultConfig') : null;
    const rules = rulesJson.map((r, i) => ruleOf(r.json, i, r.path, (json) => parseKeyRateLimit(json, r.path)));
    return { plugin: 'key-rate-limit', rules: { global, rules } };
  }
  throw new PluginConfigError(`knsim runs the key-auth and key-rate-limit plugins only, not ${JSON.stringify(name || wp.spec.url || '')}`, 'spec.url');
}

function collectRules(wp: WasmPlugin): Array<{ json: Json; path: string }> {
  const out: Array<{ json: Json; path: string }> = [];
  const inline = wp.spec.defaultConfig?.['_rules_'];
  if (inline !== undefined) {
    if (!Array.isArray(inline)) throw new PluginConfigError('_rules_ must be a list', 'spec.defaultConfig._rules_');
    inline.forEach((r, i) => out.push({ json: asObject(r, `spec.defaultConfig._rules_[${i}]`), path: `spec.defaultConfig._rules_[${i}]` }));
  }
  (wp.spec.matchRules ?? []).forEach((m, i) => {
    if (m.configDisable === true) return;
    const json: Json = { ...(m.config ?? {}) };
    if (m.ingress?.length) json['_match_route_'] = m.ingress;
    if (m.domain?.length) json['_match_domain_'] = m.domain;
    if (m.service?.length) json['_match_service_'] = m.service;
    out.push({ json, path: `spec.matchRules[${i}]` });
  });
  return out;
}

function ruleOf<C>(json: Json, index: number, path: string, parse: (json: Json) => C): PluginRule<C> {
  const lists = MATCH_KEYS.map((k) => {
    const v = json[k];
    if (v === undefined) return [];
    if (!Array.isArray(v)) throw new PluginConfigError(`${k} must be a list`, `${path}.${k}`);
    return v.map(String);
  });
  if (lists.every((l) => l.length === 0)) throw new PluginConfigError('no match condition: one of _match_route_, _match_domain_, _match_route_prefix_ or _match_service_ is required', path);
  return { routes: lists[0]!, domains: lists[1]!, routePrefixes: lists[2]!, services: lists[3]!, id: index + 1, config: parse(withoutRules(json)) };
}

function withoutRules(json: Json): Json {
  const out: Json = {};
  for (const k of Object.keys(json)) if (k !== '_rules_' && !(MATCH_KEYS as readonly string[]).includes(k)) out[k] = json[k];
  return out;
}

function asObject(v: unknown, path: string): Json {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new PluginConfigError('must be an object', path);
  return v as Json;
}

// gjson's String() of a scalar: numbers as written, booleans as true/false.
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');
// gjson's Bool(): true, "true", "1" and non-zero numbers.
const bool = (v: unknown): boolean => v === true || v === 'true' || v === '1' || (typeof v === 'number' && v !== 0);

/** key-auth's parseGlobalConfig, with its messages. */
function parseKeyAuthGlobal(json: Json, path: string): KeyAuthConfig {
  const fail = (msg: string, field = '') => {
    throw new PluginConfigError(msg, field ? `${path}.${field}` : path);
  };
  const keys = json['keys'];
  if (keys === undefined) fail('keys is required', 'keys');
  if (!Array.isArray(keys) || keys.length === 0) fail('keys cannot be empty', 'keys');
  if (json['in_query'] === undefined && json['in_header'] === undefined) fail('must one of in_query/in_header required');
  const consumers = json['consumers'];
  if (consumers === undefined) fail('consumers is required', 'consumers');
  if (!Array.isArray(consumers) || consumers.length === 0) fail('consumers cannot be empty', 'consumers');
  const credentials = new Map<string, string>();
  (consumers as unknown[]).forEach((c, i) => {
    const item = asObject(c, `${path}.consumers[${i}]`);
    const name = str(item['name']);
    if (name === '') fail('consumer name is required', `consumers[${i}].name`);
    const credential = str(item['credential']);
    if (credential === '') fail('consumer credential is required', `consumers[${i}].credential`);
    if (credentials.has(credential)) fail(`duplicate consumer credential: ${credential}`, `consumers[${i}].credential`);
    credentials.set(credential, name);
  });
  return {
    globalAuth: json['global_auth'] === undefined ? undefined : bool(json['global_auth']),
    keys: (keys as unknown[]).map(str),
    inQuery: bool(json['in_query']),
    inHeader: bool(json['in_header']),
    credentials,
    allow: [],
    ruleSet: false,
  };
}

/** key-auth's parseOverrideRuleConfig: the global configuration with the rule's `allow`. */
function parseKeyAuthOverride(json: Json, global: KeyAuthConfig, path: string): KeyAuthConfig {
  const allow = json['allow'];
  if (allow === undefined) throw new PluginConfigError('allow is required', `${path}.allow`);
  if (!Array.isArray(allow) || allow.length === 0) throw new PluginConfigError('allow cannot be empty', `${path}.allow`);
  return { ...global, allow: allow.map(str) };
}

const WINDOWS: ReadonlyArray<[field: string, window: RateWindow, intervalMs: number]> = [
  ['query_per_second', 'second', 1000],
  ['query_per_minute', 'minute', 60_000],
  ['query_per_hour', 'hour', 3_600_000],
  ['query_per_day', 'day', 86_400_000],
];

/**
 * key_rate_limit's parsePluginConfig (C++), with its messages: limit_keys, each with the first
 * positive rate of second → minute → hour → day, then limit_by_header xor limit_by_param. A
 * numeric `key` (the seed's unquoted `key: 123456`) is taken as its decimal text.
 */
function parseKeyRateLimit(json: Json, path: string): KeyRateLimitConfig {
  const header = json['limit_by_header'];
  const param = json['limit_by_param'];
  const keys = json['limit_keys'];
  if (!Array.isArray(keys) || keys.length === 0) throw new PluginConfigError('no limit keys found in configuration', `${path}.limit_keys`);
  const limits = new Map<string, { tokens: number; window: RateWindow; intervalMs: number }>();
  keys.forEach((k, i) => {
    const item = asObject(k, `${path}.limit_keys[${i}]`);
    const key = str(item['key']);
    const found = WINDOWS.find(([field]) => typeof item[field] === 'number' && (item[field] as number) > 0);
    if (found === undefined) throw new PluginConfigError("one of 'query_per_second', 'query_per_minute', 'query_per_hour' or 'query_per_day' must be set", `${path}.limit_keys[${i}]`);
    const [field, window, intervalMs] = found;
    limits.set(key, { tokens: Math.floor(item[field] as number), window, intervalMs });
  });
  // Checked after the keys, as plugin.cc does; an empty string counts as not set.
  if ((str(header) === '') === (str(param) === '')) throw new PluginConfigError("only one of 'limit_by_param' and 'limit_by_header' can be set", path);
  return { ...(str(header) !== '' ? { limitByHeader: str(header) } : { limitByParam: str(param) }), limits };
}
