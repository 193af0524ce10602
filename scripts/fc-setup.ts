import fc from 'fast-check';

// Every property test runs from one printed seed. CI pins it (FC_SEED or the default below),
// so a red CI run is reproduced with `FC_SEED=<seed> npm test`.
const pinned = process.env.FC_SEED ?? (process.env.CI ? '20261122' : undefined);
const seed = pinned !== undefined ? Number(pinned) : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
const numRuns = process.env.FC_NUM_RUNS ? Number(process.env.FC_NUM_RUNS) : 100;
fc.configureGlobal({ seed, numRuns });
console.log(`[fast-check] seed=${seed} numRuns=${numRuns} (reproduce with FC_SEED=${seed})`);
