import quantile from '@stdlib/stats-base-dists-t-quantile';
import type { Aggregate } from '@knsim/report';

export type { Aggregate };

/** Six decimals: enough for milliseconds and counts, and the same text on every machine. */
export const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * Mean, standard deviation and the t interval of the mean, summed in the order given (the
 * seeds' order), so the same runs give the same bits whichever worker ran them.
 */
export function aggregate(xs: readonly number[]): Aggregate {
  const n = xs.length;
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / n;
  if (n < 2) return { mean: round6(mean), sd: null, ci95: null };
  let ss = 0;
  for (const x of xs) ss += (x - mean) * (x - mean);
  const sd = Math.sqrt(ss / (n - 1));
  const half = quantile(0.975, n - 1) * (sd / Math.sqrt(n));
  return { mean: round6(mean), sd: round6(sd), ci95: [round6(mean - half), round6(mean + half)] };
}
