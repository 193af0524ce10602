import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { knsim } from '../helpers.js';

/**
 * The calibration of docs/calibration.md, reproduced with the doc's own `knsim hey` command (read
 * from the doc, so the doc and the test cannot drift apart) against the published autoscale-go
 * run (knative/docs code-samples/serving/autoscale-go README: 178.7861 req/s, p50 0.2801 s, p99
 * 0.5457 s, 5 pods). Issue 17 asks requests/s and p50 within 15 %, p99 within 25 %, 5 pods.
 */
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const doc = readFileSync(`${repoRoot}docs/calibration.md`, 'utf8');

/** The `sh` block after `<!-- calibration-command -->`, as argv (backslash-newlines joined, '…' and "…" unquoted). */
export function docCommand(text: string, marker = '<!-- calibration-command -->'): string[] {
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`docs/calibration.md has no ${marker}`);
  const block = /```sh\n([\s\S]*?)```/.exec(text.slice(at))![1]!.replace(/\\\n/g, ' ');
  const args: string[] = [];
  for (const m of block.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)) args.push(m[1] ?? m[2] ?? m[3]!);
  return args;
}

const within = (x: number, target: number) => Math.abs(x - target) / target;

describe("the published autoscale-go run with docs/calibration.md's knsim hey command", () => {
  const argv = docCommand(doc);
  it('is a knsim hey command on the docs sample, -z 30s -c 50 and the published query', () => {
    expect(argv.slice(0, 2)).toEqual(['knsim', 'hey']);
    expect(argv).toContain('http://autoscale-go.default.example.com?sleep=100&prime=10000&bloat=5');
    expect(argv.join(' ')).toContain('-z 30s -c 50');
  });

  const r = knsim([...argv.slice(1), '--json'], { cwd: repoRoot });
  const out = JSON.parse(r.stdout) as {
    summary: { requestsPerSecond: number };
    latencyDistribution: { p50: number; p99: number };
    statusCodes: Record<string, number>;
    revisions: Record<string, { readyPodsAtEnd: number }>;
  };

  it('requests/s and p50 within 15 % of the published run, 5 pods at the end, every answer a 200', () => {
    expect(r.code).toBe(0);
    expect(within(out.summary.requestsPerSecond, 178.7861)).toBeLessThanOrEqual(0.15);
    expect(within(out.latencyDistribution.p50, 0.2801)).toBeLessThanOrEqual(0.15);
    expect(out.revisions['autoscale-go-00001']!.readyPodsAtEnd).toBe(5);
    expect(Object.keys(out.statusCodes)).toEqual(['200']);
  });

  it('p99: the run gives the 0.7193 s docs/calibration.md quotes', () => {
    // Held where it is so that a change that moves it shows (and the doc is updated with it).
    expect(out.latencyDistribution.p99).toBeCloseTo(0.7193, 3);
  });

  // Issue 17 asks p99 within 25 % of the published run; knsim's is +32 % (docs/calibration.md,
  // "The p99 gap"). An expected failure: it turns red when a mechanism brings p99 into the band.
  it.fails('p99 within 25 % of the published 0.5457 s (not met: the one-pod first seconds)', () => {
    expect(within(out.latencyDistribution.p99, 0.5457)).toBeLessThanOrEqual(0.25);
  });
});

describe('--latency NAME=DISTRIBUTION (the flag the calibration command needs for its client across the internet)', () => {
  const svc = `${repoRoot}docs/calibration/service.yaml`;
  const url = 'http://autoscale-go.default.example.com?sleep=100';
  it('replaces one calibrated latency: the client to the load balancer, both ways', () => {
    const base = knsim(['curl', '-f', svc, '-s', '-o', '/dev/null', '-w', '%{time_total}', url]);
    const far = knsim(['curl', '-f', svc, '--latency', 'clientToLoadBalancer=const(50ms)', '-s', '-o', '/dev/null', '-w', '%{time_total}', url]);
    expect(base.code).toBe(0);
    expect(far.code).toBe(0);
    expect(Number(far.stdout) - Number(base.stdout)).toBeGreaterThan(0.045);
  });
  it('an unknown name or a missing distribution is a mistake (exit 2) naming it', () => {
    const r = knsim(['hey', '-n', '1', '-c', '1', '-f', svc, '--latency', 'nope=const(1ms)', url]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('latencies.nope: unknown latency');
    const m = knsim(['hey', '-n', '1', '-c', '1', '-f', svc, '--latency', 'clientToLoadBalancer', url]);
    expect(m.code).toBe(2);
    expect(m.stderr).toContain('--latency takes NAME=DISTRIBUTION');
  });
});
