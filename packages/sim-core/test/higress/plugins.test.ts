import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/index.js';
import { parseWasmPlugin, type KeyAuthConfig } from '../../src/apis/higress/plugin-config.js';
import type { WasmPlugin } from '../../src/apis/higress/v1alpha1.js';
import { keyAuth } from '../../src/net/higress/key-auth.js';
import { KeyRateLimiter } from '../../src/net/higress/key-rate-limit.js';
import { domainMatches, matchConfig } from '../../src/net/higress/match.js';
import { HttpHeaders, HttpRequestMessage } from '../../src/net/http.js';
import { HELLO_KSVC } from '../apis/seed-manifests.js';

/**
 * Issue 13: the Higress plugins' configuration and decisions, transcribed from
 * alibaba/higress plugins/wasm-go/extensions/key-auth/main.go (parseGlobalConfig,
 * parseOverrideRuleConfig, onHttpRequestHeaders) and plugins/wasm-cpp/extensions/key_rate_limit
 * (plugin.cc, bucket.cc: getToken, refillToken, initializeTokenBucket).
 */

const wp = (url: string, defaultConfig: Record<string, unknown>, extra: Partial<WasmPlugin['spec']> = {}): WasmPlugin => ({
  apiVersion: 'extensions.higress.io/v1alpha1',
  kind: 'WasmPlugin',
  metadata: { name: 'p', namespace: 'higress-system' },
  spec: { url, defaultConfig, ...extra },
});
const req = (path: string, headers: Record<string, string> = {}, authority = 'hello.default.example.com') =>
  new HttpRequestMessage('GET', 'http', authority, path, new HttpHeaders(headers), '');

const CONSUMERS = [
  { name: 'consumer1', credential: 'c1' },
  { name: 'consumer2', credential: 'c2' },
];

function keyAuthConfig(global: Record<string, unknown>, rules: Array<Record<string, unknown>> = []): { global: KeyAuthConfig; rules: KeyAuthConfig[] } {
  const p = parseWasmPlugin(wp('oci://x/key-auth:1.0.0', { consumers: CONSUMERS, keys: ['apikey', 'x-api-key'], ...global, ...(rules.length ? { _rules_: rules } : {}) }));
  if (p.plugin !== 'key-auth') throw new Error('wrong plugin');
  return { global: p.rules.global!, rules: p.rules.rules.map((r) => r.config) };
}

describe('key-auth configuration (main.go parseGlobalConfig, parseOverrideRuleConfig)', () => {
  it.each([
    [{ consumers: CONSUMERS, in_query: true }, 'keys is required'],
    [{ consumers: CONSUMERS, keys: [], in_query: true }, 'keys cannot be empty'],
    [{ consumers: CONSUMERS, keys: ['apikey'] }, 'must one of in_query/in_header required'],
    [{ keys: ['apikey'], in_query: true }, 'consumers is required'],
    [{ consumers: [{ name: 'a', credential: 'x' }, { name: 'b', credential: 'x' }], keys: ['k'], in_query: true }, 'duplicate consumer credential: x'],
    [{ consumers: [{ credential: 'x' }], keys: ['k'], in_query: true }, 'consumer name is required'],
    [{ consumers: CONSUMERS, keys: ['k'], in_query: true, _rules_: [{ _match_domain_: ['a.com'] }] }, 'allow is required'],
    [{ consumers: CONSUMERS, keys: ['k'], in_query: true, _rules_: [{ _match_domain_: ['a.com'], allow: [] }] }, 'allow cannot be empty'],
  ])('rejects %j: %s', (config, message) => {
    expect(() => parseWasmPlugin(wp('oci://x/key-auth:1.0.0', config))).toThrow(message);
  });

  it('is refused at apply, naming the field, with nothing applied', () => {
    const c = new Cluster({ seed: 1 });
    expect(() => c.apply(`apiVersion: extensions.higress.io/v1alpha1
kind: WasmPlugin
metadata: {name: key-auth, namespace: higress-system}
spec:
  url: oci://higress-registry.cn-hangzhou.cr.aliyuncs.com/plugins/key-auth:1.0.0
  defaultConfig:
    consumers: [{name: a, credential: x}]
    in_query: true
`, { file: 'key-auth.yaml' })).toThrow(/"key-auth.yaml".*wasmplugin.higress.io.*keys is required: spec.defaultConfig.keys/);
    expect(c.get({ apiVersion: 'extensions.higress.io/v1alpha1', kind: 'WasmPlugin', name: 'key-auth', namespace: 'higress-system' })).toBeUndefined();
    expect(() => c.apply(wp('oci://x/waf:1.0.0', {}) as never)).toThrow(/knsim runs the key-auth and key-rate-limit plugins only, not "waf": spec.url/);
  });
});

