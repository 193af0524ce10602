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

    it(`--set config-autoscaler.${key}=x changes nothing else`, () => {
      const r = knsim(['curl', '-f', hello, '--set', `config-autoscaler.${key}=x`, URL]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('Hello World!\n');
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
