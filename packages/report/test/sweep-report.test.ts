import { describe, expect, it } from 'vitest';
import { axisSeries, figureLabel, keyFigures, meanText, renderSweepReport, seedsText, sweepFigures, type SweepJson } from '../src/index.js';

// Issue 18: "DIR/report.html compares combinations (figures against each axis, with intervals)".

const agg = (mean: number, half: number | null) => ({ mean, sd: half === null ? null : half / 2, ci95: half === null ? null : ([mean - half, mean + half] as [number, number]) });

/** A sweep.json of 2 × 2 combinations over seeds 1..3 as `knsim sweep` writes it; the last combination's runs all failed. */
function sweep(o: { name?: string; value?: string; error?: string } = {}): SweepJson {
  const windows = ['30s', '60s'];
  const targets = ['10', o.value ?? '50'];
  const combinations: SweepJson['combinations'] = [];
  const runs: SweepJson['runs'] = [];
  windows.forEach((w, i) =>
    targets.forEach((t, j) => {
      const parameters = { 'config.config-autoscaler.stable-window': w, 'annotations.hello.autoscaling.knative.dev/target': t };
      const dead = i === 1 && j === 1;
      for (const seed of [1, 2, 3]) runs.push(dead ? { parameters, seed, error: o.error ?? 'Service default/hello is not Ready after 600s' } : { parameters, seed, coldStarts: 1 + j, 'loads.burst.latencyMs.p99': 100 * (i + 1) + seed });
      combinations.push(
        dead
          ? { parameters, runs: 0, failed: 3 }
          : {
              parameters,
              runs: 3,
              failed: 0,
              coldStarts: agg(1 + j, 0),
              'loads.burst.latencyMs.p50': agg(50 * (i + 1), 5),
              'loads.burst.latencyMs.p99': agg(100 * (i + 1) + 2, 20 + j),
              'loads.burst.status.200': agg(90, 3),
              'loads.burst.status.503': agg(10 * j, 2),
              'loads.burst.sent': agg(100, 0),
              maxReadyPods: agg(3 + i, 1),
              'checks.passed': agg(1, 0),
              'checks.failed': agg(0, 0),
            },
      );
    }),
  );
  return {
    sweep: o.name ?? 'window-vs-latency',
    scenario: o.name ?? 'scale-from-zero',
    seeds: [1, 2, 3],
    axes: [
      { name: 'config.config-autoscaler.stable-window', values: windows },
      { name: 'annotations.hello.autoscaling.knative.dev/target', values: targets },
    ],
    runs,
    combinations,
  };
}

const chart = (html: string, id: string) => new RegExp(`<figure class="chart" data-chart="${id}">[\\s\\S]*?</figure>`).exec(html)?.[0];

describe('the sweep report data', () => {
  it('reads every aggregated figure and picks the key ones: p50/p99 per load, cold starts, max ready pods, 5xx answers, checks', () => {
    const names = sweepFigures(sweep());
    expect(names).toContain('loads.burst.sent');
    expect(names).not.toContain('runs');
    expect(keyFigures(names)).toEqual(['loads.burst.latencyMs.p50', 'loads.burst.latencyMs.p99', 'coldStarts', 'maxReadyPods', 'loads.burst.status.503', 'checks.passed', 'checks.failed']);
    expect(figureLabel('loads.burst.latencyMs.p99')).toBe('load burst: p99 latency (ms)');
    expect(figureLabel('loads.burst.status.503')).toBe('load burst: 503 answers');
    expect(figureLabel('requests.cold.latencyMs')).toBe('request cold: latency (ms)');
    expect(seedsText([1, 2, 3, 4])).toBe('1..4');
    expect(seedsText([1, 5, 9])).toBe('1, 5, 9');
    expect(meanText(agg(678.6773, 78.3911))).toBe('678.677 ± 78.391');
    expect(meanText(agg(3, null))).toBe('3');
  });

  it('a figure against an axis: one series per combination of the other axes, a gap where every run failed', () => {
    const s = axisSeries(sweep(), 'config.config-autoscaler.stable-window', 'loads.burst.latencyMs.p99');
    expect(s.map((x) => x.name)).toEqual(['annotations.hello.autoscaling.knative.dev/target=10', 'annotations.hello.autoscaling.knative.dev/target=50']);
    expect(s[0]!.points.map((p) => [p.x, p.aggregate.mean, p.aggregate.ci95])).toEqual([['30s', 102, [82, 122]], ['60s', 202, [182, 222]]]);
    expect(s[1]!.points.map((p) => p.x)).toEqual(['30s']);
    const one = { ...sweep(), axes: [sweep().axes[0]!] };
    expect(axisSeries(one, 'config.config-autoscaler.stable-window', 'coldStarts').map((x) => x.name)).toEqual(['cold starts']);
  });
});

