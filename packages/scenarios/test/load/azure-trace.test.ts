import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAzureTrace, TraceFormatError } from '../../src/run/azure-trace.js';

// The header of the Azure Functions 2019 trace's invocations_per_function_md.anon.dNN.csv files.
const HEADER = ['HashOwner', 'HashApp', 'HashFunction', 'Trigger', ...Array.from({ length: 1440 }, (_, i) => String(i + 1))].join(',');
const row = (fn: string, counts: readonly number[], trigger = 'http') => ['o1', 'a1', fn, trigger, ...Array.from({ length: 1440 }, (_, i) => String(counts[i] ?? 0))].join(',');

const errorOf = (text: string): string => {
  try {
    parseAzureTrace(text, 'd01.csv');
    return '';
  } catch (e) {
    expect(e).toBeInstanceOf(TraceFormatError);
    return (e as Error).message;
  }
};

describe('parseAzureTrace', () => {
  it('round-trips any day of per-minute counts, keeping the hashes and the trigger', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.nat({ max: 100_000 }), { maxLength: 1440 }), { minLength: 1, maxLength: 4 }), (days) => {
        const text = [HEADER, ...days.map((d, i) => row(`f${i}`, d, i % 2 ? 'timer' : 'http'))].join('\n');
        const rows = parseAzureTrace(text, 'd01.csv');
        expect(rows.map((r) => r.hashFunction)).toEqual(days.map((_, i) => `f${i}`));
        rows.forEach((r, i) => {
          expect(r.perMinute).toHaveLength(1440);
          expect(r.perMinute).toEqual(Array.from({ length: 1440 }, (_, m) => days[i]![m] ?? 0));
          expect(r.trigger).toBe(i % 2 ? 'timer' : 'http');
          expect([r.hashOwner, r.hashApp]).toEqual(['o1', 'a1']);
        });
      }),
      { numRuns: 20 },
    );
  });

  it('accepts CRLF line ends and a trailing blank line, as the published files have', () => {
    const rows = parseAzureTrace(`${HEADER}\r\n${row('f', [1, 2])}\r\n\r\n`, 'd01.csv');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.perMinute.slice(0, 3)).toEqual([1, 2, 0]);
  });

  it('accepts a truncated day (columns 1..N) as long as the numbering is contiguous', () => {
    const rows = parseAzureTrace('HashOwner,HashApp,HashFunction,Trigger,1,2,3\no,a,f,http,10,20,30\n', 'd01.csv');
    expect(rows[0]!.perMinute).toEqual([10, 20, 30]);
  });

  it('rejects an empty file, a wrong fixed column, missing or misnumbered minutes, naming file and line', () => {
    expect(errorOf('')).toBe('d01.csv: empty trace');
    expect(errorOf('HashOwner,HashApp,Function,Trigger,1\n')).toBe('d01.csv:1: column 3 must be HashFunction (the header of an Azure Functions invocations file)');
    expect(errorOf('HashOwner,HashApp,HashFunction,Trigger\n')).toContain('d01.csv:1: no minute columns');
    expect(errorOf('HashOwner,HashApp,HashFunction,Trigger,1,3\n')).toBe('d01.csv:1: column 6 must be 2');
    // The durations file of the same trace is a common mix-up: it fails on its header.
    expect(errorOf('HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum\n')).toContain('d01.csv:1: column 4 must be Trigger');
  });

  it('rejects rows with the wrong number of cells or non-count cells, naming the line and the minute', () => {
    const head = 'HashOwner,HashApp,HashFunction,Trigger,1,2\n';
    expect(errorOf(`${head}o,a,f,http,1\n`)).toBe('d01.csv:2: 5 columns, the header has 6');
    expect(errorOf(`${head}o,a,f,http,1,2\no,a,g,http,1,-2\n`)).toBe('d01.csv:3: minute 2: want a whole number >= 0 (column 6)');
    expect(errorOf(`${head}o,a,f,http,1.5,2\n`)).toContain('d01.csv:2: minute 1: want a whole number');
    expect(errorOf(`${head}o,a,f,http,,2\n`)).toContain('d01.csv:2: minute 1: want a whole number');
    for (const bad of ['1e3', '0x10', '+5', '1.0']) expect(errorOf(`${head}o,a,f,http,${bad},2\n`)).toBe('d01.csv:2: minute 1: want a whole number >= 0 (column 5)');
    expect(errorOf(`${head}o,a,f,http,NaN,2\n`)).toContain('d01.csv:2: minute 1: want a whole number');
  });

  it('never echoes what the file holds: a trace may be any file (issue 15), so errors give only its line and column', () => {
    const secret = 'root:$6$hash:19000:0:99999:7:::';
    for (const text of [`${secret}\n`, `HashOwner,HashApp,HashFunction,Trigger,${secret}\n`, `HashOwner,HashApp,HashFunction,Trigger,1\no,a,f,http,${secret}\n`]) {
      const m = errorOf(text);
      expect(m).toMatch(/^d01\.csv:\d+: /);
      expect(m).not.toContain('root');
      expect(m).not.toContain('hash');
    }
  });

  it('counts blank lines when naming the line of a bad row (the line an editor shows)', () => {
    expect(errorOf('HashOwner,HashApp,HashFunction,Trigger,1\n\no,a,f,http,x\n')).toContain('d01.csv:3: minute 1');
  });
});