describe('key-auth decisions (main.go onHttpRequestHeaders)', () => {
  const inHeader = { in_header: true };
  it('401 for no key and for several keys (even the same value twice), 403 for an unknown credential', () => {
    const { global } = keyAuthConfig(inHeader);
    expect(keyAuth(global, req('/'))).toMatchObject({ kind: 'deny', status: 401, reason: 'no key' });
    expect(keyAuth(global, req('/', { apikey: 'c1', 'x-api-key': 'c1' }))).toMatchObject({ kind: 'deny', status: 401, reason: 'multiple keys' });
    expect(keyAuth(global, req('/', { apikey: 'nope' }))).toMatchObject({ kind: 'deny', status: 403, reason: 'unknown credential' });
    expect(keyAuth(global, req('/', { apikey: 'c1' }))).toEqual({ kind: 'allow', consumer: 'consumer1' });
  });

  it('with in_header the query is never read; with in_query only, every value of each key counts', () => {
    expect(keyAuth(keyAuthConfig({ in_header: true, in_query: true }).global, req('/?apikey=c1'))).toMatchObject({ status: 401, reason: 'no key' });
    const q = keyAuthConfig({ in_query: true }).global;
    expect(keyAuth(q, req('/?apikey=c2'))).toEqual({ kind: 'allow', consumer: 'consumer2' });
    expect(keyAuth(q, req('/?apikey=c2&apikey=c2'))).toMatchObject({ status: 401, reason: 'multiple keys' });
    expect(keyAuth(q, req('/', { apikey: 'c2' }))).toMatchObject({ status: 401, reason: 'no key' });
  });

  it('global_auth: false checks only where a rule gives allow; true checks everywhere and applies allow where given', () => {
    const rule = [{ _match_domain_: ['hello.default.example.com'], allow: ['consumer2'] }];
    const off = keyAuthConfig({ ...inHeader, global_auth: false }, rule);
    expect(keyAuth(off.global, req('/'))).toEqual({ kind: 'skip' });
    expect(keyAuth(off.rules[0]!, req('/', { apikey: 'c1' }))).toMatchObject({ status: 403, reason: 'consumer not allowed' });
    expect(keyAuth(off.rules[0]!, req('/', { apikey: 'c2' }))).toEqual({ kind: 'allow', consumer: 'consumer2' });
    const on = keyAuthConfig({ ...inHeader, global_auth: true }, rule);
    expect(keyAuth(on.global, req('/', { apikey: 'c1' }))).toEqual({ kind: 'allow', consumer: 'consumer1' });
    expect(keyAuth(on.global, req('/'))).toMatchObject({ status: 401 });
    expect(keyAuth(on.rules[0]!, req('/', { apikey: 'c1' }))).toMatchObject({ status: 403 });
  });

  it('global_auth unset: the global configuration authenticates any consumer (its ruleSet is its own, false), a rule restricts to its allow list', () => {
    const unset = keyAuthConfig(inHeader, [{ _match_domain_: ['a.example.com'], allow: ['consumer2'] }]);
    expect(keyAuth(unset.global, req('/', { apikey: 'c1' }))).toEqual({ kind: 'allow', consumer: 'consumer1' });
    expect(keyAuth(unset.rules[0]!, req('/', { apikey: 'c1' }))).toMatchObject({ status: 403 });
    expect(keyAuth(unset.rules[0]!, req('/'))).toMatchObject({ status: 401 });
  });
});

