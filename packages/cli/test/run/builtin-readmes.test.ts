import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUILTIN_DIR } from '@knsim/scenarios';
import type { SummaryJson } from '@knsim/report';

/**
 * The built-ins' READMEs quote their own runs. The golden test keeps each run's summary.json
 * equal to test/golden/run-<name>.json, so checking a README against that file checks it
 * against the run.
 */
const summary = (name: string) => JSON.parse(readFileSync(fileURLToPath(new URL(`../golden/run-${name}.json`, import.meta.url)), 'utf8')) as SummaryJson;
const readme = (name: string) => readFileSync(join(BUILTIN_DIR, name, 'README.md'), 'utf8');

type PodLine = SummaryJson['revisions'][string]['pods'][number];
const byPod = (lines: readonly PodLine[]) => {
  const out = new Map<string, PodLine[]>();
  for (const l of lines) out.set(l.pod, [...(out.get(l.pod) ?? []), l]);
  return [...out.values()];
};

describe("the built-in scenarios' READMEs quote their runs", () => {
  it('scale-to-zero: the woken pod\'s watch, with kubectl\'s truncated ages', () => {
    const s = summary('scale-to-zero');
    const pods = byPod(s.revisions['hello-00001']!.pods);
    const woken = pods.at(-1)!;
    const created = woken[0]!.tMs;
    const expected = woken.map((l) => `hello-00001-deployment-…   ${l.ready}     ${l.status.padEnd(18)}  ${Math.trunc((l.tMs - created) / 1000)}s`);
    const block = /```\nNAME[^\n]*\n([\s\S]*?)```/.exec(readme('scale-to-zero'))![1]!.trimEnd().split('\n');
    expect(block).toEqual(expected);
    expect(s.requests.wake!.status).toBe(200);
  });

  it('scale-from-zero: image pulls on the other nodes, burst latencies and the pods it reached', () => {
    const s = summary('scale-from-zero');
    const text = readme('scale-from-zero');
    const rev = s.revisions['autoscale-00001']!;
    // Pending → Running 2/2 per pod; the burst's pods that pulled the image are the slow ones.
    const startup = byPod(rev.pods).map((ls) => ls.find((l) => l.status === 'Running' && l.ready === '2/2')!.tMs - ls[0]!.tMs);
    const burst = byPod(rev.pods).slice(1).map((ls) => ls.find((l) => l.status === 'Running' && l.ready === '2/2')!.tMs - ls[0]!.tMs);
    const pulled = burst.filter((ms) => ms > 1500).sort((a, b) => a - b);
    expect(pulled).toHaveLength(2);
    const [a, b] = pulled.map((ms) => (ms / 1000).toFixed(1));
    expect(text).toContain(`taking ${a} s and\n  ${b} s`);
    expect(Math.min(...startup)).toBeLessThan(600);
    const l = s.loads.burst!.latencyMs;
    expect(text).toContain(`slowest request takes ${Math.round(l.max)} ms (p99 ${Math.round(l.p99)} ms`);
    expect(text).toContain(`about ${Math.round(l.p50)} ms (p50)`);
    expect(text).toContain(`reaches ${rev.maxReadyPods}\n  ready pods`);
  });

  it('higress-plugins: the split share and the plugin decision counts', () => {
    const s = summary('higress-plugins');
    const text = readme('higress-plugins');
    const share = (100 * s.loads.split!.byRevision['hello-00001']!) / s.loads.split!.completed;
    expect(text).toContain(`(${share.toFixed(1)} % on \`hello-00001\` in this run)`);
    const auth = s.plugins!['higress-system/key-auth (key-auth)']!;
    const rate = s.plugins!['higress-system/key-rate-limit (key-rate-limit)']!;
    expect(text).toContain(`(${auth['allow']} allow, ${auth['deny 401']} deny 401, ${auth['deny 403']} deny 403 for key-auth; ${rate['allow']} allow, ${rate['limited 429']}\n  limited 429, ${rate['skip']} skip for key-rate-limit)`);
  });
});
