import { mkdtempSync, readFileSync, existsSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import type { KnsimTraceEvent } from '@knsim/sim-core';
import { BUILTIN_DIR, listBuiltins } from '@knsim/scenarios';
import { CHROME_TRACE_SCHEMA, type ChromeTrace } from '@knsim/report';
import { knsim } from '../helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'knsim-report-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const readTrace = (dir: string): KnsimTraceEvent[] =>
  gunzipSync(readFileSync(join(dir, 'trace.jsonl.gz')))
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as KnsimTraceEvent);

describe('knsim run --out DIR writes report.html', () => {
  const dir = join(tmp, 'lor');
  const r = knsim(['run', 'life-of-a-request', '--out', dir]);

  it('beside summary.json, with what it is made of (run.json, trace.jsonl.gz)', () => {
    expect(r.code).toBe(0);
    for (const f of ['summary.json', 'report.html', 'run.json', 'trace.jsonl.gz']) expect(existsSync(join(dir, f))).toBe(true);
    expect(r.stdout).toContain(`wrote ${join(dir, 'report.html')}`);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<code>knsim run life-of-a-request --seed 1</code>');
  });

  it('byte-identical for the same seed, and knsim report DIR renders the same bytes from what the run saved', () => {
    const again = join(tmp, 'lor-again');
    expect(knsim(['run', 'life-of-a-request', '--out', again, '--quiet']).code).toBe(0);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(readFileSync(join(again, 'report.html'), 'utf8')).toBe(html);
    expect(readFileSync(join(again, 'trace.jsonl.gz'))).toEqual(readFileSync(join(dir, 'trace.jsonl.gz')));
    rmSync(join(again, 'report.html'));
    const rr = knsim(['report', again]);
    expect(rr.code).toBe(0);
    expect(readFileSync(join(again, 'report.html'), 'utf8')).toBe(html);
  });

  it('not with --no-report; knsim report then says what is missing and exits 2', () => {
    const d = join(tmp, 'noreport');
    expect(knsim(['run', 'scale-to-zero', '--out', d, '--no-report', '--quiet']).code).toBe(0);
    expect(existsSync(join(d, 'summary.json'))).toBe(true);
    expect(existsSync(join(d, 'report.html'))).toBe(false);
    const rr = knsim(['report', d]);
    expect(rr.code).toBe(2);
    expect(rr.stderr).toBe(`knsim: ${join(d, 'run.json')}: no such file (knsim run --out DIR writes it; a run with --no-report or --json does not)\n`);
    expect(knsim(['report', join(tmp, 'nowhere')]).code).toBe(2);
  });

  it('under 2 MB for every built-in scenario', () => {
    for (const b of listBuiltins()) {
      const d = join(tmp, `size-${b.name}`);
      expect(knsim(['run', b.name, '--out', d, '--quiet']).code).toBe(0);
      expect(statSync(join(d, 'report.html')).size).toBeLessThan(2_000_000);
    }
  });
});

