import { readFileSync, readdirSync } from 'node:fs';
import { expect, it } from 'vitest';

const src = new URL('../src/', import.meta.url);

// The report is fed by results and trace events, never by a Cluster (that it imports sim-core
// for types only is one of the architecture test's package rules).
it('the report sources never name a Cluster', () => {
  const named = (readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).filter((f) => /\bCluster\b/.test(readFileSync(new URL(f, src), 'utf8')));
  expect(named).toEqual([]);
});
