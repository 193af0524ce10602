/**
 * How many runs an expensive property makes: `n` (small, so CI stays quick), unless FC_NUM_RUNS
 * asks for more everywhere (scripts/fc-setup.ts reads the same variable for the cheap ones).
 */
export const runs = (n: number): number => (process.env.FC_NUM_RUNS ? Number(process.env.FC_NUM_RUNS) : n);