describe('knsim run --trace FILE', () => {
  it('writes valid Chrome trace JSON with a slice per hop of the run (the hop count round-trips)', () => {
    const dir = join(tmp, 'gray');
    const file = join(tmp, 'gray.trace.json');
    const r = knsim(['run', 'gray-release', '--out', dir, '--trace', file, '--quiet']);
    expect(r.code).toBe(0);
    const t = JSON.parse(readFileSync(file, 'utf8')) as ChromeTrace;
    const validate = new Ajv().compile(CHROME_TRACE_SCHEMA);
    expect(validate(t), JSON.stringify(validate.errors)).toBe(true);
    const hops = readTrace(dir).reduce((a, e) => a + (e.type === 'request.end' ? e.hops.length : 0), 0);
    expect(hops).toBeGreaterThan(10_000);
    expect(t.traceEvents.filter((e) => e.ph === 'b')).toHaveLength(hops);
    expect(t.traceEvents.filter((e) => e.ph === 'e')).toHaveLength(hops);
    expect(t.traceEvents.filter((e) => e.ph === 'C' && e.name === 'pods').length).toBeGreaterThan(0);
  });

  it('with --json too, leaving stdout one JSON document', () => {
    const file = join(tmp, 'stz.trace.json');
    const r = knsim(['run', 'scale-to-zero', '--json', '--trace', file]);
    expect(r.code).toBe(0);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
    expect(existsSync(file)).toBe(true);
  });

  it('knsim curl --trace writes one too; a directory that is not there is a user error', () => {
    const hello = join(BUILTIN_DIR, 'life-of-a-request', 'hello.yaml');
    const file = join(tmp, 'curl.trace.json');
    const r = knsim(['curl', '-f', hello, '-n', '3', '--trace', file, 'http://hello.default.example.com/']);
    expect(r.code).toBe(0);
    const t = JSON.parse(readFileSync(file, 'utf8')) as ChromeTrace;
    expect(new Ajv().compile(CHROME_TRACE_SCHEMA)(t)).toBe(true);
    expect(t.traceEvents.filter((e) => e.ph === 'b')).toHaveLength(3 * 5);
    const bad = knsim(['curl', '-f', hello, '--trace', join(tmp, 'no', 'such', 'dir', 't.json'), 'http://hello.default.example.com/']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--trace');
  });
});

describe('knsim curl -v narrates', () => {
  it('each hop with its time relative to the request and why, then the response headers', () => {
    const hello = join(BUILTIN_DIR, 'life-of-a-request', 'hello.yaml');
    const r = knsim(['curl', '-v', '-f', hello, '--after', '2m', 'http://hello.default.example.com/']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Hello World!\n');
    const lines = r.stderr.split('\n');
    expect(lines[0]).toMatch(/^\* request 1: GET http:\/\/hello\.default\.example\.com\/ → HTTP 200 in \d+\.\d+ ms from hello-00001 /);
    expect(lines).toContainEqual(expect.stringMatching(/^\* +\+0\.000 ms {2}dns +hello\.default\.example\.com/));
    expect(r.stderr).toContain('why: hello.default.example.com/ matched virtual host hello.default.example.com:80 of VirtualService default/hello-ingress');
    // Scaled to zero after two minutes: the activator buffered it while a pod started.
    expect(r.stderr).toMatch(/why: SKS Proxy mode put the activator in the path \(excess burst capacity -?\d+( < 0)?\); buffered \d+\.?\d* ms \(no healthy pods yet \(waiting for scale-up\); 1 queued\); waited for pod hello-00001-deployment-\S+ to become ready/);
    expect(r.stderr).toContain('revision hello-00001 picked: route hello sends it 100% of the traffic');
    expect(r.stderr).toContain('< HTTP/1.1 200\n< content-length: 13\n');
  });
});

describe('a hostile Service, annotation and scenario text', () => {
  it('render as text in the report, never as markup (a scenario name must be a simple name, so it cannot carry markup)', () => {
    const d = join(tmp, 'hostile');
    const scenario = join(tmp, 'hostile.yaml');
    writeFileSync(
      scenario,
      `name: hostile
description: '<script>alert(1)</script> "><img src=x onerror=alert(1)>'
manifests:
  - inline: |
      apiVersion: serving.knative.dev/v1
      kind: Service
      metadata:
        name: hello
        annotations:
          note: "<script>alert(2)</script>"
          other: '"><img src=x onerror=alert(3)>'
      spec:
        template:
          spec:
            containers: [{image: ghcr.io/knative/helloworld-go:latest}]
steps:
  - request: { name: "x", url: "http://hello.default.example.com/%22%3E%3Cimg%20onerror=alert(4)%3E" }
`,
    );
    const r = knsim(['run', scenario, '--out', d, '--quiet']);
    expect(r.stderr).toBe('');
    const html = readFileSync(join(d, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('<p class="description">&lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img src=x onerror=alert(1)&gt;</p>');
    expect(html).toContain('other: &#39;&quot;&gt;&lt;img src=x onerror=alert(3)&gt;&#39;');
    expect(html).toContain('note: &quot;&lt;script&gt;alert(2)&lt;/script&gt;&quot;');
  });
});

describe("knsim run's human summary", () => {
  it('tells the story in step order, and its count of ready pods at the end agrees with the pod list it prints', () => {
    const r = knsim(['run', 'life-of-a-request', '--out', join(tmp, 'story'), '--no-report']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const requests = lines.filter((l) => /^\s+\d+\.\ds {2}request /.test(l)).map((l) => /request (\S+):/.exec(l)![1]);
    expect(requests).toEqual(['cold', 'warm', 'in-cluster']);
    expect(lines.find((l) => /^ +\d+\.\ds {2}wait 2m$/.test(l))).toBeDefined();
    const rev = lines.find((l) => l.startsWith('revision hello-00001:'))!;
    const lastPodLine = lines.filter((l) => l.includes('hello-00001-deployment-')).at(-1)!;
    expect(lastPodLine).toMatch(/ 2\/2 +Running /);
    expect(rev).toContain('at the end 1 ready');
    expect(rev).toContain('1 cold start (scale-up from zero)');
    expect(lines[lines.indexOf(rev) + 1]).toMatch(/^ {2}ready pods \|[ ▁▂▃▄▅▆▇█]{40}\| 0 → 123 s$/);
  });

  it('counts no cold start for a revision whose pod never went away', () => {
    const r = knsim(['run', 'routing-across-services', '--out', join(tmp, 'routing'), '--no-report']);
    expect(r.stdout).toContain('revision login-service-00001: max 1 ready pods, no cold start, at the end 1 ready');
  });
});
