import { Cluster, type ClientResponse, type KObject } from '../../src/index.js';

/** Where Knative's e2e tests push the test images (any registry works: matched by last segment). */
export const IMAGE = (name: string) => `gcr.io/knative-e2e/knative.dev/serving/test/test_images/${name}:latest`;

export interface SvcOpts {
  image: string;
  env?: Record<string, string>;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  cc?: number;
  timeoutSeconds?: number;
  /** More YAML at the container's level (probes, ports). */
  container?: string;
  /** More YAML at the spec's level (traffic). */
  traffic?: string;
}

const indent = (text: string, n: number) =>
  text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => `${' '.repeat(n)}${l}\n`)
    .join('');

/** The template part shared by Service and Configuration (v1test.CreateService / CreateConfiguration with options). */
function template(o: SvcOpts, at: number): string {
  const ann = Object.entries(o.annotations ?? {}).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
  const env = Object.entries(o.env ?? {});
  let spec = '';
  if (o.cc !== undefined) spec += `containerConcurrency: ${o.cc}\n`;
  if (o.timeoutSeconds !== undefined) spec += `timeoutSeconds: ${o.timeoutSeconds}\n`;
  spec += `containers:\n  - image: ${o.image}\n`;
  if (env.length) spec += `    env:\n${env.map(([k, v]) => `      - name: ${k}\n        value: ${JSON.stringify(v)}\n`).join('')}`;
  if (o.container) spec += indent(o.container, 4);
  return indent(`template:\n${ann.length ? `  metadata:\n    annotations:\n${indent(ann.join('\n'), 6)}` : ''}  spec:\n${indent(spec, 4)}`, at);
}

export function serviceYaml(name: string, o: SvcOpts): string {
  const labels = Object.entries(o.labels ?? {});
  return `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: ${name}
${labels.length ? `  labels:\n${labels.map(([k, v]) => `    ${k}: ${JSON.stringify(v)}\n`).join('')}` : ''}spec:
${template(o, 2)}${o.traffic ? indent(o.traffic, 2) : ''}`;
}

export function configurationYaml(name: string, o: SvcOpts): string {
  return `apiVersion: serving.knative.dev/v1
kind: Configuration
metadata:
  name: ${name}
spec:
${template(o, 2)}`;
}

/** A Route sending all traffic to the latest ready revision of `config` (v1test.CreateRoute). */
export function routeYaml(name: string, config: string): string {
  return `apiVersion: serving.knative.dev/v1
kind: Route
metadata:
  name: ${name}
spec:
  traffic:
    - configurationName: ${config}
      percent: 100
`;
}

/** v1test.CreateServiceReady: applies the Service and waits until it is Ready. */
export function createServiceReady(c: Cluster, name: string, o: SvcOpts): void {
  c.apply(serviceYaml(name, o));
  c.waitForReady();
}

export function object(c: Cluster, kind: string, name: string, namespace = 'default'): KObject & { status?: any; spec?: any } {
  const o = c.inspect().objects.find((x) => x.kind === kind && x.metadata.name === name && (x.metadata.namespace ?? 'default') === namespace);
  if (!o) throw new Error(`no ${kind} ${namespace}/${name}`);
  return o as KObject & { status?: any; spec?: any };
}

export function condition(o: { status?: any }, type: string): { status: string; reason?: string; message?: string } | undefined {
  return (o.status?.conditions as Array<{ type: string; status: string; reason?: string; message?: string }> | undefined)?.find((x) => x.type === type);
}

/** `n` closed-loop clients, each sending as soon as its previous answer arrives, for `durationMs`. */
export function closedLoop(c: Cluster, url: string, n: number, durationMs: number, headers?: Record<string, string>): ClientResponse[] {
  const out: ClientResponse[] = [];
  const until = c.now + durationMs;
  for (let i = 0; i < n; i++) {
    c.env.process(
      (function* () {
        while (c.now < until) out.push(yield* c.send({ url, headers }));
      })(),
    );
  }
  return out;
}

/** Sends `n` requests at once and runs until all are answered. */
export function burst(c: Cluster, url: string, n: number): ClientResponse[] {
  const evs = Array.from({ length: n }, () => c.send({ url }));
  return evs.map((e) => c.runUntilDone(e));
}

/** Runs in `stepMs` steps until `pred` holds or `timeoutMs` passed; whether it held. */
export function pollUntil(c: Cluster, pred: () => boolean, timeoutMs: number, stepMs = 250): boolean {
  const end = c.now + timeoutMs;
  for (;;) {
    if (pred()) return true;
    if (c.now >= end) return false;
    c.runFor(stepMs);
  }
}

export const readyPods = (c: Cluster, rev: string) => c.revision(rev).readyPods.length;

/**
 * WaitFor…State on the `Ready` condition: runs in `stepMs` steps until the object exists with
 * `Ready=True` (or `want`), calling `atReady` at that moment; whether it happened in time.
 */
export function waitForReadyCondition(c: Cluster, kind: string, name: string, timeoutMs: number, opts: { stepMs?: number; want?: string; atReady?: () => void } = {}): boolean {
  return pollUntil(
    c,
    () => {
      const o = c.inspect().objects.find((x) => x.kind === kind && x.metadata.name === name);
      if (o === undefined || condition(o as { status?: unknown }, 'Ready')?.status !== (opts.want ?? 'True')) return false;
      opts.atReady?.();
      return true;
    },
    timeoutMs,
    opts.stepMs ?? 250,
  );
}
