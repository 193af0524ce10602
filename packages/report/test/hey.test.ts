import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HEY_CSV_HEADER, HeyStats, formatHey, goFixed, goPrintfNoArgs, heyCsvRow, heyHistogram, heyJson, heyLatencies, type HeyResult } from '../src/index.js';

// The expectations below are worked by hand from github.com/rakyll/hey requester/report.go
// (histogram, latencies, snapshot) and print.go (defaultTmpl, csvTmpl, formatNumber).

const ok = (duration: number, status = 200): HeyResult => ({ status, duration, conn: 0.01, dns: 0.01, req: 0, delay: duration - 0.01, res: 0, contentLength: 10, offset: 0 });

/** Ten answers of 0.1 … 1.0 s (the last a 503), and one that failed, over 2 s. */
function tenAndAnError(): HeyStats {
  const s = new HeyStats();
  for (let k = 1; k <= 10; k++) s.add(ok(k / 10, k === 10 ? 503 : 200));
  s.add({ ...ok(0.3), error: 'Get "http://x/": boom' });
  return s;
}

describe("hey's report (requester/print.go defaultTmpl)", () => {
  it('prints the summary, histogram, distribution, details, status codes and errors line by line as hey does', () => {
    const bar = '■'.repeat(40);
    const expected = [
      '',
      'Summary:',
      '  Total:\t2.0000 secs',
      '  Slowest:\t1.0000 secs',
      '  Fastest:\t0.1000 secs',
      '  Average:\t0.5500 secs',
      '  Requests/sec:\t5.5000',
      '  ',
      '  Total data:\t100 bytes',
      '  Size/request:\t10 bytes',
      '',
      'Response time histogram:',
      `  0.100 [1]\t|${bar}`,
      '  0.190 [0]\t|',
      `  0.280 [1]\t|${bar}`,
      `  0.370 [1]\t|${bar}`,
      `  0.460 [1]\t|${bar}`,
      `  0.550 [1]\t|${bar}`,
      `  0.640 [1]\t|${bar}`,
      `  0.730 [1]\t|${bar}`,
      `  0.820 [1]\t|${bar}`,
      `  0.910 [1]\t|${bar}`,
      `  1.000 [1]\t|${bar}`,
      '',
      '',
      'Latency distribution:',
      '  10% in 0.2000 secs',
      '  25% in 0.4000 secs',
      '  50% in 0.6000 secs',
      '  75% in 0.9000 secs',
      '  90% in 1.0000 secs',
      // hey prints a zero entry for a percentile it found no answer for.
      '  0% in 0.0000 secs',
      '  0% in 0.0000 secs',
      '',
      'Details (average, fastest, slowest):',
      '  DNS+dialup:\t0.0100 secs, 0.0100 secs, 0.0100 secs',
      '  DNS-lookup:\t0.0100 secs, 0.0100 secs, 0.0100 secs',
      '  req write:\t0.0000 secs, 0.0000 secs, 0.0000 secs',
      '  resp wait:\t0.5400 secs, 0.0900 secs, 0.9900 secs',
      '  resp read:\t0.0000 secs, 0.0000 secs, 0.0000 secs',
      '',
      'Status code distribution:',
      '  [200]\t9 responses',
      '  [503]\t1 responses',
      '',
      'Error distribution:',
      '  [1]\tGet "http://x/": boom',
      '',
      '',
    ];
    expect(formatHey(tenAndAnError().report(2)).split('\n')).toEqual(expected);
  });

  it('without a Content-Length leaves out the data lines, and with no answer at all prints NaN averages and empty sections, as hey does', () => {
    const s = new HeyStats();
    s.add({ ...ok(0.2), contentLength: -1 });
    expect(formatHey(s.report(1)).split('\n').slice(6, 10)).toEqual(['  Requests/sec:\t1.0000', '  ', '', 'Response time histogram:']);
    const none = new HeyStats();
    none.add({ ...ok(0.1), error: 'Get "http://x/": dial tcp: lookup x: no such host' });
    const text = formatHey(none.report(0.001));
    expect(text).toContain('  Average:\t NaN secs\n');
    expect(text).toContain('  Requests/sec:\t1000.0000\n');
    expect(text).toContain('Response time histogram:\n\n\nLatency distribution:\n\nDetails');
    expect(text).toContain('  DNS+dialup:\t NaN secs, 0.0000 secs, 0.0000 secs\n');
    expect(text).toContain('Status code distribution:\n\nError distribution:\n  [1]\tGet "http://x/": dial tcp: lookup x: no such host\n\n');
  });

  it('sorts status codes by number and errors by text (text/template ranges over a map in key order)', () => {
    const s = new HeyStats();
    for (const st of [503, 200, 404, 200]) s.add(ok(0.1, st));
    s.add({ ...ok(0.1), error: 'b' });
    s.add({ ...ok(0.1), error: 'a' });
    const r = s.report(1);
    expect(r.statusCodes).toEqual([[200, 2], [404, 1], [503, 1]]);
    expect(r.errors).toEqual([['a', 1], ['b', 1]]);
  });
});

