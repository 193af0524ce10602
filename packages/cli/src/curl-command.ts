import { closeSync, openSync } from 'node:fs';
import type { ClientResponse, KnsimTraceEvent } from '@knsim/sim-core';
import { formatCurl, makeCurlOutput, narrateCurl } from '@knsim/report';
import { UserError } from './errors.js';
import { writeChromeTrace } from './output-files.js';
import { writeAllSync as writeAll } from './write-sync.js';
import { CURL_EXIT, CurlExit, CurlSummaryBuilder, headerBlock, runCurl, writeOut, type CurlOptions } from './curl.js';

/** What commander hands the curl action: the cluster and request options, and curl's output flags. */
export interface CurlFlags extends Pick<CurlOptions, 'file' | 'header' | 'request' | 'data' | 'count' | 'rps' | 'after' | 'seed' | 'set' | 'latency' | 'fromPod' | 'readyTimeout' | 'location' | 'verbose' | 'json'> {
  include?: boolean;
  head?: boolean;
  silent?: boolean;
  output?: string;
  writeOut?: string;
  fail?: boolean;
  maxTime?: number;
  resolve: string[];
  summary?: boolean;
  /** `--trace FILE`: the run's Chrome trace. */
  trace?: string;
}

// The reader went away (`| head`): stop quietly with curl's 23, "failure writing output".
const writeAllSync = (fd: number, s: string) => writeAll(fd, s, CURL_EXIT.writeError);

/** Where `-o FILE` sends output (or stdout), written as it comes. */
class Sink {
  private readonly fd: number;
  constructor(private readonly file: string | undefined) {
    try {
      this.fd = file === undefined ? 1 : openSync(file, 'w');
    } catch (e) {
      throw new UserError(`-o ${file}: ${(e as Error).message}`);
    }
  }
  write(s: string): void {
    if (s === '') return;
    writeAllSync(this.fd, s);
  }
  close(): void {
    if (this.file !== undefined) closeSync(this.fd);
  }
}

/** `knsim curl`'s output: bodies (or headers, -w lines) as each response arrives, or one JSON document. Returns the exit code. */
export function runCliCurl(url: string, o: CurlFlags): number {
  if (o.head && o.data !== undefined) throw new UserError('-I (HEAD) and -d (a body) cannot be used together, as with curl');
  if (o.json && (o.include || o.writeOut !== undefined)) throw new UserError('--json prints one JSON document: -i and -w do not apply to it');
  const exit = new CurlExit();
  const summary = new CurlSummaryBuilder();
  const sink = new Sink(o.output);
  // `--json` without --summary: the document's responses are written as they arrive, each as
  // JSON.stringify(doc, null, 2) would place it, so memory does not grow with -n either.
  let streamed = 0;
  const streamJson = o.json && !o.summary;
  const err = (s: string) => {
    if (!o.silent || o.verbose) process.stderr.write(s);
  };
  let saw404Empty = false;
  const trace: KnsimTraceEvent[] | undefined = o.verbose || o.trace !== undefined ? [] : undefined;
  const onResponse = (r: ClientResponse, i: number) => {
    exit.see(r);
    summary.add(r);
    if (r.status === 404 && r.body === '') saw404Empty = true;
    if (streamJson) {
      sink.write(`${streamed++ === 0 ? '{\n  "responses": [\n' : ',\n'}${indent(JSON.stringify(makeCurlOutput([r]).responses[0], null, 2), 4)}`);
      return;
    }
    if (o.json) return;
    if (!o.summary) {
      const failed = o.fail && r.status >= 400;
      if (r.status !== 0 && !failed) {
        if (o.include || o.head) sink.write(headerBlock(r));
        if (!o.head) sink.write(r.body);
      }
      if (failed) err(`curl: (22) The requested URL returned error: ${r.status}\n`);
      // The hops (-v) and transport errors as `formatCurl` prints them; several requests' counts come at the end.
      // -v narrates the hops from the trace, each with why; transport errors as `formatCurl` prints them.
      if (o.verbose) err(narrateCurl(makeCurlOutput([r]), trace!, [r.startMs]).replace(/^\* request 1:/, `* request ${i + 1}:`));
      if (r.status === 0) err(formatCurl(makeCurlOutput([r]), false).stderr);
    }
    if (o.writeOut !== undefined) {
      const w = writeOut(o.writeOut, r, url);
      writeAllSync(1, w.text);
      for (const u of w.unknown) err(`curl: unknown --write-out variable: '${u}'\n`);
    }
  };
  const method = o.head ? 'HEAD' : o.request;
  const { applied } = runCurl(
    url,
    {
      file: o.file,
      header: o.header,
      ...(method !== undefined ? { request: method } : {}),
      ...(o.data !== undefined ? { data: o.data } : {}),
      count: o.count,
      ...(o.rps !== undefined ? { rps: o.rps } : {}),
      after: o.after,
      seed: o.seed,
      set: o.set,
      latency: o.latency,
      ...(o.fromPod !== undefined ? { fromPod: o.fromPod } : {}),
      readyTimeout: o.readyTimeout,
      ...(o.maxTime !== undefined ? { maxTimeMs: o.maxTime * 1000 } : {}),
      ...(o.location ? { location: true } : {}),
      resolve: o.resolve,
      ...(trace ? { trace } : {}),
    },
    onResponse,
  );
  if (o.trace !== undefined) writeChromeTrace(o.trace, trace!, { command: 'knsim curl', url });
  const s = summary.summary();
  if (o.json) {
    if (o.summary) sink.write(JSON.stringify({ summary: s }, null, 2) + '\n');
    else sink.write(`\n  ],\n  "summary": ${indent(JSON.stringify(s, null, 2), 2).trimStart()}\n}\n`);
  } else if (o.summary) {
    writeAllSync(1, summaryLines(s));
  } else if (o.count > 1) {
    err(summaryLines(s));
  }
  sink.close();
  if (saw404Empty && applied === 0) err('knsim: 404 with an empty body: no manifest was applied (give -f FILE), so the gateway has no route for this host\n');
  return exit.code(!!o.fail);
}

const indent = (json: string, n: number) =>
  json
    .split('\n')
    .map((l) => ' '.repeat(n) + l)
    .join('\n');

function summaryLines(s: ReturnType<CurlSummaryBuilder['summary']>): string {
  let out = `${s.count} requests: ${Object.entries(s.byStatus)
    .map(([k, v]) => `${v}× ${k}`)
    .join(', ')}; latency p50 ${s.latencyMs.p50} ms, p99 ${s.latencyMs.p99} ms\n`;
  if (Object.keys(s.byRevision).length > 0) out += `by revision: ${Object.entries(s.byRevision).map(([k, v]) => `${k} ${v}`).join(', ')}\n`;
  return out;
}
