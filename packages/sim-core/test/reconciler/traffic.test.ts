import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defaultServingConfig } from '../../src/apis/config/serving-config.js';
import { setRouteSpecDefaults } from '../../src/apis/serving/v1/defaults.js';
import { buildTrafficConfiguration, configureTraffic } from '../../src/reconciler/route/traffic.js';
import {
  allLookups,
  emptyConfig,
  failedConfig,
  goodConfig,
  goodNewRev,
  goodOldRev,
  lookups,
  revision,
  routeWith,
  unreadyConfig,
  unreadyRev,
} from './fixtures.js';

// Cases from knative/serving pkg/reconciler/route/traffic/traffic_test.go (expressible ones).
const build = (traffic: Parameters<typeof routeWith>[0], meta = {}) => buildTrafficConfiguration(routeWith(setRouteSpecDefaults({ traffic }, false).traffic, meta), allLookups);
const brief = (ts: Array<{ tag?: string; revisionName: string; percent: number; latestRevision?: boolean; protocol: string }>) =>
  ts.map((t) => [t.tag ?? '', t.revisionName, t.percent, t.latestRevision, t.protocol]);

describe('buildTrafficConfiguration', () => {
  it('Vanilla: a configuration target resolves to its latest ready revision', () => {
    const { config, error } = build([{ configurationName: 'good-config', percent: 100 }]);
    expect(error).toBeUndefined();
    expect(brief(config.targets['']!)).toEqual([['', 'good-revision-2', 100, true, 'h2c']]);
    expect(config.targets['']![0]!.configurationName).toBe('good-config');
  });

  it('TwoEntriesSameConfig: 42/16/42 to one configuration consolidates to one 100% target', () => {
    const { config } = build([
      { configurationName: 'nice-config', percent: 42 },
      { configurationName: 'nice-config', percent: 16 },
      { configurationName: 'nice-config', percent: 42 },
    ]);
    expect(brief(config.targets['']!)).toEqual([['', 'nice-revision-2', 100, true, 'h2c']]);
    expect(brief(config.revisionTargets)).toEqual([['', 'nice-revision-2', 100, true, 'h2c']]);
  });

  it('Consolidated: tags get their own 100% splits, the default split sums per revision, status merges equal entries', () => {
    const { config } = build([
      { tag: 'one', revisionName: goodOldRev.metadata.name, percent: 49 },
      { tag: 'two', revisionName: goodNewRev.metadata.name, percent: 50 },
      { tag: 'also-two', configurationName: 'good-config', percent: 1 },
    ]);
    expect(Object.keys(config.targets)).toEqual(['', 'also-two', 'one', 'two']);
    expect(brief(config.targets['']!)).toEqual([
      ['one', 'good-revision-1', 49, false, 'http1'],
      ['two', 'good-revision-2', 51, false, 'h2c'],
    ]);
    expect(brief(config.targets['also-two']!)).toEqual([['also-two', 'good-revision-2', 100, true, 'h2c']]);
    expect(brief(config.targets['one']!)).toEqual([['one', 'good-revision-1', 100, false, 'http1']]);
    expect(brief(config.revisionTargets)).toEqual([
      ['one', 'good-revision-1', 49, false, 'http1'],
      ['two', 'good-revision-2', 50, false, 'h2c'],
      ['also-two', 'good-revision-2', 1, true, 'h2c'],
    ]);
  });

  it('Tag0Percent: a 0% tagged target stays in the default split and gets a 100% tag split', () => {
    const { config } = build([
      { configurationName: 'nice-config', percent: 100 },
      { configurationName: 'good-config', percent: 0, tag: 'robert' },
    ]);
    expect(brief(config.targets['']!)).toEqual([
      ['', 'nice-revision-2', 100, true, 'h2c'],
      ['robert', 'good-revision-2', 0, true, 'h2c'],
    ]);
    expect(brief(config.targets['robert']!)).toEqual([['robert', 'good-revision-2', 100, true, 'h2c']]);
  });

  it('MissingConfig: the error names it, the targets are dropped, the missing object is recorded', () => {
    const { config, error } = build([
      { revisionName: goodOldRev.metadata.name, percent: 100 },
      { tag: 'beta', revisionName: goodNewRev.metadata.name },
      { tag: 'alpha', configurationName: 'missing-config' },
    ]);
    expect(error?.error).toBe('Configuration "missing-config" referenced in traffic not found');
    expect(error?.condition).toEqual({ status: 'False', reason: 'ConfigurationMissing', message: 'Configuration "missing-config" referenced in traffic not found.' });
    expect(config.targets).toEqual({});
    expect(config.missingTargets).toEqual([{ apiVersion: 'serving.knative.dev/v1', kind: 'Configuration', name: 'missing-config', namespace: 'test' }]);
  });

  it('NotRoutableRevision / NotRoutableConfiguration / EmptyConfiguration: "not yet" errors are Unknown', () => {
    expect(build([{ revisionName: unreadyRev.metadata.name, percent: 100 }]).error?.condition).toEqual({
      status: 'Unknown',
      reason: 'RevisionMissing',
      message: 'Revision "unready-revision" is not yet ready.',
    });
    expect(build([{ configurationName: unreadyConfig.metadata.name, percent: 100 }]).error?.condition.message).toBe(
      'Configuration "unready-config" is waiting for a Revision to become ready.',
    );
    expect(build([{ configurationName: emptyConfig.metadata.name, percent: 100 }]).error?.isFailure).toBe(false);
  });

  it('EmptyAndFailed / FailedAndEmpty: a later failure replaces an earlier non-failure, an earlier failure is kept', () => {
    for (const order of [
      [emptyConfig, failedConfig],
      [failedConfig, emptyConfig],
    ]) {
      const { error } = build(order.map((c) => ({ configurationName: c.metadata.name, percent: 50 })));
      expect(error?.condition).toEqual({ status: 'False', reason: 'RevisionMissing', message: 'Configuration "failed-config" does not have any ready Revision.' });
    }
  });

  it('LatestReadyRevisionFailed: a configuration whose latest ready revision went bad reports the revision', () => {
    const failedReady = revision('failed-ready-revision', 'failed-ready-config', 'False');
    const cfg = { ...goodConfig, metadata: { ...goodConfig.metadata, name: 'failed-ready-config' }, status: { latestReadyRevisionName: 'failed-ready-revision', conditions: [{ type: 'Ready', status: 'False' as const }] } };
    const { error } = buildTrafficConfiguration(routeWith([{ configurationName: 'failed-ready-config', percent: 100, latestRevision: true }]), lookups([cfg], [failedReady]));
    expect(error?.condition.message).toBe('Revision "failed-ready-revision" failed to become ready.');
  });

  it('MissingRevision', () => {
    const { error } = build([{ revisionName: 'missing-revision', percent: 100 }]);
    expect(error?.condition).toEqual({ status: 'False', reason: 'RevisionMissing', message: 'Revision "missing-revision" referenced in traffic not found.' });
  });

  it('RevisionOwnership: a service-owned route only takes its own revisions', () => {
    const mk = (svc: string) => revision('test-rev', 'good-config', 'True', { service: svc });
    const run = (routeSvc: string | undefined, revSvc: string) =>
      buildTrafficConfiguration(
        routeWith([{ revisionName: 'test-rev', percent: 100, latestRevision: false }], routeSvc ? { labels: { 'serving.knative.dev/service': routeSvc } } : {}),
        lookups([goodConfig], [mk(revSvc)]),
      ).error;
    expect(run('my-service', 'other-service')?.condition.message).toBe('Revision "test-rev" belongs to Service "other-service", not Service "my-service".');
    expect(run('my-service', '')?.condition.message).toBe('Revision "test-rev" does not belong to Service "my-service".');
    expect(run('my-service', 'my-service')).toBeUndefined();
    expect(run(undefined, 'some-service')).toBeUndefined();
  });
});

