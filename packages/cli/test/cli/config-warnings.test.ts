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

// Issue 15: "--set with an unknown ConfigMap or key, or a value of the wrong type" must not pass
// silently. An unknown ConfigMap or key warns (above: Knative ignores them too); a value of the
// wrong type is refused, exit 2, one line naming the ConfigMap and key — including the flags
// Knative itself reads loosely (features.go asFlag keeps the default for an unknown value,
// config-network reads anything but "Enabled" as Disabled): docs/cluster.md.
describe('knsim curl --set with a value of the wrong type', () => {
  const hello = join(BUILTIN_DIR, 'life-of-a-request', 'hello.yaml');
  for (const [set, want] of [
    ['config-autoscaler.stable-window=abc', 'knsim: config: config-autoscaler.stable-window: failed to parse data: failed to parse "stable-window": time: invalid duration "abc"'],
    ['config-autoscaler.container-concurrency-target-default=ten', 'knsim: config: config-autoscaler.container-concurrency-target-default: failed to parse data: failed to parse "container-concurrency-target-default": strconv.ParseFloat: parsing "ten": invalid syntax'],
    ['config-defaults.container-concurrency=1.5', 'knsim: config: config-defaults.container-concurrency: failed to parse "container-concurrency": strconv.ParseInt: parsing "1.5": invalid syntax'],
    ['config-features.multi-container=maybe', 'knsim: config: config-features.multi-container: failed to parse "multi-container": want one of Enabled, Allowed, Disabled, got "maybe" (Knative would keep the default, "Enabled", silently)'],
    ['config-network.auto-tls=yes', 'knsim: config: config-network.auto-tls: '],
  ] as const) {
    it(`${set}: exit 2, one line naming the ConfigMap and key`, () => {
      const r = knsim(['curl', '--set', set, '-f', hello, 'http://hello.default.example.com/']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
      expect(r.stderr.startsWith(want), r.stderr).toBe(true);
    });
  }
});
