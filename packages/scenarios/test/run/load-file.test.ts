import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RngStreams } from '@knsim/sim-core';
import { constantArrivals, parseAzureTrace, parseScenario, rampArrivals, runScenario, ScenarioError, traceArrivals } from '../../src/index.js';

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'knsim-'));
  for (const [k, v] of Object.entries(files)) writeFileSync(join(d, k), v);
  return d;
}

const errorsOf = (text: string, file = 's.yaml') => {
  try {
    parseScenario(text, join(dir({ 'app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n' }), file));
    return '';
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as Error).message;
  }
};

describe('scenario files', () => {
  it('names the file, the step and the field of each mistake, all at once', () => {
    const msg = errorsOf(`name: t
steps:
  - load: { name: a, url: "http://x/", rps: fast, duration: 10s }
  - wait: soon
  - jump: { high: true }
  - load: { name: b, url: "http://x/", rps: 5, concurrency: 3, duration: 1s }
  - apply: { file: missing.yaml }
`);
    expect(msg).toContain('s.yaml: steps[0].load.rps: must be a number > 0, got "fast"');
    expect(msg).toContain('s.yaml: steps[1].wait: time: invalid duration "soon"');
    expect(msg).toContain('s.yaml: steps[2]: unknown step kind "jump"');
    expect(msg).toContain('steps[3].load: set either rps (open loop) or concurrency (closed loop), not both');
    expect(msg).toContain('steps[4].apply.file: file "missing.yaml" does not exist');
  });

  it('rejects unknown keys and wrong types', () => {
    expect(errorsOf('name: t\nsteps:\n  - request: { name: r, url: "http://x/", colour: red }\n')).toContain('steps[0].request.colour: unknown field');
    expect(errorsOf('name: t\nseed: one\n')).toContain('$.seed: must be a whole number');
    expect(errorsOf('name: t\nsteps:\n  - request: { name: r, url: "ftp://x/" }\n')).toContain('must be an http:// or https:// URL');
  });

  it('names the line of malformed YAML', () => {
    expect(errorsOf('name: t\nsteps: [\n')).toMatch(/s\.yaml:\d+:\d+: invalid YAML/);
  });

  it('fails a step whose URL resolves nowhere, naming the step and field, before sending anything', () => {
    const d = dir({ 'app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n' });
    const loaded = parseScenario('name: t\nmanifests: [{file: app.yaml}]\nsteps:\n  - request: { name: r, url: "http://nowhere.invalid/" }\n', join(d, 's.yaml'));
    expect(() => runScenario(loaded)).toThrow(/steps\[0\]\.request\.url: "nowhere\.invalid" resolves nowhere/);
  });

  it('reports an invalid manifest as a mistake of that step', () => {
    const d = dir({ 'bad.yaml': 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: x}\nspec:\n  template:\n    spec:\n      containers: [{image: a}]\n  traffic: [{latestRevision: true, percent: 90}]\n' });
    const loaded = parseScenario('name: t\nsteps:\n  - apply: { file: bad.yaml }\n', join(d, 's.yaml'));
    expect(() => runScenario(loaded)).toThrow(/steps\[0\]\.apply: .*Traffic targets sum to 90, want 100: spec\.traffic/);
  });
});

describe('arrivals (laws)', () => {
  it('a constant Poisson load sends about rate × duration, in order, inside the window', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 60 }), fc.integer(), (rps, secs, seed) => {
        const ts = [...constantArrivals(new RngStreams(seed).fork('l'), 'poisson', rps, 1000, secs * 1000)];
        const mean = rps * secs;
        expect(Math.abs(ts.length - mean)).toBeLessThanOrEqual(6 * Math.sqrt(mean) + 1);
        for (let i = 1; i < ts.length; i++) expect(ts[i]!).toBeGreaterThanOrEqual(ts[i - 1]!);
        for (const t of ts) expect(t >= 1000 && t < 1000 + secs * 1000).toBe(true);
      }),
    );
  });

  it('a uniform ramp sends the integral of its rate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 60 }), (a, b, secs) => {
        const n = [...rampArrivals(new RngStreams(1).fork('r'), 'uniform', a, b, 0, secs * 1000)].length;
        expect(Math.abs(n - ((a + b) / 2) * secs)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('is the same for the same seed', () => {
    const a = [...constantArrivals(new RngStreams(5).fork('x'), 'poisson', 50, 0, 10_000)];
    const b = [...constantArrivals(new RngStreams(5).fork('x'), 'poisson', 50, 0, 10_000)];
    expect(a).toEqual(b);
  });
});

describe('the Azure Functions trace', () => {
  const header = ['HashOwner', 'HashApp', 'HashFunction', 'Trigger', ...Array.from({ length: 1440 }, (_, i) => String(i + 1))].join(',');
  const row = (h: string, counts: number[]) => ['o', 'a', h, 'http', ...Array.from({ length: 1440 }, (_, i) => String(counts[i] ?? 0))].join(',');

  it('parses rows and replays each minute\'s count within that minute', () => {
    const rows = parseAzureTrace(`${header}\n${row('f1', [3, 0, 5])}\n`, 't.csv');
    expect(rows[0]!.perMinute.slice(0, 3)).toEqual([3, 0, 5]);
    const ts = [...traceArrivals(new RngStreams(1).fork('t'), 'poisson', rows[0]!.perMinute.slice(0, 3), 0)];
    expect(ts).toHaveLength(8);
    expect(ts.filter((t) => t < 60_000)).toHaveLength(3);
    expect(ts.filter((t) => t >= 120_000)).toHaveLength(5);
  });

  it('names the line and column of a malformed file', () => {
    expect(() => parseAzureTrace('HashOwner,HashApp,Func,Trigger,1\n', 't.csv')).toThrow('t.csv:1: column 3 must be HashFunction');
    expect(() => parseAzureTrace(`${header}\n${row('f', []).replace(',0,', ',x,')}\n`, 't.csv')).toThrow(/t\.csv:2: minute 1: want a whole number/);
  });
});
