import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_DIR } from '@knsim/scenarios';
import { knsim } from '../helpers.js';

// Issue 15: "--set with an unknown ConfigMap or key [...] exits 0 silently" is listed among what
// should be rejected, and a setting knsim accepts must have its effect: on the command line an
// override nothing reads is refused, exit 2, one line naming it (issue 10.12's warning stays for
// applied ConfigMaps and a scenario's cluster.config, where Knative meets and ignores them).
describe('knsim curl --set with an unknown ConfigMap or key', () => {
  const hello = join(BUILTIN_DIR, 'life-of-a-request', 'hello.yaml');
  for (const [set, want] of [
    ['config-network.domain-templat={{.Name}}', 'knsim: --set: config config-network: unknown key "domain-templat"; Knative does not read it, so it has no effect'],
    ['config-nope.x=1', 'knsim: --set: config config-nope: not a Knative Serving ConfigMap'],
    ['config-observability.metrics.backend-destination=prometheus', 'knsim: --set: config config-observability: knsim does not simulate what this ConfigMap configures'],
  ] as const) {
    it(`${set}: exit 2, one line naming it, nothing answered`, () => {
      const r = knsim(['curl', '--set', set, '-f', hello, 'http://hello.default.example.com/']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
      expect(r.stderr.startsWith(want), r.stderr).toBe(true);
    });
  }
  it('knsim hey refuses it the same way', () => {
    const r = knsim(['hey', '-n', '1', '-c', '1', '--set', 'config-autoscaler.stable-windw=30s', '-f', hello, 'http://hello.default.example.com/']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('knsim: --set: config config-autoscaler: unknown key "stable-windw"');
  });
  it('an applied ConfigMap with an unknown key is still only warned about (Knative ignores it)', () => {
    const r = knsim(['curl', '-f', '-', '-f', hello, 'http://hello.default.example.com/'], {
      input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config-network\n  namespace: knative-serving\ndata:\n  domain-templat: "{{.Name}}"\n',
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('Hello World!\n');
    expect(r.stderr).toContain('unknown key "domain-templat"');
  });
});

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
