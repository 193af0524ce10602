import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError, scenarioFiles } from '../../src/core.js';

const SCENARIO = (checks: string, extra = '') => `name: gate
steps:
  - load: { name: l1, url: "http://a.default.example.com/", rps: 1, duration: 1s${extra} }
  - request: { name: r1, url: "http://a.default.example.com/" }
checks:
${checks}`;

function mistakes(text: string): string[] {
  try {
    parseScenario(text, 'gate.yaml', scenarioFiles());
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as Error).message.split('\n');
  }
}

describe('checks: in a scenario', () => {
  it('reads each check as a subject, one metric and numeric bounds (latencies may be Go durations), with a label', () => {
    const loaded = parseScenario(
      SCENARIO(`  - { load: l1, share: { revision: a-v2, min: 35, max: 65 } }
  - { load: l1, p99Ms: { max: 250ms } }
  - { load: l1, status5xx: { max: 0 } }
  - { revision: a-v2, coldStarts: { max: 2 } }
  - { name: at zero, revision: a-v1, readyPodsAtEnd: { max: 0 } }
  - { request: r1, status: { min: 200, max: 299 } }`),
      'gate.yaml',
      scenarioFiles(),
    );
    expect(loaded.checks.map((c) => c.label)).toEqual([
      'load l1: share of a-v2 in [35, 65]%',
      'load l1: p99 latency ≤ 250 ms',
      'load l1: 5xx answers ≤ 0',
      'revision a-v2: cold starts ≤ 2',
      'at zero',
      'request r1: status in [200, 299]',
    ]);
    expect(loaded.checks[0]).toEqual({ subject: 'load', name: 'l1', metric: 'share', revision: 'a-v2', min: 35, max: 65, unit: '%', label: 'load l1: share of a-v2 in [35, 65]%' });
    expect(loaded.checks[1]!.max).toBe(250);
    // A check on 5xx (or a request's status) accounts for its subject's 5xx answers.
    expect(loaded.errorsAccountedFor).toEqual({ loads: ['l1'], requests: ['r1'] });
  });

  it('expect5xx on a load or request accounts for its 5xx without a check', () => {
    const loaded = parseScenario(SCENARIO('  - { load: l1, completed: { min: 1 } }', ', expect5xx: true'), 'gate.yaml', scenarioFiles());
    expect(loaded.errorsAccountedFor).toEqual({ loads: ['l1'], requests: [] });
    expect(parseScenario('name: x\nsteps: []\n', 'x.yaml', scenarioFiles()).checks).toEqual([]);
  });

  it('names the file and field of every mistake: unknown loads, metrics and keys, bounds that are not bounds', () => {
    expect(
      mistakes(
        SCENARIO(`  - { load: nope, status5xx: { max: 0 } }
  - { load: l1, p42Ms: { max: 1 } }
  - { load: l1 }
  - { load: l1, revision: x, status5xx: { max: 0 } }
  - { load: l1, status5xx: 0 }
  - { load: l1, status5xx: {} }
  - { load: l1, share: { min: 1 } }
  - { load: l1, maxMs: { min: 5, max: 1 } }
  - { load: l1, p50Ms: { max: fast } }
  - { revision: a, status: { max: 1 } }
  - { request: nope, status: { max: 1 } }
  - { load: l1, status5xx: { max: 0 }, status4xx: { max: 0 } }`),
      ),
    ).toEqual([
      'gate.yaml: checks[0].load: no load is named "nope" ("l1")',
      'gate.yaml: checks[1].p42Ms: unknown field (allowed: name, load, share, p50Ms, p90Ms, p99Ms, maxMs, meanMs, status5xx, status4xx, noAnswer, completed)',
      'gate.yaml: checks[1]: needs one metric of the load: share, p50Ms, p90Ms, p99Ms, maxMs, meanMs, status5xx, status4xx, noAnswer, completed',
      'gate.yaml: checks[2]: needs one metric of the load: share, p50Ms, p90Ms, p99Ms, maxMs, meanMs, status5xx, status4xx, noAnswer, completed',
      'gate.yaml: checks[3]: needs exactly one of load, revision and request, got load and revision',
      'gate.yaml: checks[4].status5xx: must be a bound {min?, max?}, got 0',
      'gate.yaml: checks[5].status5xx: needs min, max or both',
      'gate.yaml: checks[6].share.revision: required',
      'gate.yaml: checks[7].maxMs: min 5 is above max 1',
      'gate.yaml: checks[8].p50Ms.max: time: invalid duration "fast"',
      'gate.yaml: checks[9].status: unknown field (allowed: name, revision, coldStarts, maxReadyPods, readyPodsAtEnd)',
      'gate.yaml: checks[9]: needs one metric of the revision: coldStarts, maxReadyPods, readyPodsAtEnd',
      'gate.yaml: checks[10].request: no request step is named "nope" ("r1")',
      'gate.yaml: checks[11]: has status5xx and status4xx: one metric per check',
    ]);
    expect(mistakes('name: x\nchecks: {load: a}\n')).toEqual(['gate.yaml: checks: must be a list, got {"load":"a"}']);
  });
});
