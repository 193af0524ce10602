import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Each package installs and works from its packed tarball in an empty project, without the
 * monorepo: `npm pack` every package (from its built dist), install the tarballs into a fresh
 * project, run `npx knsim run life-of-a-request`, and type-check a small TypeScript consumer
 * against the shipped declarations. Dependencies come from npm's cache (--prefer-offline).
 */
const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const PACKAGES = ['sim-core', 'report', 'scenarios', 'cli'];
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

interface Packed {
  name: string;
  filename: string;
  files: Array<{ path: string }>;
}

let work: string;
let project: string;
const packed: Packed[] = [];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'knsim-pack-'));
  for (const p of PACKAGES) {
    const out = execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: join(repo, 'packages', p), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    packed.push((JSON.parse(out) as Packed[])[0]!);
  }
  project = join(work, 'consumer');
  execFileSync('mkdir', ['-p', project]);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...packed.map((p) => join(work, p.filename))], { cwd: project, stdio: 'ignore' });
}, 240_000);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('the packages as published (npm pack, installed in an empty project)', () => {
  it('each carries engines, repository, a README and the LICENSE, and no build info file', () => {
    for (const [i, p] of PACKAGES.entries()) {
      const manifest = JSON.parse(readFileSync(join(repo, 'packages', p, 'package.json'), 'utf8')) as { engines?: { node?: string }; repository?: { url?: string }; license?: string };
      expect(manifest.engines?.node, p).toBe('>=20.19');
      expect(manifest.repository?.url, p).toContain('github.com/knsim/knsim');
      expect(manifest.license, p).toBe('Apache-2.0');
      const files = packed[i]!.files.map((f) => f.path);
      expect(files, p).toContain('README.md');
      expect(files, p).toContain('LICENSE');
      expect(files.filter((f) => f.includes('tsbuildinfo')), p).toEqual([]);
    }
    expect(readFileSync(join(repo, 'LICENSE'), 'utf8')).toContain('Apache License\n                           Version 2.0, January 2004');
  });

  it('ships the examples the docs point to and the scenario schema', () => {
    const files = (name: string) => packed[PACKAGES.indexOf(name)]!.files.map((f) => f.path);
    expect(files('scenarios')).toEqual(expect.arrayContaining(['examples/canary-gate/scenario.yaml', 'examples/typed/scenario.ts', 'scenario.schema.json', 'builtin/life-of-a-request/scenario.yaml']));
    expect(files('sim-core')).toEqual(expect.arrayContaining(['test/testing/examples/001-canary-split.test.ts', 'test/testing/runs.ts']));
    expect(files('cli')).toEqual(expect.arrayContaining(['bin/knsim.js', 'bin/package.json', 'dist/bundle/load.cjs', 'dist/bundle/knsim.cjs', 'dist/bundle/bundle.json', 'dist/bundle/sweep-thread.js']));
  });

  it('npx knsim run life-of-a-request works in the empty project, and tsx is not installed with it', () => {
    const r = spawnSync('npx', ['--no-install', 'knsim', 'run', 'life-of-a-request', '--quiet'], { cwd: project, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(existsSync(join(project, 'knsim-out/life-of-a-request/summary.json'))).toBe(true);
    expect(existsSync(join(project, 'knsim-out/life-of-a-request/objects.json'))).toBe(true);
    expect(existsSync(join(project, 'node_modules/tsx'))).toBe(false);
    const ts = spawnSync('npx', ['--no-install', 'knsim', 'run', join(repo, 'packages/scenarios/examples/typed/scenario.ts')], { cwd: project, encoding: 'utf8', timeout: 60_000 });
    expect(ts.status).toBe(2);
    expect(ts.stderr).toContain('needs tsx, which is not installed');
  });

  it('a TypeScript consumer type-checks against the shipped declarations', () => {
    writeFileSync(
      join(project, 'consumer.ts'),
      `import { Cluster, dig, type ClusterSnapshot } from '@knsim/sim-core';
import { Autoscaler } from '@knsim/sim-core/autoscaler';
import { parseScenario, defineScenario, type Scenario } from '@knsim/scenarios/core';
import { latencySummary } from '@knsim/report';
import { EXIT_USAGE } from '@knsim/cli';

const cluster = new Cluster({ seed: 1 });
cluster.waitForReady();
const snap: ClusterSnapshot = cluster.inspect();
const answer: string = dig(snap, 'kubernetes.default.svc.cluster.local', { fromNamespace: 'default' }).server;
const s: Scenario = defineScenario({ name: 'x', steps: [{ wait: '1s' }] });
const loaded = parseScenario('name: y\\n', 'y.yaml');
const p50: number = latencySummary([1, 2, 3]).p50;
const code: number = EXIT_USAGE;
void [answer, s, loaded, p50, code, Autoscaler];
`,
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false, types: ['node'], typeRoots: [join(repo, 'node_modules/@types')] }, files: ['consumer.ts'] }),
    );
    const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
