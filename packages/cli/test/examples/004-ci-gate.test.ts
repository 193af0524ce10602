// docs/testing.md, example 4: a scenario with checks as a CI gate.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { knsim } from '../helpers.js';

const EXAMPLE = fileURLToPath(new URL('../../../scenarios/examples/canary-gate/', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'knsim-gate-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the canary-gate scenario as a CI gate', () => {
  it('passes: every check ✓, exit 0, the checks in summary.json', () => {
    const r = knsim(['run', join(EXAMPLE, 'scenario.yaml'), '--out', join(work, 'pass')]);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(work, 'pass', 'summary.json'), 'utf8'));
    expect(summary.checks.length).toBeGreaterThanOrEqual(5);
    expect(summary.checks.filter((c: { ok: boolean }) => !c.ok)).toEqual([]);
    expect(r.stdout).toMatch(/checks: \d+ passed, 0 failed\n/);
  });

  it('blocks a broken canary: v2 answering 503 fails its checks, exit 1', () => {
    const broken = join(work, 'broken');
    cpSync(EXAMPLE, broken, { recursive: true });
    for (const f of ['shop-v2-canary.yaml', 'shop-v2-all.yaml']) {
      const p = join(broken, f);
      writeFileSync(p, readFileSync(p, 'utf8').replace('    metadata:\n      name: shop-v2\n', '    metadata:\n      name: shop-v2\n      annotations: { knsim.dev/status: "503" }\n'));
    }
    const r = knsim(['run', join(broken, 'scenario.yaml'), '--json']);
    expect(r.code).toBe(1);
    const failed = JSON.parse(r.stdout).checks.filter((c: { ok: boolean }) => !c.ok).map((c: { check: string }) => c.check);
    expect(failed).toEqual(expect.arrayContaining(['load canary: 5xx answers ≤ 0', 'request canary-tag: status in [200, 299]', 'load promoted: 5xx answers ≤ 0']));
    expect(r.stderr).toMatch(/knsim: \d+ of \d+ check\(s\) failed/);
  });
});
