import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { formatEta, makeProgress, progressWanted } from '../../src/progress.js';
import { knsim } from '../helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'knsim-progress-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('progress on stderr', () => {
  it('is wanted only on a terminal, and not under --quiet or --json', () => {
    expect(progressWanted({}, { isTTY: true })).toBe(true);
    expect(progressWanted({ quiet: true }, { isTTY: true })).toBe(false);
    expect(progressWanted({ json: true }, { isTTY: true })).toBe(false);
    expect(progressWanted({}, { isTTY: false })).toBe(false);
    expect(progressWanted({}, {})).toBe(false);
  });

  it('shows the percent done, what was answered and an ETA from the wall time so far, and clears its line', () => {
    let wall = 0;
    let out = '';
    const p = makeProgress((s) => (out += s), () => wall);
    wall = 10_000;
    p.update(0.25, '60 s simulated, 120 requests answered');
    expect(out).toBe('\r\x1b[K   25%  60 s simulated, 120 requests answered  ETA 30 s');
    wall = 100_000;
    p.update(0.5, 'x');
    expect(out.endsWith(' 50%  x  ETA 1 min 40 s')).toBe(true);
    p.done();
    expect(out.endsWith('\r\x1b[K')).toBe(true);
    expect(formatEta(Number.NaN)).toBe('?');
  });

  const bin = fileURLToPath(new URL('../../bin/knsim.js', import.meta.url));
  it.skipIf(!existsSync('/usr/bin/script'))('appears when knsim run has a terminal, and never in its stdout or without one', () => {
    // script(1) gives the command a pseudo-terminal, as a person's shell would.
    const tty = spawnSync('/usr/bin/script', ['-qec', `${process.execPath} ${bin} run scale-from-zero --out ${join(tmp, 'a')} 2>&1 1>/dev/null`, '/dev/null'], { encoding: 'utf8', timeout: 120_000 });
    expect(tty.stdout).toMatch(/\d+%\s+\d+ s simulated, \d+ requests answered {2}ETA /);
    const piped = knsim(['run', 'scale-from-zero', '--out', join(tmp, 'b')]);
    expect(piped.stderr).not.toContain('ETA');
    expect(piped.stdout).not.toContain('ETA');
  });

  it.skipIf(!existsSync('/usr/bin/script'))('appears for knsim bench stack and mmc on a terminal, not under --json', () => {
    const inPty = (args: string) => spawnSync('/usr/bin/script', ['-qec', `${process.execPath} ${bin} ${args} 2>&1 1>/dev/null`, '/dev/null'], { encoding: 'utf8', timeout: 120_000 }).stdout;
    expect(inPty('bench stack --requests 30000')).toMatch(/\d+%\s+\d+ of 30000 requests answered {2}ETA /);
    expect(inPty('bench mmc --customers 120000')).toMatch(/\d+%\s+\d+ of 120000 customers arrived {2}ETA /);
    expect(inPty('bench stack --requests 30000 --json')).not.toContain('ETA');
  });
});
