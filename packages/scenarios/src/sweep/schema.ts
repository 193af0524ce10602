/**
 * A sweep: one scenario, run for every combination of a matrix of settings and every seed.
 *
 * ```yaml
 * name: window-vs-latency
 * scenario: scale-from-zero          # a built-in, or a path relative to this file
 * seeds: 1..8                        # or a list
 * matrix:
 *   config:                          # ConfigMap.key: values
 *     config-autoscaler.stable-window: [30s, 60s]
 *   annotations:                     # Service name: annotation: values
 *     autoscale: { autoscaling.knative.dev/target: ["10", "50"] }
 *   loads:                           # load name: field: values
 *     burst: { rps: [5, 20] }
 *   latencies:                       # knsim's latency name: values
 *     imagePull: ["lognormal(4s,0.4)"]
 * ```
 */
export interface SweepSpec {
  name: string;
  description?: string;
  /** The sweep file, as named in errors. */
  file: string;
  /** A built-in scenario's name, or a path relative to the sweep file. */
  scenario: string;
  /** The seeds every combination runs with, in order. */
  seeds: number[];
  /** The matrix's axes in the order the file gives them; the first varies slowest. */
  axes: Axis[];
}

/** The fields of a load step a sweep may vary. */
export const LOAD_FIELDS = ['rps', 'to', 'concurrency', 'think', 'duration', 'burst.requests', 'burst.every'] as const;
export type LoadField = (typeof LOAD_FIELDS)[number];

/** What an axis sets in the scenario. */
export type AxisTarget =
  | { kind: 'config'; configMap: string; key: string }
  | { kind: 'annotation'; service: string; annotation: string }
  | { kind: 'load'; load: string; field: LoadField }
  | { kind: 'latency'; latency: string };

/** One axis of the matrix: a setting and the values it takes. */
export interface Axis {
  /** The parameter's name in the results: `config.<cm>.<key>`, `annotations.<service>.<annotation>`, `loads.<load>.<field>`, `latencies.<name>`. */
  name: string;
  /** Where it is in the sweep file, for errors (`matrix.config.config-autoscaler.stable-window`). */
  path: string;
  target: AxisTarget;
  values: Array<string | number>;
}

/** One combination's value of each axis, by axis name. */
export type Parameters = Record<string, string | number>;

/** One run of a sweep: a combination and a seed. */
export interface SweepRun {
  /** The combination's index in `combinations(axes)`. */
  combination: number;
  parameters: Parameters;
  seed: number;
}
