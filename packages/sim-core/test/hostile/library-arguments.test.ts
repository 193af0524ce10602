import { describe, expect, it } from 'vitest';
import { ApplyError, Autoscaler, Cluster, NotFoundError, UserInputError, type AutoscalerSpec } from '../../src/index.js';

/**
 * Issue 15, the library: bad arguments raise knsim's UserInputError (the CLI's exit 2) with a
 * message, never a raw TypeError or RangeError, and never hang.
 */
const SPEC: AutoscalerSpec = {
  targetValue: 7,
  totalValue: 10,
  targetBurstCapacity: 211,
  panicThreshold: 2,
  maxScaleUpRate: 1000,
  maxScaleDownRate: 2,
  stableWindowMs: 60_000,
  scaleDownDelayMs: 0,
  activationScale: 0,
  reachable: true,
  scalingMetric: 'concurrency',
};

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('library arguments (issue 15)', () => {
  it('runFor(Infinity), runFor(NaN), runFor(-1) and runUntil beyond 104 days are refused, not run forever', () => {
    const c = new Cluster({ seed: 1 });
    for (const ms of [Infinity, NaN, -1]) expect(thrown(() => c.runFor(ms))).toBeInstanceOf(UserInputError);
    expect(thrown(() => c.runUntil(1e12))).toBeInstanceOf(UserInputError);
    expect(c.now).toBe(0);
  });

  it('apply of a Knative object without spec is the webhook\'s refusal (Go decodes it as an empty spec)', () => {
    const c = new Cluster({ seed: 1 });
    const e = thrown(() => c.apply({ apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'x' } }));
    expect(e).toBeInstanceOf(ApplyError);
    expect((e as Error).message).toContain('missing field(s): spec.template.spec.containers');
    expect(thrown(() => c.apply('apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: n}\nspec: {template: null}\n'))).toBeInstanceOf(ApplyError);
    expect((thrown(() => c.apply('apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: n}\nspec: {template: {spec: {containers: [null]}}}\n')) as Error).message).toMatch(
      /ValidationError\(Service\.spec\.template\.spec\.containers\[0\]\): .* got "null", expected "map"/,
    );
  });

  it('seeds above 2^53 (which collapse onto their neighbours) and huge replica counts are refused', () => {
    expect((thrown(() => new Cluster({ seed: 2 ** 53 + 2 })) as Error).message).toMatch(/seed must be a whole number of at most 2\^53-1/);
    expect(thrown(() => new Cluster({ seed: 1.5 }))).toBeInstanceOf(UserInputError);
    expect((thrown(() => new Cluster({ seed: 1, activators: 1e9 })) as Error).message).toMatch(/activators must be at most 1000/);
    expect(thrown(() => new Cluster({ seed: 1, nodes: 1e6 }))).toBeInstanceOf(UserInputError);
    expect(new Cluster({ seed: Number.MAX_SAFE_INTEGER }).now).toBe(0);
  });

  it('the Autoscaler checks its spec as Knative\'s validation bounds it: a target of 0 is refused', () => {
    expect(new Autoscaler(SPEC, { nowMs: 0, readyPods: 1 }).scale(2000, { stable: 21, panic: 30, readyPods: 1 }).desiredPodCount).toBe(5);
    const bad: Array<[keyof AutoscalerSpec, unknown]> = [
      ['targetValue', 0],
      ['targetValue', NaN],
      ['totalValue', -1],
      ['targetBurstCapacity', -2],
      ['panicThreshold', -1],
      ['maxScaleUpRate', -1],
      ['maxScaleDownRate', NaN],
      ['stableWindowMs', Infinity],
      ['scaleDownDelayMs', -1],
      ['activationScale', -1],
      ['stableWindowMs', NaN],
      ['reachable', 'yes'],
      ['scalingMetric', 'cpu'],
    ];
    for (const [k, v] of bad) {
      const e = thrown(() => new Autoscaler({ ...SPEC, [k]: v }, { nowMs: 0, readyPods: 1 }));
      expect(e, `${k}=${String(v)}`).toBeInstanceOf(UserInputError);
      expect((e as Error).message).toContain(`Autoscaler: ${k} must be`);
    }
    const a = new Autoscaler(SPEC, { nowMs: 0, readyPods: 1 });
    expect(thrown(() => a.update({ ...SPEC, targetValue: 0 }))).toBeInstanceOf(UserInputError);
    expect(thrown(() => new Autoscaler(SPEC, { nowMs: NaN, readyPods: 1 }))).toBeInstanceOf(UserInputError);
  });

  it("a registered app's status 'abc' is the caller's mistake, named with the image", () => {
    const c = new Cluster({ seed: 1 });
    c.registerApp('abc', () => ({ status: 'abc' as unknown as number, body: 'x' }));
    c.apply('apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: a}\nspec: {template: {spec: {containers: [{image: example.com/abc:1}]}}}\n');
    c.waitForReady();
    const e = thrown(() => c.request({ url: 'http://a.default.example.com/' }));
    expect(e).toBeInstanceOf(UserInputError);
    expect((e as Error).message).toBe('registered app "abc" answered status "abc": want a whole number from 100 to 599');
    expect(thrown(() => c.registerApp('x', 5 as never))).toBeInstanceOf(UserInputError);
  });

  it('URLs: user:password@ becomes Basic credentials as curl sends them; an IPv6 literal says knsim is IPv4 only', () => {
    const c = new Cluster({ seed: 1 });
    const seen: string[] = [];
    c.registerApp('echo', (req) => {
      seen.push(req.headers.get('authorization') ?? '');
      return { status: 200, body: 'ok' };
    });
    c.apply('apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: hello}\nspec: {template: {spec: {containers: [{image: example.com/echo:1}]}}}\n');
    c.waitForReady();
    const r = c.request({ url: 'http://user:pass@hello.default.example.com/' });
    expect(r.status).toBe(200);
    expect(seen).toEqual(['Basic dXNlcjpwYXNz']);
    expect((thrown(() => c.request({ url: 'http://[::1]/' })) as Error).message).toMatch(/IPv6 literal hosts are not simulated/);
  });

  it('label: a missing object is NotFound, an invalid label value is the API server\'s refusal, for every kind', () => {
    const c = new Cluster({ seed: 1 });
    c.apply('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n');
    expect(thrown(() => c.label({ kind: 'ConfigMap', name: 'nope' }, { a: 'b' }))).toBeInstanceOf(NotFoundError);
    const e = thrown(() => c.label({ kind: 'ConfigMap', name: 'cm' }, { a: 'b c' }));
    expect(e).toBeInstanceOf(ApplyError);
    expect((e as Error).message).toMatch(/^The ConfigMap "cm" is invalid: metadata\.labels: Invalid value: "b c"/);
    c.label({ kind: 'ConfigMap', name: 'cm' }, { a: 'b' });
  });
});
