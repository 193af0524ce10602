import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { KnsimTraceEvent } from '@knsim/sim-core';
import { readTrace } from '../../src/report.js';
import { encodeTrace } from '../../src/run.js';
import { UserError } from '../../src/errors.js';

const tmp = mkdtempSync(join(tmpdir(), 'knsim-trace-file-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('trace.jsonl.gz', () => {
  it('reads back every event of a long trace, written in several gzip members, in order', () => {
    const events: KnsimTraceEvent[] = Array.from({ length: 25_001 }, (_, i) => ({ type: 'request.start', t: i, id: i, method: 'GET', url: `http://x/${i}é` }));
    const file = join(tmp, 't.jsonl.gz');
    const bytes = encodeTrace(events);
    writeFileSync(file, bytes);
    expect(readTrace(file)).toEqual(events);
    expect(encodeTrace(events)).toEqual(bytes);
    writeFileSync(file, encodeTrace([]));
    expect(readTrace(file)).toEqual([]);
  });

  it('names the file when it is not a gzipped trace', () => {
    const file = join(tmp, 'bad.gz');
    writeFileSync(file, 'not gzip');
    expect(() => readTrace(file)).toThrow(UserError);
    expect(() => readTrace(file)).toThrow(`${file}: not a gzipped trace`);
  });
});
