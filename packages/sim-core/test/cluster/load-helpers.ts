import type { Cluster, ClientResponse } from '../../src/index.js';

/** N closed-loop users, each sending as soon as its previous answer arrives, until `untilMs`. */
export function closedLoop(c: Cluster, url: string, users: number, untilMs: number, headers: Record<string, string> = {}): ClientResponse[] {
  const out: ClientResponse[] = [];
  for (let u = 0; u < users; u++) {
    c.env.process(
      (function* () {
        while (c.now < untilMs) {
          const r: ClientResponse = yield* c.send({ url, headers });
          out.push(r);
        }
      })(),
    );
  }
  return out;
}

/** A Knative Service; `container` is more YAML for the container (probes), indented as at its top level. */
export function svc(name: string, opts: { cc?: number; annotations?: Record<string, string>; timeoutSeconds?: number; image?: string; container?: string } = {}): string {
  const ann = Object.entries(opts.annotations ?? {})
    .map(([k, v]) => `        ${k}: ${JSON.stringify(v)}`)
    .join('\n');
  const extra = (opts.container ?? '')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => `          ${l}\n`)
    .join('');
  return `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: ${name}
spec:
  template:
${ann ? `    metadata:\n      annotations:\n${ann}\n` : ''}    spec:
${opts.cc !== undefined ? `      containerConcurrency: ${opts.cc}\n` : ''}${opts.timeoutSeconds !== undefined ? `      timeoutSeconds: ${opts.timeoutSeconds}\n` : ''}      containers:
        - image: ${opts.image ?? 'example.com/app:v1'}
${extra}`;
}

/** Open-loop requests at `rps`, evenly spaced, for `durationMs` from now. */
export function openLoop(c: Cluster, url: string, rps: number, durationMs: number): ClientResponse[] {
  const out: ClientResponse[] = [];
  const n = Math.round((rps * durationMs) / 1000);
  for (let i = 0; i < n; i++) {
    c.env.timeout((i * 1000) / rps).addCallback(() => {
      c.env.process(
        (function* () {
          out.push(yield* c.send({ url }));
        })(),
      );
    });
  }
  return out;
}