describe('configureTraffic outcome', () => {
  const config = defaultServingConfig();
  it('success: status traffic with tag URLs, address, AllTrafficAssigned=True, ingress update', () => {
    const r = routeWith(setRouteSpecDefaults({ traffic: [{ configurationName: 'good-config', percent: 100 }, { tag: 'old', revisionName: 'good-revision-1', percent: 0 }] }, false).traffic);
    const res = configureTraffic(config, r, allLookups);
    expect(res.updateIngress).toBe(true);
    expect(res.allTrafficAssigned).toEqual({ status: 'True' });
    expect(res.url).toBe('http://test-route.test.example.com');
    expect(res.addressURL).toBe('http://test-route.test.svc.cluster.local');
    expect(res.statusTraffic).toEqual([
      { revisionName: 'good-revision-2', latestRevision: true, percent: 100 },
      { tag: 'old', revisionName: 'good-revision-1', latestRevision: false, percent: 0, url: 'http://old-test-route.test.example.com' },
    ]);
  });

  it('any target error: no ingress update, the bad target marked, the URL still computed', () => {
    const res = configureTraffic(config, routeWith([{ configurationName: 'good-config', percent: 50 }, { revisionName: 'gone', percent: 50 }]), allLookups);
    expect(res.updateIngress).toBe(false);
    expect(res.traffic).toBeUndefined();
    expect(res.allTrafficAssigned.reason).toBe('RevisionMissing');
    expect(res.url).toBe('http://test-route.test.example.com');
  });

  it('a name too long for DNS is an ErrorConfig failure', () => {
    const res = configureTraffic(config, routeWith([{ configurationName: 'good-config', percent: 100 }], { name: `${'x'.repeat(62)}-long` }), allLookups);
    expect(res.allTrafficAssigned.status).toBe('False');
    expect(res.allTrafficAssigned.reason).toBe('ErrorConfig');
    expect(res.allTrafficAssigned.message).toMatch(/^domain name error: invalid domain name ".*": url: Invalid value: ".*-long": must be no more than 63 characters$/);
    expect(res.updateIngress).toBe(false);
  });
});

