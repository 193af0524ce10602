import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { knsim } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'knsim-checks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A Service whose every answer is `status` (knsim.dev/status), ready at once (an image knsim does not model: `…/flaky` would be Knative's flaky test image). */
const SERVICE = (status: number) => `apiVersion: serving.knative.dev/v1
kind: Service
metadata: { name: flaky }
spec:
  template:
    metadata:
      annotations: { knsim.dev/status: "${status}" }
    spec:
      containers: [{ image: example.com/answers:v1 }]
`;

function scenario(name: string, status: number, loadExtra: string, checks: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `name: ${name}
manifests:
  - inline: |
${SERVICE(status)
  .split('\n')
  .map((l) => `      ${l}`)
  .join('\n')}
steps:
  - load: { name: l, url: "http://flaky.default.example.com/", rps: 10, duration: 2s, arrival: uniform${loadExtra} }
${checks ? `checks:\n${checks}\n` : ''}`,
  );
  return file;
}

describe('knsim run: checks and the 5xx rule decide the exit code', () => {
  it('a passing check: ✓ with the observed value, in summary.json too, exit 0', () => {
    const out = join(dir, 'out-pass');
    const r = knsim(['run', scenario('pass', 200, '', '  - { load: l, status5xx: { max: 0 } }\n  - { load: l, completed: { min: 10 } }'), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('checks: 2 passed, 0 failed\n  ✓ load l: 5xx answers ≤ 0 (observed 0)\n  ✓ load l: answered requests ≥ 10 (observed 20)');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.checks).toEqual([
      { check: 'load l: 5xx answers ≤ 0', max: 0, observed: 0, ok: true, unit: '' },
      { check: 'load l: answered requests ≥ 10', min: 10, observed: 20, ok: true, unit: '' },
    ]);
  });

  it('a failing check: ✗, exit 1; with --json the document holds the checks and stderr names the failure', () => {
    const file = scenario('fail', 503, '', '  - { load: l, status5xx: { max: 0 } }');
    const text = knsim(['run', file, '--out', join(dir, 'out-fail')]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('✗ load l: 5xx answers ≤ 0 (observed 20)');
    expect(text.stderr).toContain('knsim: 1 of 1 check(s) failed');
    const json = knsim(['run', file, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).checks).toEqual([{ check: 'load l: 5xx answers ≤ 0', max: 0, observed: 20, ok: false, unit: '' }]);
    expect(json.stderr).toContain('✗ load l: 5xx answers ≤ 0 (observed 20)');
  });

  it('5xx no check covers: exit 1 with a message saying what to add; expect5xx or a check on them makes it 0', () => {
    const bare = knsim(['run', scenario('bare', 503, '', ''), '--quiet', '--out', join(dir, 'out-bare')]);
    expect(bare.code).toBe(1);
    expect(bare.stderr).toBe('knsim: load l got 20× 503 and no check covers it: add a check such as {load: l, status5xx: {max: N}}, or expect5xx: true on the load if that is its point\n');
    expect(knsim(['run', scenario('expected', 503, ', expect5xx: true', ''), '--quiet', '--out', join(dir, 'out-expected')]).code).toBe(0);
    expect(knsim(['run', scenario('bounded', 503, '', '  - { load: l, status5xx: { max: 100 } }'), '--quiet', '--out', join(dir, 'out-bounded')]).code).toBe(0);
  });

  it('a check on a revision the run never had is the scenario’s mistake: exit 2, file and field named, nothing written', () => {
    const out = join(dir, 'out-typo');
    const r = knsim(['run', scenario('typo', 200, '', '  - { revision: flaky-00009, coldStarts: { max: 1 } }'), '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`knsim: ${join(dir, 'typo.yaml')}: checks[0].revision: no revision named "flaky-00009" in the run ("flaky-00001")\n`);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
    const unknown = knsim(['run', scenario('unknown', 200, '', '  - { load: nope, p99Ms: { max: 1s } }')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('checks[0].load: no load is named "nope" ("l")');
  });
});
