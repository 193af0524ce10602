import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { checkScenario, listBuiltins, ScenarioError, scenarioJsonSchema } from '../../src/index.js';
import { FIELDS } from '../../src/run/schema.js';

const pkg = fileURLToPath(new URL('../..', import.meta.url));
const schema = scenarioJsonSchema();
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

/** The checker's verdict on a scenario document (files it names are given as empty manifests). */
function checkerErrors(doc: unknown): string {
  try {
    checkScenario(doc, 's.yaml', { read: () => 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n', where: (r) => r });
    return '';
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as Error).message;
  }
}

describe('the JSON Schema of scenario files', () => {
  it('is published in the package as scenario.schema.json, generated from the field table (npm run schema)', () => {
    expect(JSON.parse(readFileSync(join(pkg, 'scenario.schema.json'), 'utf8'))).toEqual(schema);
    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { files: string[]; exports: Record<string, unknown> };
    expect(manifest.files).toContain('scenario.schema.json');
    expect(manifest.exports['./scenario.schema.json']).toBeDefined();
  });

  it('accepts every built-in scenario and the examples', () => {
    const files = [...listBuiltins().map((b) => b.file), join(pkg, 'examples/canary-gate/scenario.yaml')];
    for (const f of files) {
      const ok = validate(parse(readFileSync(f, 'utf8')));
      expect(validate.errors ?? [], f).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  it("allows exactly the keys the checker allows, for every map (the checker's 'allowed:' list is the schema's properties)", () => {
    const base = { name: 's' };
    const cases: Array<[keyof typeof FIELDS, unknown, string]> = [
      ['scenario', { ...base, bogus: 1 }, '$.bogus'],
      ['cluster', { ...base, cluster: { bogus: 1 } }, 'cluster.bogus'],
      ['load', { ...base, steps: [{ load: { name: 'l', url: 'http://x/', rps: 1, duration: '1s', bogus: 1 } }] }, 'steps[0].load.bogus'],
      ['request', { ...base, steps: [{ request: { name: 'r', url: 'http://x/', bogus: 1 } }] }, 'steps[0].request.bogus'],
      ['apply', { ...base, steps: [{ apply: { inline: 'x', bogus: 1 } }] }, 'steps[0].apply.bogus'],
      ['label', { ...base, steps: [{ label: { kind: 'Service', name: 'a', labels: {}, bogus: 1 } }] }, 'steps[0].label.bogus'],
      ['delete', { ...base, steps: [{ delete: { kind: 'Service', name: 'a', bogus: 1 } }] }, 'steps[0].delete.bogus'],
      ['burst', { ...base, steps: [{ load: { name: 'l', url: 'http://x/', shape: 'burst', rps: 0, duration: '1s', burst: { requests: 1, every: '1s', bogus: 1 } } }] }, 'steps[0].load.burst.bogus'],
    ];
    const defs = schema.definitions as Record<string, { properties: Record<string, unknown> }>;
    for (const [obj, doc, path] of cases) {
      const msg = checkerErrors(doc);
      const allowed = new RegExp(`${path.replace(/[.[\]$]/g, '\\$&')}: unknown field \\(allowed: ([^)]*)\\)`).exec(msg);
      expect(allowed, msg).not.toBeNull();
      const props = obj === 'scenario' ? (schema.properties as Record<string, unknown>) : defs[obj]!.properties;
      expect(allowed![1]!.split(', ')).toEqual(Object.keys(props));
      expect(validate(doc)).toBe(false);
    }
  });

  it('rejects what the checker rejects for its type: enums, durations given as numbers, a missing name, two subjects in a check', () => {
    const bad = [
      { name: 's', steps: [{ load: { name: 'l', url: 'http://x/', rps: 1, duration: '1s', shape: 'zigzag' } }] },
      { name: 's', steps: [{ wait: 90 }] },
      { steps: [] },
      { name: 's', steps: [{ request: { name: 'r', url: 'ftp://x/' } }] },
      { name: 's', steps: [{ load: { name: 'l', url: 'http://x/', rps: 1, duration: '1s' } }], checks: [{ load: 'l', revision: 'r', coldStarts: { max: 1 } }] },
    ];
    for (const doc of bad) {
      expect(checkerErrors(doc)).not.toBe('');
      expect(validate(doc)).toBe(false);
    }
  });

  it('is referenced from docs/scenarios.md for yaml-language-server', () => {
    expect(readFileSync(join(pkg, '../../docs/scenarios.md'), 'utf8')).toContain('yaml-language-server: $schema=');
  });
});
