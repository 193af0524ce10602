import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/index.js';
import { parseAutoscalerConfig, validateAutoscalingAnnotations, DEFAULT_AUTOSCALER_CONFIG } from '../../src/autoscaler/index.js';
import {
  AUTOSCALING_ANNOTATION_KEYS,
  autoscalerConfig,
  autoscalingAnnotations,
  configuration,
  configurationSpec,
  invalidAutoscalingAnnotations,
  invalidService,
  invalidTraffic,
  loadPattern,
  percents,
  service,
  serviceSpec,
  trafficBlock,
  virtualService,
} from '../../src/testing/index.js';

/** fast-check's own rule for arbitraries: the same seed gives the same values, in the same order. */
function sameSeedSameValue<T>(arb: fc.Arbitrary<T>): void {
  fc.assert(
    fc.property(fc.integer(), (seed) => {
      const a = fc.sample(arb, { seed, numRuns: 5 });
      const b = fc.sample(arb, { seed, numRuns: 5 });
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      expect(b.map((x) => fc.stringify(x))).toEqual(a.map((x) => fc.stringify(x)));
    }),
    { numRuns: 20 },
  );
}

const ARBITRARIES: Record<string, fc.Arbitrary<unknown>> = {
  percents: percents(),
  trafficBlock: trafficBlock({ revisions: ['app-v1', 'app-v2', 'app-v3'] }),
  serviceSpec: serviceSpec({ annotations: true }),
  configurationSpec: configurationSpec(),
  autoscalingAnnotations: autoscalingAnnotations(),
  autoscalerConfig: autoscalerConfig(),
  virtualService: virtualService({ backends: ['a.default.example.com', 'b.default.example.com'] }),
  loadPattern: loadPattern(),
  invalidTraffic: invalidTraffic(),
  invalidAutoscalingAnnotations: invalidAutoscalingAnnotations(),
  invalidService: invalidService(),
};

describe('every arbitrary gives the same value for the same seed', () => {
  for (const [name, arb] of Object.entries(ARBITRARIES)) it(name, () => sameSeedSameValue(arb));
});

/** Knative's webhook, as `knsim validate` runs it: each object validated (and kept, so later ones are updates). */
function webhookErrors(objects: readonly object[]): string[] {
  const c = new Cluster({ seed: 1 });
  return objects.flatMap((o) => c.validate(o as never).errors);
}