describe('rule matching (wasm-go wrapper GetMatchConfig, C++ RouteRuleMatcher)', () => {
  it('_match_domain_: *.x by suffix (not x itself), x.* by prefix, else exact; the port is ignored', () => {
    expect(domainMatches('*.example.com', 'a.example.com')).toBe(true);
    expect(domainMatches('*.example.com', 'example.com')).toBe(false);
    expect(domainMatches('hello.*', 'hello.default.example.com')).toBe(true);
    expect(domainMatches('hello.default.example.com', 'hello.default.example.com')).toBe(true);
    const p = parseWasmPlugin(wp('oci://x/key-rate-limit:1', { _rules_: [{ _match_domain_: ['hello.default.example.com'], limit_by_header: 'k', limit_keys: [{ key: 'a', query_per_second: 1 }] }] }));
    expect(matchConfig(p.rules as never, { authority: 'hello.default.example.com:80', routeNames: [], service: '' })?.id).toBe(1);
    expect(matchConfig(p.rules as never, { authority: 'other.example.com', routeNames: [], service: '' })).toBeNull();
  });

  it('the first matching rule wins; matchRules follow defaultConfig\'s _rules_ (ingress → route)', () => {
    const p = parseWasmPlugin(
      wp(
        'oci://x/key-rate-limit:1',
        { limit_by_header: 'k', limit_keys: [{ key: 'a', query_per_second: 9 }], _rules_: [{ _match_route_: ['default/hello'], limit_by_header: 'k', limit_keys: [{ key: 'a', query_per_second: 1 }] }] },
        { matchRules: [{ domain: ['*.example.com'], config: { limit_by_param: 'k', limit_keys: [{ key: 'a', query_per_day: 5 }] } }] },
      ),
    );
    const rules = p.rules as never;
    expect(matchConfig(rules, { authority: 'hello.default.example.com', routeNames: ['default/hello'], service: '' })?.id).toBe(1);
    expect(matchConfig(rules, { authority: 'x.example.com', routeNames: [], service: '' })?.id).toBe(2);
    expect(matchConfig(rules, { authority: 'x.other', routeNames: [], service: '' })?.id).toBe(0);
  });
});

