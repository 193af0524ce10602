import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_DIR } from '@knsim/scenarios';
import { normalizeHeyArgs } from '../../src/hey-args.js';
import { magicDomain, withMagicDomain } from '../../src/magic-dns.js';
import { knsim, REDIRECT_VS } from '../helpers.js';

// knsim hey follows github.com/rakyll/hey: hey.go (flags and their checks), requester/requester.go
// (workers, -q ticker, timeout) and requester/print.go (the report and the CSV).

const hello = join(BUILTIN_DIR, 'life-of-a-request', 'hello.yaml');
const URL_ = 'http://hello.default.example.com/';
const dir = mkdtempSync(join(tmpdir(), 'knsim-hey-'));

/** The Knative docs' autoscale-go sample (serving/autoscaling/autoscale-go/service.yaml), as the calibration keeps it. */
const autoscale = fileURLToPath(new URL('../../../../docs/calibration/service.yaml', import.meta.url));
const slow = join(dir, 'slow.yaml');
writeFileSync(slow, `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: slow
spec:
  template:
    metadata:
      annotations:
        knsim.dev/service-time: "const(1500ms)"
    spec:
      containers:
      - image: example.com/slow:v1
`);
const moved = join(dir, 'moved.yaml');
writeFileSync(moved, REDIRECT_VS);

const SECS = String.raw`\d+\.\d{4} secs`;
const DETAIL = String.raw`${SECS}, ${SECS}, ${SECS}`;

