/** A combination's parameters: the sweep's parameter names (`config.config-autoscaler.stable-window`) and their values. */
export type SweepParameters = Record<string, string | number>;

/** A figure over a combination's seeds. */
export interface Aggregate {
  mean: number;
  /** Sample standard deviation (n − 1); null with one run. */
  sd: number | null;
  /** 95 % confidence interval of the mean, Student's t with n − 1 degrees of freedom; null with one run. */
  ci95: [number, number] | null;
}

/** sweep.json: what `knsim sweep` merged from its runs (docs/sweeps.md). */
export interface SweepJson {
  sweep: string;
  scenario: string;
  seeds: number[];
  axes: Array<{ name: string; values: Array<string | number> }>;
  /** Every run, combination by combination and seed by seed: `{parameters, seed, ...figures}` or `{parameters, seed, error}`. */
  runs: Array<{ parameters: SweepParameters; seed: number; error?: string } & Record<string, unknown>>;
  /** Per combination, each figure over the seeds that finished: `{parameters, runs, failed, ...{figure: {mean, sd, ci95}}}`. */
  combinations: Array<{ parameters: SweepParameters; runs: number; failed: number } & Record<string, unknown>>;
}
