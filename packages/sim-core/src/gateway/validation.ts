import { FieldError, errMissingField, errInvalidValue } from '../apis/field-error.js';
import { DurationError, parseDuration } from '../engine/duration.js';
import type { Gateway, HTTPRoute, StringMatch, VirtualService } from './istio-types.js';
import { re2 } from './routes.js';

function checkStringMatch(m: StringMatch | undefined, path: string): FieldError | undefined {
  if (!m) return undefined;
  const set = ['exact', 'prefix', 'regex'].filter((k) => (m as Record<string, unknown>)[k] !== undefined);
  if (set.length > 1) return FieldError.of('only one of exact, prefix or regex may be set', [path]);
  if (m.regex !== undefined && m.regex !== '*' && re2(m.regex) === null) return errInvalidValue(m.regex, `${path}.regex`, 'not a valid regular expression');
  return undefined;
}

function checkDuration(v: string | undefined, path: string): FieldError | undefined {
  if (v === undefined) return undefined;
  try {
    if (parseDuration(v) < 0) return errInvalidValue(v, path, 'must not be negative');
  } catch (e) {
    if (e instanceof DurationError) return errInvalidValue(v, path, e.message);
    throw e;
  }
  return undefined;
}

function checkRoute(r: HTTPRoute, i: number): FieldError | undefined {
  const p = `spec.http[${i}]`;
  let errs: FieldError | undefined;
  const add = (e: FieldError | undefined) => e && (errs = errs ? errs.also(e) : e);
  const actions = ['route', 'redirect', 'directResponse', 'delegate'].filter((k) => (r as Record<string, unknown>)[k] !== undefined);
  if (actions.length !== 1) add(FieldError.of('HTTP route must have exactly one of route, redirect, direct_response or delegate', [p]));
  if (r.delegate) add(FieldError.of('delegate is not simulated by knsim', [`${p}.delegate`]));
  (r.route ?? []).forEach((d, j) => {
    if (!d.destination?.host) add(errMissingField(`${p}.route[${j}].destination.host`));
    if (d.weight !== undefined && (d.weight < 0 || !Number.isInteger(d.weight))) add(errInvalidValue(d.weight, `${p}.route[${j}].weight`, 'weight must be a whole number >= 0'));
  });
  if ((r.route?.length ?? 0) > 1 && (r.route ?? []).reduce((s, d) => s + (d.weight ?? 0), 0) === 0) {
    add(FieldError.of('total destination weight = 0', [`${p}.route`]));
  }
  (r.match ?? []).forEach((m, j) => {
    for (const k of ['uri', 'scheme', 'method', 'authority'] as const) add(checkStringMatch(m[k], `${p}.match[${j}].${k}`));
    for (const [hk, hv] of Object.entries(m.headers ?? {})) add(checkStringMatch(hv, `${p}.match[${j}].headers.${hk}`));
    for (const [qk, qv] of Object.entries(m.queryParams ?? {})) add(checkStringMatch(qv, `${p}.match[${j}].queryParams.${qk}`));
  });
  add(checkDuration(r.timeout, `${p}.timeout`));
  add(checkDuration(r.retries?.perTryTimeout, `${p}.retries.perTryTimeout`));
  if (r.retries?.attempts !== undefined && r.retries.attempts < 0) add(errInvalidValue(r.retries.attempts, `${p}.retries.attempts`, 'attempts cannot be negative'));
  for (const k of ['delay', 'abort'] as const) {
    const v = r.fault?.[k]?.percentage?.value;
    if (v !== undefined && (v < 0 || v > 100)) add(errInvalidValue(v, `${p}.fault.${k}.percentage.value`, 'percentage must be in the range [0, 100]'));
  }
  add(checkDuration(r.fault?.delay?.fixedDelay, `${p}.fault.delay.fixedDelay`));
  if (r.rewrite?.uriRegexRewrite && re2(r.rewrite.uriRegexRewrite.match) === null) add(errInvalidValue(r.rewrite.uriRegexRewrite.match, `${p}.rewrite.uriRegexRewrite.match`, 'not a valid regular expression'));
  return errs;
}

/** The VirtualService mistakes Istio's validating webhook rejects that matter for routing. */
export function validateVirtualService(vs: VirtualService): FieldError | undefined {
  let errs: FieldError | undefined;
  const add = (e: FieldError | undefined) => e && (errs = errs ? errs.also(e) : e);
  if (!vs.spec || (vs.spec.hosts ?? []).length === 0) add(FieldError.of('virtual service must have at least one host', ['spec.hosts']));
  (vs.spec?.http ?? []).forEach((r, i) => add(checkRoute(r, i)));
  return errs;
}

export function validateGateway(gw: Gateway): FieldError | undefined {
  let errs: FieldError | undefined;
  const add = (e: FieldError | undefined) => e && (errs = errs ? errs.also(e) : e);
  if ((gw.spec?.servers ?? []).length === 0) add(FieldError.of('gateway must have at least one server', ['spec.servers']));
  (gw.spec?.servers ?? []).forEach((s, i) => {
    if (!s.port?.number) add(errMissingField(`spec.servers[${i}].port.number`));
    if ((s.hosts ?? []).length === 0) add(FieldError.of('server config must contain at least one host', [`spec.servers[${i}].hosts`]));
  });
  return errs;
}
