import { parseDuration } from '../../engine/duration.js';
import { FieldError } from '../field-error.js';
import { isDNS1123Label } from '../k8s-validation.js';
import { compileRe2 } from './re2.js';
import type { Destination, Gateway, HTTPRoute, Percent, StringMatch, VirtualService } from './v1alpha3.js';

/**
 * The subset of istiod's validating webhook (istio/istio pkg/config/validation/validation.go)
 * that changes what a simulated request would do. Messages are Istio's own; the field path is
 * added so knsim can point at the line (Istio's webhook joins the messages without paths).
 */

const RE2_HINT = '; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)';

// validation.go supportedRetryOnPolicies
const SUPPORTED_RETRY_ON = new Set([
  '5xx',
  'gateway-error',
  'reset',
  'connect-failure',
  'retriable-4xx',
  'refused-stream',
  'retriable-status-codes',
  'retriable-headers',
  'envoy-ratelimited',
  'cancelled',
  'deadline-exceeded',
  'internal',
  'resource-exhausted',
  'unavailable',
  'reset-before-request',
  'http3-post-connect-failure',
]);

// The HTTP status codes Go's http.StatusText knows (a numeric retryOn entry must be one).
const KNOWN_STATUS = new Set([
  100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308, 400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412,
  413, 414, 415, 416, 417, 418, 421, 422, 423, 424, 425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
]);

const err = (message: string, path: string) => FieldError.of(message, [path]);
const warn = (message: string, path: string) => FieldError.of(message, [path], '', 'warning');

/** Go's %v for a float64 (shortest representation, like JavaScript's). */
const goFloat = (v: number) => String(v);

function validateStringMatch(sm: StringMatch | undefined, where: string, path: string): FieldError | undefined {
  if (sm === undefined) return undefined;
  const set = (['exact', 'prefix', 'regex'] as const).filter((k) => sm[k] !== undefined);
  // A StringMatch is a proto oneof: two of them cannot be expressed.
  if (set.length > 1) return err(`${JSON.stringify(where)}: only one of exact, prefix or regex may be set`, path);
  if (sm.prefix !== undefined && sm.prefix === '') return err(`${JSON.stringify(where)}: prefix string match should not be empty`, path);
  if (sm.regex === undefined) return undefined;
  if (sm.regex === '') return err(`${JSON.stringify(where)}: regex string match should not be empty`, path);
  return validateRegexp(sm.regex, where, path);
}

function validateRegexp(re: string, where: string, path: string): FieldError | undefined {
  if (re.length > 1024) return err(`${JSON.stringify(where)}: regex is too large, max length allowed is 1024`, path);
  const r = compileRe2(re);
  return r.ok ? undefined : err(`${JSON.stringify(where)}: ${r.error}${RE2_HINT}`, path);
}

function validatePercentage(p: Percent | undefined, path: string): FieldError | undefined {
  const v = p?.value;
  if (v === undefined) return undefined;
  if (v < 0 || v > 100 || (v > 0 && v < 0.0001)) return err(`percentage ${goFloat(v)} is neither 0.0, nor in range [0.0001, 100.0]`, path);
  return undefined;
}

const validateHTTPStatus = (status: number, path: string) =>
  status < 200 || status > 600 ? err(`HTTP status ${status} is not in range 200-599`, path) : undefined;

function validateDuration(d: string | undefined, path: string): FieldError | undefined {
  if (d === undefined) return undefined;
  try {
    const ms = parseDuration(d);
    // agent.ValidateDuration: protobuf durations must be at least 1ms.
    if (ms < 1) return err('duration must be greater than 1ms', path);
  } catch (e) {
    return err((e as Error).message, path);
  }
  return undefined;
}

