import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import * as kit from '../../src/testing/index.js';

// The kit's public surface, listed: a name added or dropped is a decision this test makes visible,
// and docs/testing.md lists each with an example.
it('@knsim/sim-core/testing exports the kit, each name documented in docs/testing.md', () => {
  const names = Object.keys(kit).sort();
  expect(names).toEqual([
    'AUTOSCALING_ANNOTATION_KEYS',
    'LawViolation',
    'advance',
    'autoscalerConfig',
    'autoscalingAnnotations',
    'burst',
    'closedLoop',
    'clusterCommands',
    'configuration',
    'configurationSpec',
    'conservation',
    'drive',
    'invalidAutoscalingAnnotations',
    'invalidService',
    'invalidTraffic',
    'loadPattern',
    'openLoop',
    'percents',
    'runClusterModel',
    'runUntilQuiet',
    'sameSeedSameTrace',
    'scaleWithinBounds',
    'sendN',
    'servedByRoutable',
    'service',
    'serviceSpec',
    'smallCluster',
    'splitConverges',
    'tieOrderIndependent',
    'toYaml',
    'trafficBlock',
    'virtualService',
  ]);
  const doc = readFileSync(fileURLToPath(new URL('../../../../docs/testing.md', import.meta.url)), 'utf8');
  expect(names.filter((n) => !doc.includes(`\`${n}`))).toEqual([]);
});

it('the package root does not load fast-check (only the testing entry does)', () => {
  const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8'));
  expect(pkg.exports['./testing']).toEqual({ types: './dist/testing/index.d.ts', default: './dist/testing/index.js' });
  expect(pkg.dependencies['fast-check']).toBeUndefined();
  expect(pkg.peerDependencies['fast-check']).toBeDefined();
  expect(pkg.peerDependenciesMeta['fast-check']).toEqual({ optional: true });
});
