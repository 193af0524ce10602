import type { KeyAuthConfig } from '../../apis/higress/plugin-config.js';
import { parseQuery, type HttpRequest } from '../http.js';

/**
 * key-auth's decision for one request (alibaba/higress plugins/wasm-go/extensions/key-auth/
 * main.go onHttpRequestHeaders): whether authentication applies here (global_auth, the rule's
 * `allow`, ruleSet), the keys found in the headers or else the query, and the consumer they
 * name. Denials carry `WWW-Authenticate: Key realm=MSE Gateway`; success appends
 * `X-Mse-Consumer`.
 */
export type KeyAuthDecision =
  | { kind: 'skip' }
  | { kind: 'allow'; consumer: string }
  | { kind: 'deny'; status: 401 | 403; body: string; reason: 'multiple keys' | 'no key' | 'unknown credential' | 'consumer not allowed' };

export const KEY_AUTH_BODY = {
  multi: 'Request denied by Key Auth check. Muti Key Authentication information found.',
  none: 'Request denied by Key Auth check. No Key Authentication information found.',
  unauthorized: 'Request denied by Key Auth check. Unauthorized consumer.',
} as const;

export const KEY_AUTH_REALM = 'Key realm=MSE Gateway';

export function keyAuth(config: KeyAuthConfig, req: HttpRequest): KeyAuthDecision {
  const noAllow = config.allow.length === 0;
  const globalAuthNoSet = config.globalAuth === undefined;
  const globalAuthSetTrue = config.globalAuth === true;
  const globalAuthSetFalse = config.globalAuth === false;
  if ((globalAuthSetFalse || (globalAuthNoSet && config.ruleSet)) && noAllow) return { kind: 'skip' };

  const tokens: string[] = [];
  if (config.inHeader) {
    for (const key of config.keys) {
      const v = req.headers.getLower(key.toLowerCase());
      if (v !== undefined && v !== '') tokens.push(v);
    }
  } else if (config.inQuery) {
    const q = req.path.indexOf('?');
    // Go's url.Query(): every value of each key, decoded.
    const params = q < 0 ? [] : parseQuery(req.path.slice(q + 1));
    for (const key of config.keys) for (const p of params) if (p.key === key) tokens.push(p.value);
  }
  if (tokens.length > 1) return { kind: 'deny', status: 401, body: KEY_AUTH_BODY.multi, reason: 'multiple keys' };
  if (tokens.length === 0) return { kind: 'deny', status: 401, body: KEY_AUTH_BODY.none, reason: 'no key' };
  const name = config.credentials.get(tokens[0]!);
  if (name === undefined) return { kind: 'deny', status: 403, body: KEY_AUTH_BODY.unauthorized, reason: 'unknown credential' };
  if ((globalAuthSetTrue && noAllow) || (globalAuthNoSet && !config.ruleSet)) return { kind: 'allow', consumer: name };
  if (!noAllow && !config.allow.includes(name)) return { kind: 'deny', status: 403, body: KEY_AUTH_BODY.unauthorized, reason: 'consumer not allowed' };
  if (!noAllow) return { kind: 'allow', consumer: name };
  return { kind: 'skip' };
}