describe('report.go latencies and histogram', () => {
  it('a percentile is the first answer whose index i has i*100/n (integer division) at or past it, one percentile per answer', () => {
    // n = 3: i = 0, 1, 2 give 0, 33, 66. hey moves to the next percentile only on the next
    // answer, so index 1 gives p10, index 2 gives p25, and p50 onwards find none.
    expect(heyLatencies([1, 2, 3])).toEqual([
      { percentage: 10, latency: 2 },
      { percentage: 25, latency: 3 },
      { percentage: 0, latency: 0 },
      { percentage: 0, latency: 0 },
      { percentage: 0, latency: 0 },
      { percentage: 0, latency: 0 },
      { percentage: 0, latency: 0 },
    ]);
  });

  it('law: the histogram has 11 marks from the fastest to the slowest and counts every latency once', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.0001, max: 100, noNaN: true }), { minLength: 1, maxLength: 300 }), (xs) => {
        const sorted = Float64Array.from(xs).sort();
        const h = heyHistogram(sorted, sorted[0]!, sorted[sorted.length - 1]!);
        expect(h).toHaveLength(11);
        expect(h[0]!.mark).toBe(sorted[0]);
        expect(h[10]!.mark).toBe(sorted[sorted.length - 1]);
        expect(h.reduce((a, b) => a + b.count, 0)).toBe(xs.length);
      }),
    );
  });
});

describe("Go's number formatting", () => {
  it('rounds an exact tie to even, as strconv does (JavaScript rounds it up)', () => {
    expect((0.03125).toFixed(4)).toBe('0.0313');
    expect(goFixed(0.03125, 4)).toBe('0.0312');
    expect(goFixed(0.09375, 4)).toBe('0.0938');
    expect(goFixed(2.5, 0)).toBe('2');
    expect(goFixed(0.00015, 4)).toBe('0.0001'); // not a tie: the double is just below
    expect(goFixed(0.0625, 3, 4)).toBe('0.062');
  });

  it("pads NaN to the width and writes infinities as Go's %f does", () => {
    expect(goFixed(NaN, 4, 4)).toBe(' NaN');
    expect(goFixed(Infinity, 4, 4)).toBe('+Inf');
  });

  it('prints the rendered template as a format string: %% is %, another verb is %!v(MISSING)', () => {
    expect(goPrintfNoArgs('99%% in')).toBe('99% in');
    expect(goPrintfNoArgs('Get "http://x/a%2Fb"')).toBe('Get "http://x/a%!F(MISSING)b"');
  });
});

describe('hey -o csv and knsim hey --json', () => {
  it("writes hey's header and one row per answer, each after a newline", () => {
    expect(HEY_CSV_HEADER).toBe('response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset');
    expect(heyCsvRow({ ...ok(0.25), offset: 1.5 })).toBe('\n0.2500,0.0100,0.0100,0.0000,0.2400,0.0000,200,1.5000');
  });

  it('keeps a failed answer out of the CSV (hey writes only answers with a status)', () => {
    const s = new HeyStats();
    expect(s.add(ok(0.1))).toBe(true);
    expect(s.add({ ...ok(0.1), error: 'x' })).toBe(false);
  });

  it('gives the figures in seconds as hey prints them, null for a percentile hey has none for', () => {
    const j = heyJson(tenAndAnError().report(2), { 'hello-00001': { readyPodsAtEnd: 1, maxReadyPods: 3 } });
    expect(j).toEqual({
      summary: { total: 2, slowest: 1, fastest: 0.1, average: 0.55, requestsPerSecond: 5.5 },
      latencyDistribution: { p10: 0.2, p25: 0.4, p50: 0.6, p75: 0.9, p90: 1, p95: null, p99: null },
      statusCodes: { '200': 9, '503': 1 },
      errors: { 'Get "http://x/": boom': 1 },
      revisions: { 'hello-00001': { readyPodsAtEnd: 1, maxReadyPods: 3 } },
    });
  });
});
