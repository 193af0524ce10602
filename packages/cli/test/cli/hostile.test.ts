import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_DIR } from '@knsim/scenarios';
import { knsim, type CliResult } from '../helpers.js';

/**
 * Issue 15: hostile and careless input. The contract for a user's mistake: exit 2, exactly one
 * line on stderr, no stack trace; nothing a user writes reaches an object's prototype.
 */
const hello = join(BUILTIN_DIR, 'life-of-a-request', 'hello.yaml');
const URL = 'http://hello.default.example.com/';

function expectUsageError(r: CliResult, pattern: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

const tmp = () => mkdtempSync(join(tmpdir(), 'knsim-hostile-'));

/** Nine aliases of nine of nine …: a billion-laughs document. */
const BOMB = 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n';

describe('--set and -H never pollute a prototype (issue 15, security)', () => {
  for (const key of ['__proto__', 'constructor', 'prototype']) {
    it(`--set ${key}.knsim.dev/response=pwned is an unknown ConfigMap, and the app still answers itself`, () => {
      expectUsageError(knsim(['curl', '-f', hello, '--set', `${key}.knsim.dev/response=pwned`, URL]), new RegExp(`unknown ConfigMap "${key}"`));
    });

    it(`--set config-autoscaler.${key}=x is an unknown key, refused like any other, and pollutes nothing`, () => {
      expectUsageError(knsim(['curl', '-f', hello, '--set', `config-autoscaler.${key}=x`, URL]), key === '__proto__' ? /key "__proto__" starts with "_", which Knative reads as documentation/ : new RegExp(`unknown key "${key}"`));
      const r = knsim(['curl', '-f', hello, '--set', `config-autoscaler.${key}=x`, '--set', `config-defaults.${key}=y`, URL]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
    });

    it(`-H '${key}: x' is a header like any other`, () => {
      const r = knsim(['curl', '-f', hello, '-H', `${key}: x`, URL]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('Hello World!\n');
    });
  }
});

describe('malformed flags say what is wrong (issue 15)', () => {
  it('-H without a colon and a malformed --set print one line and exit 2', () => {
    expectUsageError(knsim(['curl', '-f', hello, '-H', 'nocolon', URL]), /-H takes 'Name: value', got "nocolon"/);
    expectUsageError(knsim(['curl', '-f', hello, '--set', 'bad', URL]), /--set takes CONFIGMAP\.KEY=VALUE/);
  });
});

describe('files that would hang or crash (issue 15)', () => {
  it('-f /dev/zero stops at the read limit with one line, exit 2', () => {
    expectUsageError(knsim(['validate', '-f', '/dev/zero']), /\/dev\/zero: larger than 32 MiB/);
    expectUsageError(knsim(['curl', '-f', '/dev/zero', URL]), /\/dev\/zero: larger than 32 MiB/);
  });

  it("a manifest that is an alias bomb is refused with go-yaml's message, no stack trace", () => {
    const d = tmp();
    writeFileSync(join(d, 'bomb.yaml'), `${BOMB}apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n`);
    const v = knsim(['validate', '-f', join(d, 'bomb.yaml')]);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain('bomb.yaml:1:1: error converting YAML to JSON: yaml: document contains excessive aliasing');
    expectUsageError(knsim(['curl', '-f', join(d, 'bomb.yaml'), URL]), /excessive aliasing/);
  });

  it('a scenario that is an alias bomb is refused with one line, exit 2', () => {
    const d = tmp();
    writeFileSync(join(d, 's.yaml'), `name: s\n${BOMB}steps: []\n`);
    expectUsageError(knsim(['run', join(d, 's.yaml'), '--json']), /s\.yaml: invalid YAML: yaml: document contains excessive aliasing/);
  });

  it('an error about a file a scenario names gives its line, never its contents', () => {
    const d = tmp();
    writeFileSync(join(d, 'secret.csv'), 'root:$6$secrethash:19000:0:99999:7:::\n');
    writeFileSync(
      join(d, 's.yaml'),
      `name: s\nmanifests:\n  - inline: |\n${readHelloIndented()}steps:\n  - load: {name: t, shape: trace, trace: {file: secret.csv, functions: {f: "${URL}"}}, duration: 1m}\n`,
    );
    const r = knsim(['run', join(d, 's.yaml'), '--json']);
    expectUsageError(r, /secret\.csv:1: column 1 must be HashOwner/);
    expect(r.stderr).not.toContain('secrethash');
  });
});

function readHelloIndented(): string {
  return 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: hello}\nspec: {template: {spec: {containers: [{image: ghcr.io/knative/helloworld-go:latest}]}}}\n'
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => `      ${l}\n`)
    .join('');
}

describe('run: outputs and modules that used to crash (issue 15)', () => {
  const scenario = () => {
    const d = tmp();
    writeFileSync(join(d, 's.yaml'), 'name: s\nsteps: []\n');
    return d;
  };

  it('--out at a file, below a file, or at /dev/full: one line naming --out, exit 2', () => {
    const d = scenario();
    writeFileSync(join(d, 'afile'), '');
    for (const out of [join(d, 'afile'), join(d, 'afile', 'sub'), '/dev/full']) {
      expectUsageError(knsim(['run', join(d, 's.yaml'), '--out', out]), /--out .*: cannot write summary\.json there: it \(or a parent\) exists and is not a directory/);
    }
  });

  it('a .mjs scenario whose export throws, has a throwing getter or a cycle: one line, exit 2', () => {
    const d = tmp();
    writeFileSync(join(d, 'throws.mjs'), "export default (() => { throw new Error('boom'); })();\n");
    writeFileSync(join(d, 'getter.mjs'), "export default { name: 'x', get steps() { throw new Error('getter boom'); } };\n");
    writeFileSync(join(d, 'cycle.mjs'), "const s = { name: 'x', steps: [] }; s.steps.push({ wait: '1s', x: s });\nexport default s;\n");
    writeFileSync(join(d, 'a.mjs'), "import b from './b.mjs';\nexport default { name: 'x', steps: b.steps };\n");
    writeFileSync(join(d, 'b.mjs'), "import a from './a.mjs';\nexport default { steps: a.steps };\n");
    expectUsageError(knsim(['run', join(d, 'throws.mjs'), '--json']), /cannot load the module: boom/);
    expectUsageError(knsim(['run', join(d, 'getter.mjs'), '--json']), /the module's scenario is not plain data: getter boom/);
    expectUsageError(knsim(['run', join(d, 'cycle.mjs'), '--json']), /the module's scenario is not plain data: Converting circular structure to JSON/);
    expectUsageError(knsim(['run', join(d, 'a.mjs'), '--json']), /cannot load the module/);
  });
});

describe('enormous work is refused up front with its limit (issue 15)', () => {
  it('curl -n 1e9, --rps 1e-9, bench mmc --customers 1e12, bench stack --rps 1e-9, a seed above 2^53', () => {
    expectUsageError(knsim(['curl', '-f', hello, '-n', '1000000000', URL]), /--count must be <= 10000000 \(knsim's limit, docs\/limits\.md\)/);
    expectUsageError(knsim(['curl', '-f', hello, '-n', '2', '--rps', '1e-9', URL]), /-n 2 at --rps 1e-9 spans \d+ simulated days, beyond knsim's limit of about 104 days/);
    expectUsageError(knsim(['bench', 'mmc', '--customers', '1e12']), /--customers must be <= 100000000/);
    expectUsageError(knsim(['bench', 'stack', '--rps', '1e-9', '--requests', '10']), /beyond knsim's limit of about 104 days/);
    expectUsageError(knsim(['curl', '-f', hello, '--seed', '9007199254740993', URL]), /--seed takes a whole number of at most 2\^53-1/);
  });
});
