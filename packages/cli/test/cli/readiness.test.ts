import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { knsim } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'knsim-ready-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const config = file(
  'config.yaml',
  `apiVersion: serving.knative.dev/v1
kind: Configuration
metadata: {name: hello}
spec:
  template:
    spec:
      containers: [{image: ghcr.io/knative/helloworld-go:latest}]
`,
);
const route = (target: string) => `apiVersion: serving.knative.dev/v1
kind: Route
metadata: {name: hello}
spec:
  traffic:
    - configurationName: ${target}
      percent: 100
`;

// Issue 10.5: curl waits for every applied Knative object, as `kubectl wait --for=condition=Ready`.
describe('knsim curl waits until every applied Knative object is Ready', () => {
  it('a Configuration and a standalone Route: the first request is answered, not 404', () => {
    const r = knsim(['curl', '-f', config, '-f', file('route.yaml', route('hello')), 'http://hello.default.example.com/']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('Hello World!\n');
  });

  it('a Route that never becomes Ready: exit 1 naming it and its condition', () => {
    const r = knsim(['curl', '--ready-timeout', '2m', '-f', file('bad-route.yaml', route('missing')), 'http://hello.default.example.com/']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Route default/hello is not Ready: ConfigurationMissing: Configuration "missing" referenced in traffic not found.');
  });

  it('a file that applies nothing (only empty documents) is warned about on stderr', () => {
    const empty = file('empty.yaml', '---\n---\n');
    const r = knsim(['curl', '-f', config, '-f', empty, '-f', file('route2.yaml', route('hello')), 'http://hello.default.example.com/']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Warning: ${empty}: no objects passed to apply (only empty documents)`);
  });
});
