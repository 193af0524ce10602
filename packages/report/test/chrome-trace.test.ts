import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { CHROME_TRACE_SCHEMA, toChromeTrace, type ChromeTrace } from '../src/index.js';
import { fixture } from './fixture.js';

/** Checks a Chrome trace against the schema and the pairing rule of async slices (each b has its e, after it). */
function checkChromeTrace(t: ChromeTrace): void {
  const validate = new Ajv({ allErrors: true }).compile(CHROME_TRACE_SCHEMA);
  if (!validate(JSON.parse(JSON.stringify(t)))) throw new Error(JSON.stringify(validate.errors?.slice(0, 5)));
  const open = new Map<string, number>();
  for (const e of t.traceEvents) {
    const key = `${e.pid}/${e.cat}/${e.id2?.local}/${e.name}`;
    if (e.ph === 'b') open.set(key, e.ts);
    if (e.ph === 'e') {
      expect(open.has(key)).toBe(true);
      expect(e.ts).toBeGreaterThanOrEqual(open.get(key)!);
      open.delete(key);
    }
  }
  expect(open.size).toBe(0);
}

describe('toChromeTrace', () => {
  const input = fixture();
  const t = toChromeTrace(input.trace, { scenario: 'demo' });

  it('is valid Chrome trace-event JSON', () => {
    checkChromeTrace(t);
  });

  it('has an async slice per hop of every request (the hop count round-trips)', () => {
    const hops = input.trace.reduce((a, e) => a + (e.type === 'request.end' ? e.hops.length : 0), 0);
    expect(t.traceEvents.filter((e) => e.ph === 'b')).toHaveLength(hops);
    expect(t.traceEvents.filter((e) => e.ph === 'e')).toHaveLength(hops);
  });

  it('has a track per component instance: the gateway pod, the activator, the pod\'s queue-proxy and app', () => {
    const names = t.traceEvents.filter((e) => e.name === 'process_name').map((e) => e.args!.name);
    expect(names).toEqual(expect.arrayContaining(['gateway gw-1:8080', 'activator act-1', 'pod hello-00001-deployment-abc-x1 · queue-proxy', 'pod hello-00001-deployment-abc-x1 · app', 'revision hello-00001']));
  });

  it('counts desired and ready pods per revision, and marks scaling, SKS mode and pod phases with their reasons', () => {
    const counters = t.traceEvents.filter((e) => e.ph === 'C').map((e) => [e.ts, e.args]);
    expect(counters).toEqual([[0, { desired: 0, ready: 0 }], [1_002_000, { desired: 1, ready: 0 }], [1_400_000, { desired: 1, ready: 1 }]]);
    const instants = t.traceEvents.filter((e) => e.ph === 'i');
    expect(instants.find((e) => e.cat === 'kpa')!.args!.reason).toBe('activator poke');
    expect(instants.find((e) => e.cat === 'sks')!.args!.reason).toBe('enough burst capacity');
    expect(instants.filter((e) => e.cat === 'pod').map((e) => e.name)).toEqual(['Pending 0/2', 'Running 2/2']);
  });
});