describe('valid by construction', () => {
  it('percents are whole, sum to 100, and respect their length and zero options', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 5 }), fc.boolean(), fc.integer(), (min, extra, zero, seed) => {
        const [ps] = fc.sample(percents({ minLength: min, maxLength: min + extra, zero }), { seed, numRuns: 1 });
        expect(ps!.reduce((a, b) => a + b, 0)).toBe(100);
        expect(ps!.length).toBeGreaterThanOrEqual(min);
        expect(ps!.length).toBeLessThanOrEqual(min + extra);
        for (const p of ps!) expect(Number.isInteger(p) && p >= (zero ? 0 : 1) && p <= 100).toBe(true);
      }),
    );
  });

  it('percents shrink toward a single 100 and a 1%/99% canary', () => {
    const r = fc.check(fc.property(percents({ minLength: 1, maxLength: 5 }), (ps) => ps.length === 1), { seed: 1 });
    expect(r.failed).toBe(true);
    expect(r.counterexample![0]).toEqual([0, 100]);
    const nz = fc.check(fc.property(percents({ minLength: 2, maxLength: 5, zero: false }), (ps) => ps.length > 2 || ps[0]! > 1), { seed: 1 });
    expect(nz.counterexample![0]).toEqual([1, 99]);
  });

  it('traffic blocks: sum to 100, unique tags and revisions, at most one latestRevision', () => {
    fc.assert(
      fc.property(trafficBlock({ revisions: ['app-v1', 'app-v2', 'app-v3'] }), (tb) => {
        expect(tb.reduce((a, t) => a + t.percent!, 0)).toBe(100);
        const tags = tb.map((t) => t.tag).filter(Boolean);
        expect(new Set(tags).size).toBe(tags.length);
        const names = tb.map((t) => (t.latestRevision ? '@latest' : t.revisionName));
        expect(new Set(names).size).toBe(names.length);
      }),
    );
  });

  it('generated Services and Configurations (with annotations) pass the webhook', () => {
    fc.assert(fc.property(serviceSpec({ annotations: true, maxRevisions: 3 }), (s) => {
      expect(webhookErrors(service(s))).toEqual([]);
    }), { numRuns: 60 });
    fc.assert(fc.property(configurationSpec({ annotations: true }), (s) => {
      expect(webhookErrors(configuration(s))).toEqual([]);
    }), { numRuns: 40 });
  });

  it('autoscaling annotations are within Knative ranges, for any subset of keys', () => {
    fc.assert(
      fc.property(fc.subarray([...AUTOSCALING_ANNOTATION_KEYS]).chain((keys) => autoscalingAnnotations({ keys })), (anns) => {
        expect(validateAutoscalingAnnotations(anns, DEFAULT_AUTOSCALER_CONFIG)?.toString() ?? '').toBe('');
      }),
      { numRuns: 300 },
    );
  });

  it('config-autoscaler data loads as Knative loads it, and a cluster starts with it', () => {
    fc.assert(fc.property(autoscalerConfig(), (data) => void parseAutoscalerConfig(data)), { numRuns: 300 });
    fc.assert(fc.property(autoscalerConfig(), (data) => void new Cluster({ config: { 'config-autoscaler': data } })), { numRuns: 20 });
  });

  it('VirtualServices pass Istio’s webhook', () => {
    fc.assert(fc.property(virtualService({ backends: ['a.default.example.com', 'b.default.example.com', 'c.default.example.com'] }), (vs) => {
      expect(webhookErrors([vs])).toEqual([]);
    }), { numRuns: 60 });
  });

  it('load patterns stay within their bounds', () => {
    fc.assert(
      fc.property(loadPattern({ maxRequests: 50, maxDurationMs: 10_000 }), (p) => {
        if (p.kind === 'constant' || p.kind === 'poisson') expect((p.rps * p.durationMs) / 1000).toBeLessThanOrEqual(50 + 1e-9);
        if (p.kind === 'ramp') expect((((p.fromRps + p.toRps) / 2) * p.durationMs) / 1000).toBeLessThanOrEqual(50 + 1e-9);
        if (p.kind === 'burst') expect(p.requests * p.bursts).toBeLessThanOrEqual(50);
        if (p.kind === 'closed') expect((p.users * p.durationMs) / Math.max(1, p.thinkMs)).toBeLessThanOrEqual(50);
        if ('durationMs' in p) expect(p.durationMs).toBeLessThanOrEqual(10_000);
      }),
    );
  });
});

describe('invalid ones fail the webhook with the paired message', () => {
  const prefix = 'admission webhook "validation.webhook.serving.knative.dev" denied the request: validation failed: ';
  it('invalidService: exactly Knative’s message, and nothing else', () => {
    fc.assert(
      fc.property(invalidService(), ({ value, message }) => {
        expect(webhookErrors([value])).toEqual([`<input>: Service default/app: ${prefix}${message}`]);
      }),
      { numRuns: 200 },
    );
  });

  it('invalidTraffic and invalidAutoscalingAnnotations pair their own messages', () => {
    fc.assert(
      fc.property(invalidTraffic({ revisions: ['x-1', 'x-2'] }), ({ value, message }) => {
        const s = service({ name: 'x', revisions: [{ name: 'x-2' }], traffic: value })[0]!;
        expect(webhookErrors([s])).toEqual([`<input>: Service default/x: ${prefix}${message}`]);
      }),
    );
    fc.assert(
      fc.property(invalidAutoscalingAnnotations(), ({ value, message }) => {
        expect(webhookErrors([service({ name: 'x', annotations: value })[0]!])).toEqual([`<input>: Service default/x: ${prefix}${message}`]);
      }),
    );
  });
});

describe('counterexamples print as ready-to-apply YAML', () => {
  it('a failing property over serviceSpec reports its seed and the manifests', () => {
    const r = fc.check(fc.property(serviceSpec({ minRevisions: 2 }), (s) => s.traffic === undefined), { seed: 42 });
    const report = fc.defaultReportMessage(r)!;
    expect(report).toContain('seed: 42');
    expect(report).toContain('# apply 1 of 2\napiVersion: serving.knative.dev/v1\nkind: Service');
    expect(report).toMatch(/traffic:\n\s+- (revisionName|latestRevision|tag)/);
  });
});
