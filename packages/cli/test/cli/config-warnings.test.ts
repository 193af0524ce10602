import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_DIR } from '@knsim/scenarios';
import { knsim } from '../helpers.js';

// Issue 10.12: --set with a ConfigMap or key nothing reads is warned about on stderr; the request still runs.
describe('knsim curl --set with an unknown ConfigMap or key', () => {
  it('warns on stderr and answers', () => {
    const r = knsim(['curl', '--set', 'config-network.domain-templat={{.Name}}', '--set', 'config-nope.x=1', '-f', join(BUILTIN_DIR, 'life-of-a-request', 'hello.yaml'), 'http://hello.default.example.com/']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('Hello World!\n');
    expect(r.stderr).toContain('Warning: config config-network: unknown key "domain-templat"; Knative does not read it, so it has no effect');
    expect(r.stderr).toContain('Warning: config config-nope: not a Knative Serving ConfigMap');
  });
});
