import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUILTIN_DIR } from '@knsim/scenarios';
import { knsim } from '../helpers.js';

const seedFile = (scenario: string, file: string) => join(BUILTIN_DIR, scenario, file);

describe('knsim curl', () => {
  it('runs the routing seed as its README does: curl -H "Host: example.com" http://gateway/search', () => {
    const r = knsim(['curl', '-f', seedFile('routing-across-services', 'sample.yaml'), '-f', seedFile('routing-across-services', 'routing.yaml'), '-H', 'Host: example.com', 'http://gateway/search']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Search Service is called !\n');
  });

  it('--json prints one document with responses and a summary; -n and --rps send several', () => {
    const r = knsim(['curl', '-f', seedFile('gray-release', 'revision-v1.yaml'), '-f', seedFile('gray-release', 'revision-v2.yaml'), '-n', '40', '--rps', '20', '--json', 'http://stock-service-example.default.example.com/']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.responses).toHaveLength(40);
    expect(doc.summary.count).toBe(40);
    expect(doc.summary.byStatus).toEqual({ '200': 40 });
    expect(Object.keys(doc.summary.byRevision).sort()).toEqual(['stock-service-example-v1', 'stock-service-example-v2']);
    expect(Object.keys(doc.summary.latencyMs)).toEqual(['p50', 'p90', 'p99', 'max']);
    expect(doc.responses[0].hops.map((h: { component: string }) => h.component)).toContain('gateway');
    expect(r.stderr).toContain('deprecated'); // the v1alpha1 warning goes to stderr, not into the JSON
  });

  it('-v prints the hops on stderr; --from-pod resolves through cluster DNS and the local gateway', () => {
    const r = knsim(['curl', '-v', '--from-pod', 'default', '-f', seedFile('life-of-a-request', 'hello.yaml'), 'http://hello.default.svc.cluster.local/']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Hello World!\n');
    expect(r.stderr).toMatch(/gateway\s+istio-ingressgateway-\S+:8081/);
  });

  it('--set CONFIGMAP.KEY=VALUE changes Knative config, with dotted keys and empty values', () => {
    const r = knsim(['curl', '--set', 'config-domain.foo.dev=', '-f', seedFile('life-of-a-request', 'hello.yaml'), 'http://hello.default.foo.dev/']);
    expect(r.stdout).toBe('Hello World!\n');
    expect(knsim(['curl', '--set', 'nodot=1', 'http://x/']).code).toBe(2);
  });

  it("exits 2 naming the file for a missing or invalid manifest, and curl's 6 when the host cannot be resolved", () => {
    const missing = knsim(['curl', '-f', '/nonexistent.yaml', 'http://x/']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('/nonexistent.yaml: no such file');
    const nowhere = knsim(['curl', '-f', seedFile('life-of-a-request', 'hello.yaml'), 'http://nowhere.invalid/']);
    expect(nowhere.code).toBe(6);
    expect(nowhere.stderr).toContain('Could not resolve host: nowhere.invalid');
  });
});

describe('knsim validate', () => {
  it('prints valid for the seed manifests', () => {
    const r = knsim(['validate', '-f', seedFile('gray-release', 'revision-v1.yaml'), '-f', seedFile('gray-release', 'revision-v2.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('valid\n');
  });

  it('prints Knative\'s message and exits 1 for an invalid object; names file and line of malformed YAML', () => {
    const dir = mkdtempSync(join(tmpdir(), 'knsim-v-'));
    const bad = join(dir, 'bad.yaml');
    const broken = join(dir, 'broken.yaml');
    writeFileSync(bad, 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: x}\nspec:\n  template:\n    spec:\n      containers: [{image: a}]\n  traffic: [{latestRevision: true, percent: 90}]\n');
    writeFileSync(broken, 'apiVersion: v1\nkind: [oops\n');
    const r = knsim(['validate', '-f', bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Traffic targets sum to 90, want 100: spec.traffic');
    const b = knsim(['validate', '-f', broken]);
    expect(b.code).toBe(1);
    expect(b.stdout).toMatch(/broken\.yaml:3:\d+: /);
  });
});

describe('knsim run and knsim scenarios', () => {
  it('lists the built-ins', () => {
    const r = knsim(['scenarios', '--json']);
    expect(JSON.parse(r.stdout).map((b: { name: string }) => b.name)).toContain('gray-release');
  });

  it('writes DIR/summary.json, the same bytes for the same seed', () => {
    const out1 = mkdtempSync(join(tmpdir(), 'knsim-run-'));
    const out2 = mkdtempSync(join(tmpdir(), 'knsim-run-'));
    expect(knsim(['run', 'life-of-a-request', '--out', out1, '--quiet']).code).toBe(0);
    expect(knsim(['run', 'life-of-a-request', '--out', out2, '--quiet']).code).toBe(0);
    const a = readFileSync(join(out1, 'summary.json'), 'utf8');
    expect(a).toBe(readFileSync(join(out2, 'summary.json'), 'utf8'));
    expect(JSON.parse(a).requests.cold.hops.map((h: { component: string }) => h.component)).toContain('activator');
  });

  it('--json prints summary.json on stdout and writes nothing', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'knsim-json-'));
    const r = knsim(['run', 'scale-to-zero', '--json', '--seed', '4'], { cwd });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.scenario).toBe('scale-to-zero');
    expect(doc.seed).toBe(4);
    expect(existsSync(join(cwd, 'knsim-out'))).toBe(false);
  });

  it('runs a JavaScript scenario module exporting the same structure', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'knsim-mjs-'));
    writeFileSync(join(cwd, 'hello.yaml'), readFileSync(seedFile('life-of-a-request', 'hello.yaml'), 'utf8'));
    writeFileSync(
      join(cwd, 'scenario.mjs'),
      `export default { name: 'mod', manifests: [{ file: 'hello.yaml' }], steps: [{ load: { name: 'l', url: 'http://hello.default.example.com/', rps: 10, duration: '5s' } }] };\n`,
    );
    const r = knsim(['run', 'scenario.mjs', '--json'], { cwd });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.loads.l.completed).toBe(doc.loads.l.sent);
    expect(doc.loads.l.sent).toBeGreaterThan(20);
  });

  it('runs a TypeScript scenario module typed with defineScenario (examples/typed/scenario.ts)', () => {
    const file = fileURLToPath(new URL('../../../scenarios/examples/typed/scenario.ts', import.meta.url));
    const r = knsim(['run', file, '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.scenario).toBe('typed');
    expect(doc.requests.one.body).toBe('Hello World!\n');
  });

  it('exits 2 for an unknown scenario or a bad scenario file, writing nothing', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'knsim-bad-'));
    const u = knsim(['run', 'no-such-scenario'], { cwd });
    expect(u.code).toBe(2);
    expect(u.stderr).toContain('no scenario file or built-in scenario named "no-such-scenario"');
    writeFileSync(join(cwd, 's.yaml'), 'name: s\nsteps:\n  - load: { name: l, url: "http://x/", rps: fast, duration: 1s }\n');
    const b = knsim(['run', 's.yaml'], { cwd });
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('s.yaml: steps[0].load.rps: must be a number > 0, got "fast"');
    expect(existsSync(join(cwd, 'knsim-out'))).toBe(false);
  });
});
