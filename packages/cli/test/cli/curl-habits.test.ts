import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeCurlOutput } from '@knsim/report';
import { BUILTIN_DIR } from '@knsim/scenarios';
import { CurlSummaryBuilder } from '../../src/curl.js';
import { knsim, REDIRECT_VS } from '../helpers.js';

const hello = join(BUILTIN_DIR, 'life-of-a-request', 'hello.yaml');
const gray = (f: string) => join(BUILTIN_DIR, 'gray-release', f);
const URL_ = 'http://hello.default.example.com/';

describe("knsim curl: curl's flags", () => {
  it('-i prints the status line and headers before the body; -I sends HEAD and prints headers only', () => {
    const i = knsim(['curl', '-f', hello, '-i', URL_]);
    expect(i.code).toBe(0);
    expect(i.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(i.stdout).toContain('server: istio-envoy\r\n');
    expect(i.stdout.endsWith('\r\n\r\nHello World!\n')).toBe(true);
    const head = knsim(['curl', '-f', hello, '-I', URL_]);
    expect(head.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\n$/);
    expect(head.stdout).not.toContain('Hello World!');
  });

  it('-s -o FILE -w writes the body to the file and the simulated timings on stdout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'knsim-curl-'));
    const r = knsim(['curl', '-f', hello, '-s', '-o', join(dir, 'body'), '-w', '%{http_code} %{time_total} %{time_starttransfer}\\n', URL_]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'body'), 'utf8')).toBe('Hello World!\n');
    const m = /^200 (\d+\.\d{6}) (\d+\.\d{6})\n$/.exec(r.stdout);
    expect(m).not.toBeNull();
    // a cold start's first request: simulated seconds, not wall time
    expect(Number(m![1])).toBeGreaterThan(0);
    expect(Number(m![1])).toBeLessThan(5);
  });

  it("curl's exit codes: 6 when the host does not resolve, 28 past --max-time, 22 with --fail on a 4xx", () => {
    const six = knsim(['curl', '-f', hello, 'http://nowhere.invalid/']);
    expect(six.code).toBe(6);
    const late = knsim(['curl', '-f', hello, '--max-time', '0.0005', '-w', '%{http_code}', URL_]);
    expect(late.code).toBe(28);
    expect(late.stdout).toBe('000');
    expect(late.stderr).toContain('Operation timed out after 1 milliseconds');
    const notFound = knsim(['curl', '-f', hello, '-H', 'Host: unknown.example.com', '--fail', 'http://gateway/']);
    expect(notFound.code).toBe(22);
    expect(notFound.stderr).toContain('curl: (22) The requested URL returned error: 404');
    expect(knsim(['curl', '-f', hello, '-H', 'Host: unknown.example.com', 'http://gateway/']).code).toBe(0);
  });

  it('--resolve HOST:PORT:ADDR sends to ADDR with Host HOST; -L follows a redirect', () => {
    const r = knsim(['curl', '-f', hello, '--resolve', 'hello.default.example.com:80:gateway', 'http://hello.default.example.com/']);
    expect(r.stdout).toBe('Hello World!\n');
    const viaIp = knsim(['curl', '-f', hello, '--resolve', 'unknown.example.org:80:203.0.113.10', '-H', 'Host: hello.default.example.com', 'http://unknown.example.org/']);
    expect(viaIp.stdout).toBe('Hello World!\n');
    const dir = mkdtempSync(join(tmpdir(), 'knsim-redirect-'));
    writeFileSync(join(dir, 'moved.yaml'), REDIRECT_VS);
    const plain = knsim(['curl', '-f', hello, '-f', join(dir, 'moved.yaml'), '-w', '%{http_code}', '--resolve', 'moved.example.com:80:gateway', 'http://moved.example.com/old']);
    expect(plain.stdout).toBe('301');
    const followed = knsim(['curl', '-f', hello, '-f', join(dir, 'moved.yaml'), '-L', '-w', ' %{http_code} %{num_redirects}', '--resolve', 'moved.example.com:80:gateway', 'http://moved.example.com/old']);
    expect(followed.stdout).toBe('Hello World!\n 200 1');
  });

  it('-v prints each request numbered, with its time in ms rounded as before, as responses arrive', () => {
    const r = knsim(['curl', '-v', '-n', '2', '-f', hello, URL_]);
    expect(r.stdout).toBe('Hello World!\nHello World!\n');
    expect(r.stderr).toMatch(/^\* request 1: GET http:\/\/\S+ → HTTP 200 in \d+(\.\d{1,3})? ms from hello-00001 \(hello-00001-deployment-\S+\)$/m);
    expect(r.stderr).toMatch(/^\* request 2: GET http:\/\/\S+ → HTTP 200 in \d+(\.\d{1,3})? ms/m);
    // Each request is narrated from its own hops: the two gateway hops are not the same slice.
    const gateways = r.stderr.split('\n').filter((l) => /^\*\s+\+[\d.]+ ms\s+gateway /.test(l));
    expect(gateways).toHaveLength(2);
    expect(gateways[0]).not.toBe(gateways[1]);
    expect(r.stderr).toMatch(/^2 requests: 2× 200; latency p50 [\d.]+ ms, p99 [\d.]+ ms$/m);
  });

  it('a 404 with an empty body says on stderr that no manifest was applied', () => {
    const r = knsim(['curl', 'http://gateway/']);
    expect(r.stderr).toContain('no manifest was applied');
    expect(knsim(['curl', '-f', hello, '-H', 'Host: x.example.com', 'http://gateway/']).stderr).not.toContain('no manifest was applied');
  });

  it('--json --summary leaves out the per-response list and gives the same summary as the full document', () => {
    const args = ['curl', '-f', gray('revision-v1.yaml'), '-f', gray('revision-v2.yaml'), '-n', '200', '--rps', '50', '--json', 'http://stock-service-example.default.example.com/'];
    const full = JSON.parse(knsim(args).stdout);
    const summary = JSON.parse(knsim([...args, '--summary']).stdout);
    expect(Object.keys(summary)).toEqual(['summary']);
    expect(summary.summary).toEqual(full.summary);
  });

  it('--json with a large -n runs in memory that does not grow with it: 30,000 requests within a 48 MB heap, with or without --summary', () => {
    const bin = fileURLToPath(new URL('../../bin/knsim.js', import.meta.url));
    for (const extra of [[], ['--summary']]) {
      const r = spawnSync(process.execPath, ['--max-old-space-size=48', bin, 'curl', '-f', hello, '-n', '30000', '--json', ...extra, URL_], { encoding: 'utf8', maxBuffer: 1 << 30, timeout: 120_000 });
      expect(r.status, r.stderr.slice(0, 500)).toBe(0);
      const doc = JSON.parse(r.stdout);
      expect(doc.summary.count).toBe(30000);
      expect(doc.responses?.length).toBe(extra.length === 0 ? 30000 : undefined);
      // written as it goes, the document reads as JSON.stringify(doc, null, 2) prints it
      expect(r.stdout).toBe(JSON.stringify(doc, null, 2) + '\n');
    }
  });

  it("the streamed summary equals makeCurlOutput's over the same responses (law, any responses)", async () => {
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(
        fc.array(fc.record({ status: fc.constantFrom(0, 200, 404, 503), revision: fc.option(fc.constantFrom('a', 'b'), { nil: null }), body: fc.constantFrom('', 'x', 'y'), latencyMs: fc.double({ min: 0, max: 1e4, noNaN: true }) }), { maxLength: 3000 }),
        (rs) => {
          const b = new CurlSummaryBuilder();
          for (const r of rs) b.add(r);
          const full = makeCurlOutput(rs.map((r) => ({ ...r, headers: {}, pod: null, hops: [] })));
          expect(b.summary()).toEqual(full.summary);
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe("kubectl's and knsim's habits", () => {
  it('-f - reads manifests from stdin; -f DIR applies its .yaml/.yml/.json files in name order', () => {
    const stdin = knsim(['curl', '-f', '-', URL_], { input: readFileSync(hello, 'utf8') });
    expect(stdin.stdout).toBe('Hello World!\n');
    const dir = mkdtempSync(join(tmpdir(), 'knsim-dir-'));
    // revision-v2 updates the Service revision-v1 creates: name order matters
    copyFileSync(gray('revision-v1.yaml'), join(dir, '1-v1.yaml'));
    copyFileSync(gray('revision-v2.yaml'), join(dir, '2-v2.yml'));
    writeFileSync(join(dir, 'notes.txt'), 'not a manifest');
    const r = knsim(['get', 'rev', '-o', 'name', '-f', dir]);
    expect(r.stdout).toBe('revision.serving.knative.dev/stock-service-example-v1\nrevision.serving.knative.dev/stock-service-example-v2\n');
    expect(knsim(['validate', '-f', dir]).stdout).toBe('valid\n');
  });

  it('knsim version and --version print the version; knsim alone prints help on stdout', () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(knsim(['version']).stdout).toBe(`${version}\n`);
    expect(knsim(['--version']).stdout).toBe(`${version}\n`);
    const bare = knsim([]);
    expect(bare.code).toBe(0);
    expect(bare.stdout).toContain('Usage: knsim');
    expect(bare.stdout).toContain('Commands:');
  });

  it("every subcommand's help has Examples and Exit codes; durations default in the unit a user types", () => {
    for (const cmd of [['curl'], ['get'], ['describe'], ['dig'], ['run'], ['validate'], ['scenarios'], ['version'], ['bench'], ['bench', 'mmc'], ['bench', 'stack'], ['bench', 'property']]) {
      const h = knsim([...cmd, '--help']);
      expect(h.code, cmd.join(' ')).toBe(0);
      expect(h.stdout, cmd.join(' ')).toContain('Examples:');
      expect(h.stdout, cmd.join(' ')).toContain('Exit codes:');
    }
    const curl = knsim(['curl', '--help']).stdout;
    expect(curl).toContain('(default: 10m)');
    expect(curl).not.toContain('600000');
  });

  it('under --json a mistake still prints one JSON document {error: {message, file, line, field}} on stdout, and its line on stderr', () => {
    const missing = knsim(['curl', '--json', '-f', '/nonexistent.yaml', URL_]);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout)).toEqual({ error: { message: '/nonexistent.yaml: no such file', file: '/nonexistent.yaml', line: null, field: null } });
    expect(missing.stderr).toContain('/nonexistent.yaml: no such file');
    const dir = mkdtempSync(join(tmpdir(), 'knsim-bad-'));
    writeFileSync(join(dir, 'bad.yaml'), 'name: bad\nsteps:\n  - load: {name: a, url: "http://x.example.com/", rps: fast, duration: 1s}\n');
    const bad = JSON.parse(knsim(['run', join(dir, 'bad.yaml'), '--json']).stdout);
    expect(bad.error.file).toBe(join(dir, 'bad.yaml'));
    expect(bad.error.field).toBe('steps[0].load.rps');
    const flag = knsim(['get', '--json']);
    expect(flag.code).toBe(2);
    expect(JSON.parse(flag.stdout).error.message).toContain('missing required argument');
  });

  it('knsim scenarios --copy NAME DIR copies a built-in to edit, and overwrites nothing', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'knsim-copy-')), 'mine');
    const r = knsim(['scenarios', '--copy', 'gray-release', dir]);
    expect(r.code).toBe(0);
    for (const f of ['scenario.yaml', 'README.md', 'revision-v1.yaml']) expect(existsSync(join(dir, f)), f).toBe(true);
    expect(knsim(['run', join(dir, 'scenario.yaml'), '--json']).code).toBe(0);
    const again = knsim(['scenarios', '--copy', 'gray-release', dir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('overwrites nothing');
  });
});
