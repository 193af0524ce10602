// Rewrites the golden outputs from the current build: `npm run golden -w @knsim/cli`.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { knsim } from '../helpers.js';
import { CURLS, SCENARIOS } from './cases.js';

const here = (name: string) => fileURLToPath(new URL(`./${name}.json`, import.meta.url));
for (const name of SCENARIOS) {
  const out = mkdtempSync(join(tmpdir(), 'knsim-golden-'));
  const r = knsim(['run', name, '--out', out, '--quiet']);
  if (r.code !== 0) throw new Error(`run ${name}: exit ${r.code}\n${r.stderr}`);
  writeFileSync(here(`run-${name}`), readFileSync(join(out, 'summary.json'), 'utf8'));
  rmSync(out, { recursive: true, force: true });
}
for (const [name, args] of Object.entries(CURLS)) {
  const r = knsim(args);
  if (r.code !== 0) throw new Error(`${name}: exit ${r.code}\n${r.stderr}`);
  writeFileSync(here(name), r.stdout);
}