describe("knsim hey: hey's report", () => {
  it("prints hey's report line by line in its layout and units (print.go defaultTmpl)", () => {
    const r = knsim(['hey', '-f', hello, '-n', '100', '-c', '5', URL_]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const expected: RegExp[] = [
      /^$/,
      /^Summary:$/,
      new RegExp(`^  Total:\\t${SECS}$`),
      new RegExp(`^  Slowest:\\t${SECS}$`),
      new RegExp(`^  Fastest:\\t${SECS}$`),
      new RegExp(`^  Average:\\t${SECS}$`),
      /^ {2}Requests\/sec:\t\d+\.\d{4}$/,
      /^ {2}$/,
      /^ {2}Total data:\t1300 bytes$/,
      /^ {2}Size\/request:\t13 bytes$/,
      /^$/,
      /^Response time histogram:$/,
      ...Array.from({ length: 11 }, () => /^ {2}\d+\.\d{3} \[\d+\]\t\|■*$/),
      /^$/,
      /^$/,
      /^Latency distribution:$/,
      ...[10, 25, 50, 75, 90, 95, 99].map((p) => new RegExp(`^  ${p}% in ${SECS}$`)),
      /^$/,
      /^Details \(average, fastest, slowest\):$/,
      new RegExp(`^  DNS\\+dialup:\\t${DETAIL}$`),
      new RegExp(`^  DNS-lookup:\\t${DETAIL}$`),
      new RegExp(`^  req write:\\t${DETAIL}$`),
      new RegExp(`^  resp wait:\\t${DETAIL}$`),
      new RegExp(`^  resp read:\\t${DETAIL}$`),
      /^$/,
      /^Status code distribution:$/,
      /^ {2}\[200\]\t100 responses$/,
      /^$/,
      /^$/,
      /^$/,
      /^$/,
    ];
    expect(lines).toHaveLength(expected.length);
    lines.forEach((l, i) => expect(l, `line ${i + 1}`).toMatch(expected[i]!));
    // The histogram's counts add up, its tallest bar is 40 marks long.
    const bars = lines.slice(12, 23).map((l) => /\[(\d+)\]\t\|(■*)/.exec(l)!);
    expect(bars.reduce((a, m) => a + Number(m[1]), 0)).toBe(100);
    expect(Math.max(...bars.map((m) => m[2]!.length))).toBe(40);
    expect(r.stderr).toBe('knsim: revision hello-00001: 1 ready pod(s) at the end, at most 1 during the load\n');
  });

  it('the same seed gives byte-identical output; another seed another run', () => {
    const a = knsim(['hey', '-f', hello, '-n', '60', '-c', '3', '--seed', '4', URL_]);
    const b = knsim(['hey', '-f', hello, '-n', '60', '-c', '3', '--seed', '4', URL_]);
    const c = knsim(['hey', '-f', hello, '-n', '60', '-c', '3', '--seed', '5', URL_]);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).not.toBe(c.stdout);
  });

  it('-o csv writes hey\'s header and one row per answer with its status and offset, as the answers arrive', () => {
    const r = knsim(['hey', '-f', hello, '-n', '20', '-c', '4', '-o', 'csv', URL_]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset');
    expect(lines.slice(1, -1)).toHaveLength(20);
    for (const l of lines.slice(1, -1)) expect(l).toMatch(/^\d+\.\d{4},0\.0000,0\.0000,0\.0000,\d+\.\d{4},0\.0000,200,\d+\.\d{4}$/);
    expect(lines.at(-1)).toBe('');
    // The first four requests (one per worker) start at once.
    expect(lines.slice(1).filter((l) => l.endsWith(',0.0000'))).toHaveLength(4);
  });

  it('--json prints one document: summary, latencyDistribution, statusCodes, errors and each revision\'s pods', () => {
    const r = knsim(['hey', '-f', hello, '-n', '50', '-c', '5', '--json', URL_]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(['summary', 'latencyDistribution', 'statusCodes', 'errors', 'revisions']);
    expect(Object.keys(doc.summary)).toEqual(['total', 'slowest', 'fastest', 'average', 'requestsPerSecond']);
    expect(Object.keys(doc.latencyDistribution)).toEqual(['p10', 'p25', 'p50', 'p75', 'p90', 'p95', 'p99']);
    for (const v of [...Object.values(doc.summary), ...Object.values(doc.latencyDistribution)] as Array<number | null>) if (v !== null) expect(Math.round(v * 1e4) / 1e4).toBe(v);
    // 50 answers: hey's p99 needs i*100/50 >= 99 for an index i < 50, so it has none.
    expect(doc.latencyDistribution.p99).toBeNull();
    expect(doc.statusCodes).toEqual({ '200': 50 });
    expect(doc.errors).toEqual({});
    expect(doc.revisions).toEqual({ 'hello-00001': { readyPodsAtEnd: 1, maxReadyPods: 1 } });
    expect(doc.summary.slowest).toBeGreaterThanOrEqual(doc.latencyDistribution.p90);
  });
});

describe("knsim hey: hey's semantics", () => {
  it('streams: 100,000 answers run in a 32 MB old-generation heap (nothing is kept of an answer but its latency)', () => {
    const bin = fileURLToPath(new URL('../../bin/knsim.js', import.meta.url));
    const r = spawnSync(process.execPath, ['--max-old-space-size=32', bin, 'hey', '-f', hello, '-n', '100000', '-c', '50', '--json', URL_], { encoding: 'utf8', timeout: 240_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).statusCodes).toEqual({ '200': 100000 });
  });

  it("the Knative docs' command pastes as it is: -z 30s -c 50 on a Magic DNS (sslip.io) URL with a query", () => {
    const r = knsim(['hey', '-f', autoscale, '-z', '3s', '-c', '50', '--json', 'http://autoscale-go.default.1.2.3.4.sslip.io?sleep=100&prime=10000&bloat=5']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc.statusCodes)).toEqual(['200']);
    // -z: no request starts after 3 s; the run ends when the last answer is in.
    expect(doc.summary.total).toBeGreaterThanOrEqual(3);
    expect(doc.summary.total).toBeLessThan(3 + doc.summary.slowest + 0.001);
    expect(r.stderr).toContain('1.2.3.4.sslip.io is a Magic DNS (sslip.io) domain');
  });

  it("knsim curl resolves the same Magic DNS URL (the docs' curl command); a domain chosen with --set is kept", () => {
    const r = knsim(['curl', '-f', autoscale, '-s', '-o', '/dev/null', '-w', '%{http_code}', 'http://autoscale-go.default.1.2.3.4.sslip.io?sleep=100&prime=10000&bloat=5']);
    expect(r.stdout).toBe('200');
    expect(magicDomain('autoscale-go.default.1.2.3.4.sslip.io')).toBe('1.2.3.4.sslip.io');
    expect(magicDomain('hello.default.10.0.0.7.NIP.IO.')).toBe('10.0.0.7.nip.io');
    expect(magicDomain('hello.default.1.2.3.999.sslip.io')).toBeUndefined();
    expect(magicDomain('hello.default.example.com')).toBeUndefined();
    expect(withMagicDomain('http://a.b.1.2.3.4.sslip.io/', ['config-domain.foo.dev='])).toEqual({ sets: ['config-domain.foo.dev='] });
    expect(withMagicDomain('http://a.b.1.2.3.4.sslip.io/', ['x.y=z']).sets).toEqual(['x.y=z', 'config-domain.1.2.3.4.sslip.io=']);
  });

  it('each of -c workers sends n/c requests: -n 201 -c 50 sends 200, as hey ignores the remainder', () => {
    const r = knsim(['hey', '-f', hello, '-n', '201', '-c', '50', '--json', URL_]);
    expect(JSON.parse(r.stdout).statusCodes).toEqual({ '200': 200 });
  });

  it('-q is per worker: -n 10 -c 1 -q 10 sends one request every 100 ms, the first after 100 ms', () => {
    const doc = JSON.parse(knsim(['hey', '-f', hello, '-n', '10', '-c', '1', '-q', '10', '--json', URL_]).stdout);
    expect(doc.summary.total).toBeGreaterThanOrEqual(1);
    expect(doc.summary.total).toBeLessThan(1.01);
  });

  it("-t: a request not answered in time counts in the error distribution with Go's message, and knsim exits 1", () => {
    const r = knsim(['hey', '-f', slow, '-n', '2', '-c', '1', '-t', '1', 'http://slow.default.example.com/']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('\nError distribution:\n  [2]\tGet "http://slow.default.example.com/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)\n');
    expect(r.stdout).toContain('  Total:\t2.0000 secs\n');
    // -t 0 waits as long as it takes.
    expect(knsim(['hey', '-f', slow, '-n', '1', '-c', '1', '-t', '0', 'http://slow.default.example.com/']).code).toBe(0);
  });

  it("a name that does not resolve is Go's lookup error, exit 1", () => {
    const r = knsim(['hey', '-f', hello, '-n', '2', '-c', '1', 'http://nowhere.example.org/']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  [2]\tGet "http://nowhere.example.org/": dial tcp: lookup nowhere.example.org: no such host\n');
  });

  it('-host sets the Host header (Go flags: one dash, -flag=value, --flag)', () => {
    for (const args of [['-host', 'hello.default.example.com'], ['--host', 'hello.default.example.com'], ['-host=hello.default.example.com']]) {
      const r = knsim(['hey', '-f', hello, '-n=4', '-c=2', ...args, '--json', 'http://gateway/']);
      expect(JSON.parse(r.stdout).statusCodes, args.join(' ')).toEqual({ '200': 4 });
    }
  });

  it('follows a redirect as Go does, and -disable-redirects counts the 301', () => {
    const args = ['hey', '-f', hello, '-f', moved, '-n', '2', '-c', '1', '-host', 'moved.example.com', '--json'];
    expect(JSON.parse(knsim([...args, 'http://gateway/old']).stdout).statusCodes).toEqual({ '200': 2 });
    expect(JSON.parse(knsim([...args, '-disable-redirects', 'http://gateway/old']).stdout).statusCodes).toEqual({ '301': 2 });
  });
});

describe('knsim hey: mistakes exit 2 with one line', () => {
  const cases: Array<[string[], RegExp]> = [
    [['-n', '10', '-c', '20'], /^knsim: -n cannot be less than -c\.$/],
    [['-n', '0'], /^knsim: -n and -c cannot be smaller than 1\.$/],
    [['-z', '10s', '-c', '0'], /^knsim: -c cannot be smaller than 1\.$/],
    [['-n', '20000000', '-c', '1'], /^knsim: -n must be <= 10000000 \(knsim's limit, docs\/limits\.md\)/],
    [['-c', '200000', '-z', '1s'], /^knsim: -c must be <= 100000 workers/],
    [['-q', '2000000'], /^knsim: -q must be <= 1000000 per worker/],
    [['-z', '200d'], /^error: option '-z <duration>' argument '200d' is invalid\. -z: time: unknown unit "d" in duration "200d"/],
    [['-z', '2600h'], /-z: duration "2600h" is valid in Go but longer than knsim's limit of 2\^53 ns \(about 104 days\)/],
    [['-o', 'json'], /^knsim: -o: only csv is supported/],
    [['-h2'], /^knsim: -h2: knsim's client speaks HTTP\/1\.1/],
    [['-disable-keepalive'], /^knsim: -disable-keepalive: knsim models no client TCP connections/],
    [['-cpus', '4'], /^knsim: -cpus: /],
    [['-x', 'proxy:8080'], /^knsim: -x: knsim models no HTTP proxy/],
    [['-H', 'Host: a.example.com'], /^knsim: -H "Host: a\.example\.com": hey \(Go's net\/http\) ignores a Host header; use -host a\.example\.com$/],
    [['-H', 'nocolon'], /^knsim: -H: could not parse the provided input; input = nocolon$/],
    [['-a', 'nopassword'], /^knsim: -a: could not parse the provided input; input = nopassword$/],
    [['-m', 'BAD METHOD'], /^knsim: -m: net\/http: invalid method "BAD METHOD"$/],
    [['-D', '/no/such/file'], /^knsim: -D \/no\/such\/file: no such file$/],
    [['-n', 'x'], /-n takes a number/],
  ];
  it.each(cases)('hey %j', (args, message) => {
    const r = knsim(['hey', ...args, URL_]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(message);
  });

  it('a bad URL, and --json gives the mistake as a JSON document', () => {
    expect(knsim(['hey', 'ftp://x/']).stderr).toMatch(/^knsim: URL rejected: "ftp:\/\/x\/" is not an http:\/\/ or https:\/\/ URL/);
    const j = knsim(['hey', '-n', '1', '-c', '2', '--json', URL_]);
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stdout).error.message).toBe('-n cannot be less than -c.');
    const csv = knsim(['hey', '-o', 'csv', '--json', URL_]);
    expect([csv.code, JSON.parse(csv.stdout).error.message]).toEqual([2, '--json prints one JSON document: -o csv does not apply to it']);
  });

  it('--help shows the flags, Examples (the docs\' command among them) and Exit codes', () => {
    const r = knsim(['hey', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('-host <host>'.replace('-host', '--host'));
    expect(r.stdout).toContain('Examples:\n  $ knsim hey -f service.yaml -z 30s -c 50 "http://autoscale-go.default.1.2.3.4.sslip.io?sleep=100&prime=10000&bloat=5"');
    expect(r.stdout).toMatch(/Exit codes:\n {2}0 {2}success\n {2}1 {2}a request got a 5xx or no HTTP answer/);
    expect(knsim(['--help']).stdout).toMatch(/^ {2}hey \[options\] <url>/m);
  });
});

describe('normalizeHeyArgs: Go flag syntax to commander', () => {
  it('one-dash words, -flag=value, --letter, booleans with =true/=false; values are never rewritten', () => {
    expect(normalizeHeyArgs(['-host', 'h', '-n=5', '--c', '3', '-disable-redirects=true', '-disable-compression=false', '-d', '-host', '-f', '-n', 'URL'])).toEqual(['--host', 'h', '-n', '5', '-c', '3', '--disable-redirects', '-d', '-host', '-f', '-n', 'URL']);
    expect(normalizeHeyArgs(['--json', '-h', '--', '-host'])).toEqual(['--json', '-h', '--', '-host']);
  });
});
