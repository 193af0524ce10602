import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { configuration, configurationSpec, invalidService, service, serviceSpec, toYaml, virtualService } from '@knsim/sim-core/testing';
import { runValidate } from '../../src/validate.js';
import { knsim } from '../helpers.js';

// The kit's arbitraries against `knsim validate`: what they generate as valid passes, what they
// generate as invalid fails with exactly the message they pair with it.
const dir = mkdtempSync(join(tmpdir(), 'knsim-validate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (yaml: string) => {
  const f = join(dir, `m${n++}.yaml`);
  writeFileSync(f, yaml);
  return f;
};
const PREFIX = 'admission webhook "validation.webhook.serving.knative.dev" denied the request: validation failed: ';

describe('knsim validate on generated manifests', () => {
  it('passes every generated Service, Configuration and VirtualService (a file per apply, validated as updates)', () => {
    fc.assert(
      fc.property(fc.oneof(serviceSpec({ annotations: true }).map(service), configurationSpec().map(configuration), virtualService({ backends: ['a.default.example.com'] }).map((v) => [v])), (objs) => {
        const { result, exitCode } = runValidate(objs.map((o) => file(toYaml(o))));
        expect(result.errors).toEqual([]);
        expect(exitCode).toBe(0);
      }),
      { numRuns: 60 },
    );
  });

  it('fails every generated invalid Service with its paired message', () => {
    fc.assert(
      fc.property(invalidService(), ({ value, message }) => {
        const f = file(toYaml(value));
        const { result, exitCode } = runValidate([f]);
        expect(result.errors).toEqual([`${f}: Service default/app: ${PREFIX}${message}`]);
        expect(exitCode).toBe(1);
      }),
      { numRuns: 100 },
    );
  });

  it('the binary says so too', () => {
    const [valid] = fc.sample(serviceSpec({ minRevisions: 2, maxRevisions: 2 }), { seed: 3, numRuns: 1 });
    const ok = knsim(['validate', ...service(valid!).map((o) => ['-f', file(toYaml(o))]).flat()]);
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toBe('valid\n');
    const [bad] = fc.sample(invalidService(), { seed: 3, numRuns: 1 });
    const f = file(toYaml(bad!.value));
    const r = knsim(['validate', '-f', f]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`${f}: Service default/app: ${PREFIX}${bad!.message}\n`);
  });
});
