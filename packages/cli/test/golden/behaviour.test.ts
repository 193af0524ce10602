import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { knsim } from '../helpers.js';
import { CURLS, SCENARIOS } from './cases.js';

const golden = (name: string) => readFileSync(fileURLToPath(new URL(`./${name}.json`, import.meta.url)), 'utf8');

// Byte-identical, not merely equal: the files are what users diff and CI caches.
describe('behaviour kept byte for byte (issue 9: the reshaping changes no result)', () => {
  for (const name of SCENARIOS) {
    it(`knsim run ${name}: summary.json`, () => {
      const out = mkdtempSync(join(tmpdir(), 'knsim-golden-'));
      try {
        const r = knsim(['run', name, '--out', out, '--quiet']);
        expect(r.code, r.stderr).toBe(0);
        expect(readFileSync(join(out, 'summary.json'), 'utf8')).toBe(golden(`run-${name}`));
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });
  }
  for (const [name, args] of Object.entries(CURLS)) {
    it(`knsim ${args.slice(0, -1).filter((a) => !a.includes('/')).join(' ')} (${name})`, () => {
      const r = knsim(args);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(golden(name));
    });
  }
});