describe('key-rate-limit (key_rate_limit plugin.cc, bucket.cc)', () => {
  const config = (extra: Record<string, unknown>) => {
    const p = parseWasmPlugin(wp('oci://x/key-rate-limit:1.0.0', extra));
    if (p.plugin !== 'key-rate-limit') throw new Error('wrong plugin');
    return p.rules.global!;
  };

  it.each([
    [{ limit_keys: [{ key: 'a', query_per_second: 1 }] }, "only one of 'limit_by_param' and 'limit_by_header' can be set"],
    [{ limit_by_header: 'k', limit_by_param: 'k', limit_keys: [{ key: 'a', query_per_second: 1 }] }, "only one of 'limit_by_param' and 'limit_by_header' can be set"],
    [{ limit_by_header: 'k', limit_keys: [] }, 'no limit keys found in configuration'],
    [{ limit_by_header: 'k', limit_keys: [{ key: 'a' }] }, "one of 'query_per_second', 'query_per_minute', 'query_per_hour' or 'query_per_day' must be set"],
  ])('rejects %j', (c, message) => {
    expect(() => parseWasmPlugin(wp('oci://x/key-rate-limit:1.0.0', c))).toThrow(message);
  });

  it('a fixed window of N per key, anchored at the first 500 ms tick after configuration; unlisted and absent keys pass', () => {
    const c = config({ limit_by_header: 'x-ca-key', limit_keys: [{ key: 123456, query_per_minute: 2 }] });
    const l = new KeyRateLimiter(1000);
    const at = (t: number, key?: string) => l.decide(0, c, req('/', key === undefined ? {} : { 'x-ca-key': key }), t).kind;
    // Before the first tick (1500 ms) the bucket is as initialised: full.
    expect([at(1000, '123456'), at(1400, '123456'), at(1499, '123456')]).toEqual(['allow', 'allow', 'limited']);
    // The first tick refills it; the next refill is a minute later.
    expect([at(1500, '123456'), at(2000, '123456'), at(61_499, '123456')]).toEqual(['allow', 'allow', 'limited']);
    expect([at(61_500, '123456'), at(61_501, '123456'), at(61_502, '123456')]).toEqual(['allow', 'allow', 'limited']);
    expect([at(61_502, 'other'), at(61_502)]).toEqual(['skip', 'skip']);
  });

  it('an absent key is the empty key: limited only when key "" is listed', () => {
    const c = config({ limit_by_header: 'x-ca-key', limit_keys: [{ key: '', query_per_second: 1 }] });
    const l = new KeyRateLimiter(0);
    expect([0, 1, 2].map((i) => l.decide(0, c, req('/'), 100 + i).kind)).toEqual(['allow', 'limited', 'limited']);
  });

  it('limit_by_param reads the undecoded query value; the first positive of second → minute → hour → day counts', () => {
    const c = config({ limit_by_param: 'k', limit_keys: [{ key: 'a%20b', query_per_second: 0, query_per_hour: 1, query_per_day: 7 }] });
    expect(c.limits.get('a%20b')).toEqual({ tokens: 1, window: 'hour', intervalMs: 3_600_000 });
    const l = new KeyRateLimiter(0);
    expect(l.decide(0, c, req('/?k=a%20b'), 600).kind).toBe('allow');
    expect(l.decide(0, c, req('/?k=a%20b'), 700).kind).toBe('limited');
    expect(l.decide(0, c, req('/?k=a b'), 700).kind).toBe('skip');
  });

  it('each gateway replica has its own buckets: with two replicas, up to 2N requests pass in a window', () => {
    const c = new Cluster({ seed: 3, gatewayReplicas: 2, config: { 'config-network': { 'ingress-class': 'higress' } } });
    c.apply(HELLO_KSVC);
    c.waitForReady();
    c.apply(wp('oci://x/key-rate-limit:1.0.0', { limit_by_header: 'x-ca-key', limit_keys: [{ key: 'k', query_per_minute: 2 }] }) as never);
    c.runFor(1000);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push(c.request({ url: 'http://gateway/', headers: { Host: 'hello.default.example.com', 'x-ca-key': 'k' } }).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(4);
    expect(statuses.filter((s) => s === 429)).toHaveLength(8);
  });

  it('a reconfigured plugin starts with full buckets; an unchanged one keeps them across pushes', () => {
    const c = new Cluster({ seed: 3, config: { 'config-network': { 'ingress-class': 'higress' } } });
    c.apply(HELLO_KSVC);
    c.waitForReady();
    const plugin = (n: number) => wp('oci://x/key-rate-limit:1.0.0', { limit_by_header: 'x-ca-key', limit_keys: [{ key: 'k', query_per_hour: n }] });
    c.apply(plugin(1) as never);
    c.runFor(1000);
    const send = () => c.request({ url: 'http://gateway/', headers: { Host: 'hello.default.example.com', 'x-ca-key': 'k' } }).status;
    expect([send(), send()]).toEqual([200, 429]);
    // Another object's change pushes again: this plugin's bucket is kept.
    c.apply(HELLO_KSVC.replace('value: World', 'value: Again'));
    c.waitForReady();
    expect(send()).toBe(429);
    c.apply(plugin(2) as never);
    c.runFor(1000);
    expect([send(), send(), send()]).toEqual([200, 200, 429]);
  });
});

describe('key-rate-limit laws (fast-check)', () => {
  it('in every window between refills exactly min(N, requests) pass: never more than N, never a 429 while tokens are left', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.array(fc.integer({ min: 0, max: 10_000 }), { maxLength: 60 }),
        (n, configuredAt, offsets) => {
          const c = parseWasmPlugin(wp('oci://x/key-rate-limit:1.0.0', { limit_by_header: 'k', limit_keys: [{ key: 'a', query_per_second: n }] }));
          if (c.plugin !== 'key-rate-limit') return false;
          const l = new KeyRateLimiter(configuredAt);
          const times = offsets.map((o) => configuredAt + o).sort((a, b) => a - b);
          // Windows: before the first tick, then [tick + k·1 s, tick + (k+1)·1 s).
          const windowOf = (t: number) => (t < configuredAt + 500 ? -1 : Math.floor((t - configuredAt - 500) / 1000));
          const passed = new Map<number, number>();
          const sent = new Map<number, number>();
          for (const t of times) {
            const w = windowOf(t);
            sent.set(w, (sent.get(w) ?? 0) + 1);
            if (l.decide(0, c.rules.global!, req('/', { k: 'a' }), t).kind === 'allow') passed.set(w, (passed.get(w) ?? 0) + 1);
          }
          for (const [w, s] of sent) if ((passed.get(w) ?? 0) !== Math.min(n, s)) return false;
          return true;
        },
      ),
    );
  });
});
