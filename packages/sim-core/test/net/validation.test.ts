import { describe, expect, it } from 'vitest';
import { compileRe2 } from '../../src/apis/istio/re2.js';
import { validateGateway, validateVirtualService } from '../../src/apis/istio/validation.js';
import { entryRoute, ingressGateway, vs } from './fixtures.js';

describe('RE2 (re2js, linear time)', () => {
  const ok = (p: string, v: string) => {
    const r = compileRe2(p);
    if (!r.ok) throw new Error(r.error);
    return r.regex.fullMatch(v);
  };
  it('anchors the whole value and supports (?i), (?P<name>), \\z, POSIX classes', () => {
    expect(ok('abc', 'xabc')).toBe(false);
    expect(ok('(?i)abc', 'ABC')).toBe(true);
    expect(ok('(?P<v>[0-9]+)\\z', '42')).toBe(true);
    expect(ok('[[:digit:]]+', '123')).toBe(true);
    expect(ok('a|b', 'b')).toBe(true);
  });
  it('evaluates a catastrophic-backtracking pattern against a long value in linear time (issue 13: RE2, not a backtracking JS regex)', () => {
    // JavaScript's backtracking engine takes exponential time on (a+)+$ against a^n b: at n = 30
    // it already runs for seconds, at n = 100000 it would never finish. RE2 runs an automaton.
    const r = compileRe2('(a+)+$');
    if (!r.ok) throw new Error(r.error);
    const hostile = `${'a'.repeat(100_000)}b`;
    const started = process.hrtime.bigint();
    expect(r.regex.fullMatch(hostile)).toBe(false);
    expect(r.regex.fullMatch('a'.repeat(100_000))).toBe(true);
    // A bound no run can flake on: the linear engine takes milliseconds; a backtracking one years.
    expect(Number(process.hrtime.bigint() - started) / 1e9).toBeLessThan(20);
  });
  it('follows RE2 semantics where JavaScript differs: alternation under a full match, Unicode classes, (?U)', () => {
    // RE2's FullMatch tries every alternative against the whole value; `^(?:a|ab)$` does too.
    expect(ok('a|ab', 'ab')).toBe(true);
    // \pL and (?U) are RE2 syntax the old translation rejected.
    expect(ok('\\pL+', 'héllo')).toBe(true);
    expect(ok('(?U)a+b', 'aab')).toBe(true);
    // `$` in RE2 (without (?m)) is end of text only.
    expect(ok('a$', 'a')).toBe(true);
  });
  it('rewrites with RE2 GlobalReplace and \\N substitutions (regex_rewrite)', () => {
    const r = compileRe2('^/service/([^/]+)(/.*)$');
    if (!r.ok) throw new Error(r.error);
    expect(r.regex.replaceAll('/service/foo/v1/api', '\\2/instance/\\1')).toBe('/v1/api/instance/foo');
    expect(r.regex.replaceAll('/service/a/b', '$\\1')).toBe('$a');
  });
  it.each([
    ['(abc', 'error parsing regexp: missing closing ): `(abc`'],
    ['abc)', 'error parsing regexp: unexpected ): `abc)`'],
    ['*a', 'error parsing regexp: missing argument to repetition operator: `*`'],
    ['a**', 'error parsing regexp: invalid nested repetition operator: `**`'],
    ['(?=x)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`'],
    ['(a)\\1', 'error parsing regexp: invalid escape sequence: `\\1`'],
    ['[a', 'error parsing regexp: missing closing ]: `[a`'],
  ])('rejects %s like Go', (p, msg) => {
    expect(compileRe2(p)).toEqual({ ok: false, error: msg });
  });
});

describe('validateVirtualService', () => {
  it('accepts the seed\'s routing.yaml (the legacy gateway name only warns)', () => {
    const e = validateVirtualService(entryRoute());
    expect(e?.hasErrors ?? false).toBe(false);
    expect(e?.filter('warning')?.toString()).toContain('using legacy gatewayName format');
  });

  it.each([
    [{ hosts: ['a.example.com'], http: [{}] }, 'HTTP route, redirect or direct_response is required: spec.http[0]'],
    [{ hosts: ['a.example.com'], http: [{ route: [{ destination: { host: 'x' } }], redirect: { uri: '/' } }] }, 'HTTP route cannot contain both route and redirect: spec.http[0]'],
    [{ hosts: ['a.example.com'], http: [{ route: [{ destination: { host: 'x' } }], directResponse: { status: 200 } }] }, 'HTTP route cannot contain both route and direct_response: spec.http[0]'],
    [{ hosts: ['a.example.com'], http: [{ route: [{ destination: { host: '' } }] }] }, 'empty domain name not allowed: spec.http[0].route[0].destination.host'],
    [{ hosts: ['a.example.com'], http: [{ route: [{ destination: { host: 'a' }, weight: 0 }, { destination: { host: 'b' }, weight: 0 }] }] }, 'total destination weight = 0: spec.http[0].route'],
    [{ hosts: ['a.example.com'], http: [{ route: [{ destination: { host: 'a' }, weight: -1 }] }] }, 'weight -1 < 0: spec.http[0].route[0].weight'],
    [{ hosts: ['a.example.com'], http: [{ match: [{ uri: { regex: '(x' } }], route: [{ destination: { host: 'a' } }] }] }, '"uri": error parsing regexp: missing closing ): `(x`; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax): spec.http[0].match[0].uri'],
    [{ hosts: ['a.example.com'], http: [{ fault: { abort: { httpStatus: 503, percentage: { value: 150 } } }, route: [{ destination: { host: 'a' } }] }] }, 'percentage 150 is neither 0.0, nor in range [0.0001, 100.0]: spec.http[0].fault.abort.percentage.value'],
    [{ hosts: [], http: [{ route: [{ destination: { host: 'a' } }] }] }, 'virtual service must have at least one host: spec.hosts'],
  ])('rejects %j', (spec, msg) => {
    expect(validateVirtualService(vs('v', spec as never))?.filter('error')?.toString()).toBe(msg);
  });

  it('accepts relative weights that do not total 100 (current Istio)', () => {
    expect(validateVirtualService(vs('v', { hosts: ['a.example.com'], http: [{ route: [{ destination: { host: 'a' }, weight: 1 }, { destination: { host: 'b' }, weight: 2 }] }] }))).toBeUndefined();
  });
});

describe('validateGateway', () => {
  it('accepts the Knative ingress gateway and rejects a server without hosts', () => {
    expect(validateGateway(ingressGateway)).toBeUndefined();
    const bad = { ...ingressGateway, spec: { selector: {}, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: [] }] } };
    expect(validateGateway(bad)?.toString()).toBe('server config must contain at least one host: spec.servers[0].hosts');
  });
});