/** agent.ValidateWildcardDomain, reduced to the checks a hand-written manifest trips over. */
function validateWildcardDomain(host: string, path: string): FieldError | undefined {
  if (host.length === 0) return err('empty domain name not allowed', path);
  if (host.length > 255) return err(`domain name ${JSON.stringify(host)} too long (max 255)`, path);
  const labels = (host.startsWith('*') ? host.slice(host.startsWith('*.') ? 2 : 1) : host).split('.');
  if (host !== '*' && labels.some((l) => !/^[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$/.test(l))) {
    return err(`domain name ${JSON.stringify(host)} invalid (label must be a DNS-1123 label)`, path);
  }
  return undefined;
}

function validateDestination(d: Destination | undefined, path: string): FieldError | undefined {
  if (d === undefined) return undefined;
  if (d.host === '*') return err(`invalid destination host ${d.host}`, `${path}.host`);
  const errs = [validateWildcardDomain(d.host ?? '', `${path}.host`)];
  if (d.subset !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(d.subset)) errs.push(err(`subset name is invalid: ${d.subset}`, `${path}.subset`));
  if (d.port !== undefined && !(d.port.number >= 1 && d.port.number <= 65535)) errs.push(err(`port number ${d.port.number} must be in the range 1..65535`, `${path}.port.number`));
  return FieldError.all(...errs);
}

function validateGatewayNames(names: readonly string[] | undefined, path: string): FieldError | undefined {
  const errs: Array<FieldError | undefined> = [];
  (names ?? []).forEach((g, i) => {
    const p = `${path}[${i}]`;
    const slash = g.indexOf('/');
    if (slash < 0) {
      if (g.includes('.')) {
        const parts = g.split('.');
        errs.push(warn(`using legacy gatewayName format ${JSON.stringify(g)}; prefer the <namespace>/<name> format: ${JSON.stringify(`${parts[1]}/${parts[0]}`)}`, p));
      }
      return;
    }
    const ns = g.slice(0, slash);
    const name = g.slice(slash + 1);
    if (ns === '' || name === '') errs.push(err('config namespace and gateway name cannot be empty', p));
    if (isDNS1123Label(ns).length > 0) errs.push(err(`invalid value for namespace: ${JSON.stringify(ns)}`, p));
    if (isDNS1123Label(name).length > 0) errs.push(err(`invalid value for gateway name: ${JSON.stringify(name)}`, p));
  });
  return FieldError.all(...errs);
}

function validateHTTPRoute(http: HTTPRoute, path: string): FieldError | undefined {
  const errs: Array<FieldError | undefined> = [];
  const e = (m: string, p = path) => errs.push(err(m, p));
  const hasRoute = (http.route?.length ?? 0) > 0;
  // validateHTTPRouteConflict: exactly one action.
  if (http.delegate === undefined) {
    if (http.redirect !== undefined) {
      if (hasRoute) e('HTTP route cannot contain both route and redirect');
      if (http.fault !== undefined) e('HTTP route cannot contain both fault and redirect');
      if (http.rewrite !== undefined) e('HTTP route rule cannot contain both rewrite and redirect');
      if (http.directResponse !== undefined) e('HTTP route rule cannot contain both direct_response and redirect');
    } else if (http.directResponse !== undefined) {
      if (hasRoute) e('HTTP route cannot contain both route and direct_response');
      if (http.fault !== undefined) e('HTTP route cannot contain both fault and direct_response');
      if (http.rewrite !== undefined) e('HTTP route rule cannot contain both rewrite and direct_response');
    } else if (!hasRoute) {
      e('HTTP route, redirect or direct_response is required');
    }
  }
  if (http.mirror !== undefined && (http.mirrors?.length ?? 0) > 0) e('HTTP route cannot contain both mirror and mirrors');

  (http.match ?? []).forEach((m, i) => {
    const mp = `${path}.match[${i}]`;
    for (const [k, sm] of Object.entries(m.headers ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (k === '') e('header name cannot be empty', `${mp}.headers`);
      errs.push(validateStringMatch(sm, 'headers', `${mp}.headers.${k}`));
    }
    for (const [k, sm] of Object.entries(m.withoutHeaders ?? {})) errs.push(validateStringMatch(sm, 'withoutHeaders', `${mp}.withoutHeaders.${k}`));
    for (const [k, sm] of Object.entries(m.queryParams ?? {})) errs.push(validateStringMatch(sm, 'queryParams', `${mp}.queryParams.${k}`));
    for (const f of ['uri', 'scheme', 'method', 'authority'] as const) errs.push(validateStringMatch(m[f], f, `${mp}.${f}`));
    if (m.port !== undefined && m.port !== 0 && !(m.port >= 1 && m.port <= 65535)) e(`port number ${m.port} must be in the range 1..65535`, `${mp}.port`);
    errs.push(validateGatewayNames(m.gateways, `${mp}.gateways`));
  });

  const f = http.fault;
  if (f !== undefined) {
    if (f.abort === undefined && f.delay === undefined) e('HTTP fault injection must have an abort and/or a delay', `${path}.fault`);
    if (f.abort !== undefined) {
      errs.push(validatePercentage(f.abort.percentage, `${path}.fault.abort.percentage.value`));
      if (f.abort.httpStatus !== undefined) errs.push(validateHTTPStatus(f.abort.httpStatus, `${path}.fault.abort.httpStatus`));
      else if (f.abort.http2Error !== undefined) e('HTTP/2 abort fault injection not supported yet', `${path}.fault.abort`);
      else if (f.abort.grpcStatus === undefined) errs.push(warn('abort configured, but error type not set', `${path}.fault.abort`));
    }
    if (f.delay !== undefined) {
      errs.push(validatePercentage(f.delay.percentage, `${path}.fault.delay.percentage.value`));
      errs.push(validateDuration(f.delay.fixedDelay, `${path}.fault.delay.fixedDelay`));
    }
  }

  const mp = http.mirrorPercentage?.value;
  if (mp !== undefined && mp > 100) e(`mirror_percentage must have a max value of 100 (it has ${mp.toFixed(6)})`, `${path}.mirrorPercentage.value`);
  errs.push(validateDestination(http.mirror, `${path}.mirror`));
  (http.mirrors ?? []).forEach((m, i) => {
    errs.push(validateDestination(m.destination, `${path}.mirrors[${i}].destination`));
    const v = m.percentage?.value;
    if (v !== undefined && v > 100) e(`mirror percentage must have a max value of 100 (it has ${v.toFixed(6)})`, `${path}.mirrors[${i}].percentage.value`);
    if (v !== undefined && v < 0) e(`mirror percentage must have a min value of 0 (it has ${v.toFixed(6)})`, `${path}.mirrors[${i}].percentage.value`);
  });

  const rd = http.redirect;
  if (rd !== undefined) {
    if (!rd.uri && !rd.authority && rd.port === undefined && rd.derivePort === undefined && !rd.scheme) e('redirect must specify URI, authority, scheme, or port', `${path}.redirect`);
    else if (rd.redirectCode !== undefined && rd.redirectCode !== 0 && (rd.redirectCode < 300 || rd.redirectCode > 399)) {
      e(`${rd.redirectCode} is not a valid redirect code, must be 3xx`, `${path}.redirect.redirectCode`);
    } else if (rd.scheme && rd.scheme !== 'http' && rd.scheme !== 'https') e('invalid redirect scheme, must be "http" or "https"', `${path}.redirect.scheme`);
  }
  if (http.directResponse !== undefined) errs.push(validateHTTPStatus(http.directResponse.status, `${path}.directResponse.status`));

  const rt = http.retries;
  if (rt !== undefined) {
    const attempts = rt.attempts ?? 0;
    if (attempts < 0) e('attempts cannot be negative', `${path}.retries.attempts`);
    if (attempts === 0 && (rt.perTryTimeout !== undefined || (rt.retryOn ?? '') !== '' || rt.retryRemoteLocalities !== undefined)) {
      e('http retry policy configured when attempts are set to 0 (disabled)', `${path}.retries`);
    }
    errs.push(validateDuration(rt.perTryTimeout, `${path}.retries.perTryTimeout`));
    if (rt.retryOn) {
      for (const policy of rt.retryOn.split(',')) {
        const asNum = /^[+-]?\d+$/.test(policy) ? Number(policy) : 0;
        if (!KNOWN_STATUS.has(asNum) && !SUPPORTED_RETRY_ON.has(policy)) e(`${JSON.stringify(policy)} is not a valid retryOn policy`, `${path}.retries.retryOn`);
      }
    }
    errs.push(validateDuration(rt.backoff, `${path}.retries.backoff`));
  }

  const rw = http.rewrite;
  if (rw !== undefined) {
    if (rw.uri && rw.uriRegexRewrite) e('rewrite may only contain one of URI or UriRegexRewrite', `${path}.rewrite`);
    else if (!rw.uri && !rw.uriRegexRewrite && !rw.authority) {
      e('rewrite must specify at least one of URI, UriRegexRewrite, or authority. Only one of URI or UriRegexRewrite may be specified', `${path}.rewrite`);
    } else if (rw.uriRegexRewrite) {
      const rr = rw.uriRegexRewrite;
      if (!rr.match || !rr.rewrite) e('UriRegexRewrite has errors\nUriRegexRewrite requires both Rewrite and Match fields to be specified', `${path}.rewrite.uriRegexRewrite`);
      else {
        const re = validateRegexp(rr.match, 'HTTPRewrite.UriRegexRewrite.Match', `${path}.rewrite.uriRegexRewrite.match`);
        if (re) e(`UriRegexRewrite has errors\n${re.merged()[0]!.message}`, `${path}.rewrite.uriRegexRewrite.match`);
      }
    }
  }

  // validateHTTPRouteDestinations: current Istio treats weights as relative and only rejects a
  // zero total across several destinations (older releases required a total of 100).
  let total = 0;
  (http.route ?? []).forEach((d, i) => {
    const dp = `${path}.route[${i}]`;
    if (d.destination === undefined) e('destination is required', `${dp}.destination`);
    else errs.push(validateDestination(d.destination, `${dp}.destination`));
    const w = d.weight ?? 0;
    if (w < 0) e(`weight ${w} < 0`, `${dp}.weight`);
    total += w;
  });
  if ((http.route?.length ?? 0) > 1 && total === 0) e('total destination weight = 0', `${path}.route`);

  errs.push(validateDuration(http.timeout, `${path}.timeout`));
  return FieldError.all(...errs);
}

/** istiod's ValidateVirtualService for the HTTP part. */
export function validateVirtualService(vs: VirtualService): FieldError | undefined {
  const spec = vs.spec ?? {};
  const errs: Array<FieldError | undefined> = [];
  const hosts = spec.hosts ?? [];
  const gateways = spec.gateways ?? [];
  if (hosts.length === 0) errs.push(err('virtual service must have at least one host', 'spec.hosts'));
  errs.push(validateGatewayNames(gateways, 'spec.gateways'));
  const appliesToMesh = gateways.length === 0 || gateways.includes('mesh');
  hosts.forEach((h, i) => {
    const p = `spec.hosts[${i}]`;
    if (/^\d+\.\d+\.\d+\.\d+$/.test(h)) return;
    const e = validateWildcardDomain(h, p);
    if (e) errs.push(e);
    else if (appliesToMesh && h === '*') errs.push(err('wildcard host * is not allowed for virtual services bound to the mesh gateway', p));
  });
  const http = spec.http ?? [];
  if (http.length === 0 && (spec.tcp?.length ?? 0) === 0 && (spec.tls?.length ?? 0) === 0) {
    errs.push(err('http, tcp or tls must be provided in virtual service', 'spec'));
  }
  http.forEach((r, i) => {
    if (r.delegate !== undefined && !gateways.some((g) => g !== 'mesh')) errs.push(err('http delegate only applies to gateway', `spec.http[${i}].delegate`));
    errs.push(validateHTTPRoute(r, `spec.http[${i}]`));
  });
  return FieldError.all(...errs);
}

const PROTOCOLS = new Set(['HTTP', 'HTTPS', 'HTTP2', 'GRPC', 'GRPC-WEB', 'MONGO', 'REDIS', 'MYSQL', 'TCP', 'TLS', 'UDP', 'HBONE']);

/** istiod's ValidateGateway, minus TLS certificate checks. */
export function validateGateway(gw: Gateway): FieldError | undefined {
  const errs: Array<FieldError | undefined> = [];
  if (isDNS1123Label(gw.metadata.name).length > 0) errs.push(err(`invalid gateway name: ${JSON.stringify(gw.metadata.name)}`, 'metadata.name'));
  const servers = gw.spec?.servers ?? [];
  if (servers.length === 0) errs.push(err('gateway must have at least one server', 'spec.servers'));
  const portNames = new Set<string>();
  servers.forEach((s, i) => {
    const p = `spec.servers[${i}]`;
    if ((s.hosts ?? []).length === 0) errs.push(err('server config must contain at least one host', `${p}.hosts`));
    if (s.port === undefined) {
      errs.push(err('port is required', `${p}.port`));
      return;
    }
    const proto = (s.port.protocol ?? '').toUpperCase();
    if (!PROTOCOLS.has(proto)) {
      errs.push(err(`invalid protocol ${JSON.stringify(s.port.protocol ?? '')}, supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP`, `${p}.port.protocol`));
    }
    if (!(s.port.number >= 1 && s.port.number <= 65535)) errs.push(err(`port number ${s.port.number} must be in the range 1..65535`, `${p}.port.number`));
    if (s.port.targetPort !== undefined && s.port.targetPort > 0) errs.push(err('targetPort has no impact on Gateways', `${p}.port.targetPort`));
    const name = s.port.name ?? '';
    if (portNames.has(name)) errs.push(err(`port names in servers must be unique: duplicate name ${name}`, `${p}.port.name`));
    portNames.add(name);
    if (s.tls?.httpsRedirect && !['HTTP', 'HTTP2', 'GRPC', 'GRPC-WEB'].includes(proto)) errs.push(warn('tls.httpsRedirect should only be used with http servers', `${p}.tls.httpsRedirect`));
  });
  return FieldError.all(...errs);
}
