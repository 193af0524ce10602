import { parseWasmPlugin, type ParsedPlugin } from '../../apis/higress/plugin-config.js';
import type { WasmPlugin } from '../../apis/higress/v1alpha1.js';
import type { HttpRequest } from '../http.js';
import { keyAuth, KEY_AUTH_REALM } from './key-auth.js';
import { KeyRateLimiter, RATE_LIMITED_BODY } from './key-rate-limit.js';
import { matchConfig, type PluginMatchInput } from './match.js';

/**
 * Higress's WasmPlugins as one gateway runs them: in phase order (AUTHN, AUTHZ, STATS, then the
 * unspecified phase, just before the router: Istio's WasmPlugin phases as Higress inserts
 * them), higher priority first within a phase, ties by namespace/name. A plugin without
 * `phase`/`priority` takes the one its own spec declares (key-auth: AUTHN, 321, main.go's
 * @Phase/@Priority; key-rate-limit: unspecified, 10), so authentication runs before rate
 * limiting: a request key-auth denies takes no rate-limit token.
 */
export interface CompiledPlugin {
  /** `namespace/name` of the WasmPlugin. */
  readonly ref: string;
  /** Changes when the object changes: the plugin is reconfigured (its state starts afresh). */
  readonly uid: string;
  readonly phase: string;
  readonly priority: number;
  readonly parsed: ParsedPlugin;
}

const PHASE_ORDER: Record<string, number> = { AUTHN: 0, AUTHZ: 1, STATS: 2, UNSPECIFIED_PHASE: 3 };
const PLUGIN_DEFAULTS: Record<ParsedPlugin['plugin'], { phase: string; priority: number }> = {
  'key-auth': { phase: 'AUTHN', priority: 321 },
  'key-rate-limit': { phase: 'UNSPECIFIED_PHASE', priority: 10 },
};

export function compilePlugins(wps: readonly WasmPlugin[]): CompiledPlugin[] {
  const out: CompiledPlugin[] = [];
  for (const wp of wps) {
    let parsed: ParsedPlugin;
    try {
      parsed = parseWasmPlugin(wp);
    } catch {
      continue; // admission rejects these; one stored before a stricter check is not run.
    }
    const d = PLUGIN_DEFAULTS[parsed.plugin];
    const ref = `${wp.metadata.namespace ?? 'default'}/${wp.metadata.name}`;
    out.push({ ref, uid: `${ref}@${wp.metadata.uid ?? ''}/${wp.metadata.generation ?? 1}`, phase: wp.spec.phase ?? d.phase, priority: wp.spec.priority ?? d.priority, parsed });
  }
  return out.sort((a, b) => PHASE_ORDER[a.phase]! - PHASE_ORDER[b.phase]! || b.priority - a.priority || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
}

/** One plugin's verdict on one request, as traces and summaries count it. */
export interface PluginVerdict {
  plugin: string;
  ref: string;
  /** `allow`, `skip`, `deny 401`, `deny 403`, `limited 429`, … */
  decision: string;
  detail: string;
}

export interface PluginChainResult {
  verdicts: PluginVerdict[];
  /** A plugin's own reply (SendHttpResponse): the request goes no further. */
  reply: { status: number; body: string; headers: Record<string, string> } | null;
  /** Request headers the plugins added (key-auth's X-Mse-Consumer). */
  addHeaders: Array<[string, string]>;
}

/** One Envoy's plugin state: key-rate-limit's buckets per configured plugin. */
export class PluginState {
  private limiters = new Map<string, KeyRateLimiter>();

  /** A push: plugins that are new or changed start afresh at `nowMs`; the others keep their state. */
  configure(chain: readonly CompiledPlugin[], nowMs: number): void {
    const next = new Map<string, KeyRateLimiter>();
    for (const p of chain) if (p.parsed.plugin === 'key-rate-limit') next.set(p.uid, this.limiters.get(p.uid) ?? new KeyRateLimiter(nowMs));
    this.limiters = next;
  }

  run(chain: readonly CompiledPlugin[], input: PluginMatchInput, req: HttpRequest, nowMs: number): PluginChainResult {
    const verdicts: PluginVerdict[] = [];
    const addHeaders: Array<[string, string]> = [];
    for (const p of chain) {
      const parsed = p.parsed;
      if (parsed.plugin === 'key-auth') {
        const m = matchConfig(parsed.rules, input);
        if (m === null) continue;
        const d = keyAuth(m.config, req);
        if (d.kind === 'deny') {
          verdicts.push({ plugin: parsed.plugin, ref: p.ref, decision: `deny ${d.status}`, detail: d.reason });
          return { verdicts, reply: { status: d.status, body: d.body, headers: { 'www-authenticate': KEY_AUTH_REALM } }, addHeaders };
        }
        if (d.kind === 'allow') addHeaders.push(['X-Mse-Consumer', d.consumer]);
        verdicts.push({ plugin: parsed.plugin, ref: p.ref, decision: d.kind, detail: d.kind === 'allow' ? `consumer ${d.consumer}` : 'not required here' });
      } else {
        const m = matchConfig(parsed.rules, input);
        if (m === null) continue;
        const limiter = this.limiters.get(p.uid);
        if (limiter === undefined) continue;
        const d = limiter.decide(m.id, m.config, req, nowMs);
        if (d.kind === 'limited') {
          verdicts.push({ plugin: parsed.plugin, ref: p.ref, decision: 'limited 429', detail: `key ${d.key}` });
          return { verdicts, reply: { status: 429, body: RATE_LIMITED_BODY, headers: {} }, addHeaders };
        }
        verdicts.push({ plugin: parsed.plugin, ref: p.ref, decision: d.kind, detail: d.kind === 'allow' ? `key ${d.key}, ${d.left} left` : d.reason });
      }
    }
    return { verdicts, reply: null, addHeaders };
  }
}