describe('renderSweepReport', () => {
  const input = { sweep: sweep(), command: 'knsim sweep window.yaml' };

  it('has the header (name, scenario, seeds, axes, reproduce command), the combinations with mean ± interval, the charts and the failed runs', () => {
    const html = renderSweepReport(input);
    expect([...html.matchAll(/<section id="([^"]+)">/g)].map((m) => m[1])).toEqual(['combinations', 'axes', 'all-figures', 'failed']);
    expect(html).toContain('<h1>window-vs-latency</h1>');
    expect(html).toContain('<dt>seeds</dt><dd>1..3</dd>');
    expect(html).toContain('<li><code>config.config-autoscaler.stable-window</code>: <code>30s</code>, <code>60s</code></li>');
    expect(html).toContain('<code>knsim sweep window.yaml</code>');
    expect(html).toContain('<td title="95% interval 182 to 222, sd 10">202 ± 20</td>');
    expect(html).toContain('<td>Service default/hello is not Ready after 600s</td>');
    for (const axis of ['config_config-autoscaler_stable-window', 'annotations_hello_autoscaling_knative_dev_target'])
      for (const f of ['loads_burst_latencyMs_p50', 'loads_burst_latencyMs_p99', 'coldStarts', 'maxReadyPods', 'loads_burst_status_503', 'checks_passed', 'checks_failed']) expect(html, `${axis} ${f}`).toContain(`data-chart="sweep-${axis}-${f}"`);
  });

  it('draws each mean with its interval as an error bar, a line per series, the axis values as categories', () => {
    const c = chart(renderSweepReport(input), 'sweep-config_config-autoscaler_stable-window-loads_burst_latencyMs_p99')!;
    expect(c).toBeDefined();
    // Two series: target=10 over both windows, target=50 over 30s only (60s failed).
    expect(c.match(/<path class="series" d="M[\d.]+,[\d.]+/g)).toHaveLength(2);
    const bars = [...c.matchAll(/<path class="series ci" d="([^"]+)"/g)].map((m) => m[1]!);
    expect(bars).toHaveLength(2);
    // One whisker (a vertical line and two caps) per point: 2 in the first series, 1 in the second.
    expect(bars.map((d) => (d.match(/V/g) ?? []).length)).toEqual([2, 1]);
    // The bar spans the interval: its ends are further apart for the wider interval of a higher mean.
    const span = (d: string) => [...d.matchAll(/M[\d.]+,([\d.]+)V([\d.]+)/g)].map((m) => Number(m[1]) - Number(m[2]));
    expect(span(bars[0]!)[0]).toBeGreaterThan(0);
    expect(c).toContain('>30s</text>');
    expect(c).toContain('>60s</text>');
    expect(c).toContain('<title>config.config-autoscaler.stable-window=60s, annotations.hello.autoscaling.knative.dev/target=10: 202 ± 20 (95% interval 182 to 222, sd 10, 3 run(s))</title>');
  });

  it('marks a count\'s axis at whole numbers only, a latency\'s at any tick', () => {
    const html = renderSweepReport(input);
    const yTicks = (id: string) => [...chart(html, id)!.matchAll(/<text class="tick" x="52"[^>]*>([^<]+)<\/text>/g)].map((m) => m[1]);
    expect(yTicks('sweep-config_config-autoscaler_stable-window-coldStarts')).toEqual(['0', '1', '2']);
    expect(yTicks('sweep-config_config-autoscaler_stable-window-loads_burst_latencyMs_p50')).toEqual(['0', '20', '40', '60', '80', '100']);
  });

  it('labels at most a dozen or so of an axis\'s values, a tick mark for each', () => {
    const values = Array.from({ length: 40 }, (_, i) => String(i + 1));
    const doc: SweepJson = { sweep: 'rates', scenario: 's', seeds: [1, 2], axes: [{ name: 'loads.l.rps', values }], runs: [], combinations: values.map((v, i) => ({ parameters: { 'loads.l.rps': v }, runs: 2, failed: 0, coldStarts: agg(i, 1) })) };
    const c = chart(renderSweepReport({ sweep: doc, command: 'knsim sweep rates.yaml' }), 'sweep-loads_l_rps-coldStarts')!;
    expect(c.match(/class="tickmark"/g)).toHaveLength(40);
    expect(c.match(/text-anchor="middle">\d+<\/text>/g)!.length).toBeLessThanOrEqual(14);
  });

  it('is one self-contained file: no script, no external URL, nothing to fetch', () => {
    expect(renderSweepReport(input)).not.toMatch(/<script|<link|<img|@import|url\(|src=|https?:/i);
  });

  it('is a pure function of sweep.json: the same document gives the same bytes', () => {
    expect(renderSweepReport({ sweep: sweep(), command: input.command })).toBe(renderSweepReport(input));
  });

  it('renders a hostile sweep name, scenario, annotation value, error and command as text', () => {
    for (const h of ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>']) {
      const html = renderSweepReport({ sweep: sweep({ name: h, value: h, error: h }), command: `knsim sweep '${h}'` });
      expect(html).not.toContain('<script');
      expect(html).not.toContain('<img');
      expect(html).not.toMatch(/<[^>]*\sonerror=/);
      expect(html).toContain(h.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'));
    }
  });

  it('stays under 2 MB for a sweep of 1,000 combinations over 3 axes of 10 values', () => {
    const values = Array.from({ length: 10 }, (_, i) => String(i * 10));
    const axes = ['loads.burst.rps', 'config.config-autoscaler.stable-window', 'annotations.hello.autoscaling.knative.dev/target'].map((name) => ({ name, values }));
    const combinations: SweepJson['combinations'] = [];
    for (const a of values) for (const b of values) for (const c of values) combinations.push({ parameters: { [axes[0]!.name]: a, [axes[1]!.name]: b, [axes[2]!.name]: c }, runs: 8, failed: 0, ...Object.fromEntries(['coldStarts', 'maxReadyPods', 'loads.burst.latencyMs.p50', 'loads.burst.latencyMs.p99', 'loads.burst.status.503', 'loads.burst.status.200', 'checks.passed'].map((f, k) => [f, agg(Number(a) + Number(b) * 0.5 + k, 1.5)])) });
    const html = renderSweepReport({ sweep: { sweep: 'big', scenario: 'scale-from-zero', seeds: [1, 2, 3, 4, 5, 6, 7, 8], axes, runs: [], combinations }, command: 'knsim sweep big.yaml' });
    expect(html.length).toBeLessThan(2_000_000);
    // Ten values: every one labelled.
    expect(chart(html, 'sweep-loads_burst_rps-coldStarts')!.match(/text-anchor="middle">\d+<\/text>/g)).toHaveLength(10);
    expect(html).toContain('(the first 8 of 100 combinations of the other axes; the table has them all)');
  });
});
