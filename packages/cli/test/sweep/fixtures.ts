import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The issue's sweep form, on the built-in whose Service is named hello; 2 × 2 combinations × 3 seeds. */
export const ISSUE_SWEEP = `name: window-vs-latency
scenario: life-of-a-request          # a built-in, or a path relative to this file
seeds: 1..3                          # or a list
matrix:
  config:                            # ConfigMap.key: values
    config-autoscaler.stable-window: [30s, 60s]
  annotations:                       # Service name: annotation: values
    hello: { autoscaling.knative.dev/target: ["10", "50"] }
`;

/** A folder with the files given (name → text), for a test's sweep and scenario. */
export function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'knsim-sweep-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** A scenario of its own beside the sweep: a load whose rate is an axis; each run about a tenth of a second. */
export const LOAD_SCENARIO = `name: steady
manifests:
  - inline: |
      apiVersion: serving.knative.dev/v1
      kind: Service
      metadata: { name: app, namespace: default }
      spec:
        template:
          metadata:
            annotations: { knsim.dev/service-time: "lognormal(50ms,0.3)" }
          spec: { containers: [{ image: app }] }
steps:
  - load: { name: steady, url: "http://app.default.example.com/", rps: 20, duration: 20s }
checks:
  - { load: steady, p99Ms: { max: 2s } }
`;
