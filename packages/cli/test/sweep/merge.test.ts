import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseSweep, sweepRuns, type Parameters } from '@knsim/scenarios';
import { mergeSweep, csvField, type RunRecord } from '../../src/sweep/merge.js';
import { aggregate } from '../../src/sweep/stats.js';
import { runKey } from '../../src/sweep/cache.js';
import { parseRedisUrl, queueName } from '../../src/sweep/queue.js';

// Issue 18: the merge, the statistics, the run keys and the queue's name and URL.
const SWEEP = parseSweep('name: s\nscenario: x\nseeds: 1..4\nmatrix:\n  loads: { l: { rps: [1, 2] } }\n  latencies: { imagePull: ["1s", "2s,3"] }\n', 's.yaml');
const key = (p: Parameters, seed: number) => runKey('scenario', p, seed, '0.1.0');

function results(): Array<[string, RunRecord]> {
  return sweepRuns(SWEEP).map(({ parameters, seed }, i) => [
    key(parameters, seed),
    i === 5 ? { parameters, seed, error: 'boom' } : { parameters, seed, figures: { coldStarts: (i * 7) % 5, [`loads.l.status.${i % 3 === 0 ? 503 : 200}`]: i } },
  ]);
}

describe('mergeSweep', () => {
  it('law: the same runs give the same bytes whatever order they finished in', () => {
    const all = results();
    const base = mergeSweep(SWEEP, 'x', new Map(all), key);
    fc.assert(
      fc.property(fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }), (order) => {
        const m = mergeSweep(SWEEP, 'x', new Map(order), key);
        expect(m.text).toBe(base.text);
        expect(m.csv).toBe(base.csv);
      }),
    );
  });

  it('lists runs combination by combination and seed by seed; a status a run never got counts 0; a failed run is left out of its combination', () => {
    const m = mergeSweep(SWEEP, 'x', new Map(results()), key);
    expect(m.json.runs.map((r) => r.seed)).toEqual([1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4]);
    expect(m.json.runs[0]).toEqual({ parameters: { 'loads.l.rps': 1, 'latencies.imagePull': '1s' }, seed: 1, coldStarts: 0, 'loads.l.status.200': 0, 'loads.l.status.503': 0 });
    expect(m.json.runs[5]).toEqual({ parameters: { 'loads.l.rps': 1, 'latencies.imagePull': '2s,3' }, seed: 2, error: 'boom' });
    expect(m.json.combinations[1]).toMatchObject({ runs: 3, failed: 1 });
    expect(m.csv.split('\n')[6]).toBe('run,1,"2s,3",2,1,1,boom,,,,,,,,,,,,');
  });

  it('throws on a run it was not given (a bug, never a silent gap)', () => {
    const some = new Map(results().slice(1));
    expect(() => mergeSweep(SWEEP, 'x', some, key)).toThrow(/no result/);
  });
});

describe('aggregate', () => {
  it("mean, sample deviation and Student's t interval (t(0.975, 4) = 2.776445)", () => {
    expect(aggregate([1, 2, 3, 4, 5])).toEqual({ mean: 3, sd: 1.581139, ci95: [1.036757, 4.963243] });
    expect(aggregate([10, 12])).toEqual({ mean: 11, sd: 1.414214, ci95: [-1.706205, 23.706205] });
    expect(aggregate([7])).toEqual({ mean: 7, sd: null, ci95: null });
  });
});

describe('csvField', () => {
  it('quotes commas, quotes and line breaks as RFC 4180 does', () => {
    expect(csvField('lognormal(4s,0.4)')).toBe('"lognormal(4s,0.4)"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField(3.5)).toBe('3.5');
    expect(csvField(null)).toBe('');
  });
});

describe('run keys and queue names', () => {
  it("a run's key changes with the scenario's content, the parameters, the seed and knsim's version", () => {
    const k = runKey('a', { x: 1 }, 1, '1.0.0');
    expect(runKey('a', { x: 1 }, 1, '1.0.0')).toBe(k);
    for (const other of [runKey('b', { x: 1 }, 1, '1.0.0'), runKey('a', { x: 2 }, 1, '1.0.0'), runKey('a', { x: 1 }, 2, '1.0.0'), runKey('a', { x: 1 }, 1, '1.0.1')]) expect(other).not.toBe(k);
  });

  it('two sweeps never share a queue', () => {
    const q = queueName('s', 'digest', SWEEP.axes, [1, 2], '0.1.0');
    expect(q).toMatch(/^knsim-s-[0-9a-f]{16}$/);
    expect(queueName('s', 'digest2', SWEEP.axes, [1, 2], '0.1.0')).not.toBe(q);
    expect(queueName('s', 'digest', SWEEP.axes.slice(1), [1, 2], '0.1.0')).not.toBe(q);
    expect(queueName('s', 'digest', SWEEP.axes, [1, 3], '0.1.0')).not.toBe(q);
    expect(queueName('t', 'digest', SWEEP.axes, [1, 2], '0.1.0')).not.toBe(q);
  });

  it('reads redis://[:password@]host[:port][/db] and never shows the password', () => {
    const t = parseRedisUrl('redis://:s3cr%40t@cache.internal:6380/4');
    expect(t.options).toEqual({ host: 'cache.internal', port: 6380, db: 4, password: 's3cr@t' });
    expect(t.shown).toBe('redis://***@cache.internal:6380/4');
    expect(parseRedisUrl('redis://127.0.0.1').options).toEqual({ host: '127.0.0.1', port: 6379, db: 0 });
    expect(parseRedisUrl('rediss://u:p@h:1').options).toMatchObject({ username: 'u', password: 'p', tls: {} });
    for (const bad of ['http://:hunter2@h', 'redis://:hunter2@h/x', 'not a url :hunter2@']) {
      expect(() => parseRedisUrl(bad)).toThrow(/--queue takes redis:/);
      try {
        parseRedisUrl(bad);
      } catch (e) {
        expect((e as Error).message).not.toContain('hunter2');
      }
    }
  });
});