describe('flattening laws', () => {
  const revs = ['good-revision-1', 'good-revision-2', 'nice-revision-1', 'nice-revision-2'];
  const targetArb = fc.record({ rev: fc.constantFrom(...revs, 'good-config', 'nice-config'), tag: fc.option(fc.constantFrom('a', 'b', 'c'), { nil: undefined }) });
  // Percent vectors summing to 100, attached to random targets.
  const trafficArb = fc
    .array(targetArb, { minLength: 1, maxLength: 6 })
    .chain((ts) => fc.array(fc.nat(100), { minLength: ts.length, maxLength: ts.length }).map((ws) => ({ ts, ws })))
    .map(({ ts, ws }) => {
      const total = ws.reduce((a, b) => a + b, 0);
      const percents = total === 0 ? ws.map((_, i) => (i === 0 ? 100 : 0)) : ws.map((w) => Math.floor((w * 100) / total));
      percents[0]! += 100 - percents.reduce((a, b) => a + b, 0);
      const seenTags = new Set<string>();
      return ts.map((t, i) => {
        const tag = t.tag && !seenTags.has(t.tag) ? (seenTags.add(t.tag), t.tag) : undefined;
        const target = t.rev.endsWith('-config') ? { configurationName: t.rev } : { revisionName: t.rev };
        return { ...target, percent: percents[i]!, ...(tag ? { tag } : {}) };
      });
    });

  it('the default split and the status list keep the 100% total; each tag split is one 100% target', () => {
    fc.assert(
      fc.property(trafficArb, (traffic) => {
        const { config, error } = build(traffic);
        expect(error).toBeUndefined();
        const sum = (xs: Array<{ percent: number }>) => xs.reduce((a, b) => a + b.percent, 0);
        expect(sum(config.targets['']!)).toBe(100);
        expect(sum(config.revisionTargets)).toBe(100);
        const names = config.targets[''].map((t) => t.revisionName);
        expect(new Set(names).size).toBe(names.length);
        for (const tag of Object.keys(config.targets).filter((t) => t !== '')) {
          expect(config.targets[tag]!.map((t) => t.percent)).toEqual([100]);
        }
      }),
    );
  });
});

