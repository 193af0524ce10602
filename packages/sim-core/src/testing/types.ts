/**
 * The plain data the kit's arbitraries generate and its builders, drivers and laws take. Nothing
 * here holds a Cluster: a value prints, compares and shrinks like any other fast-check value.
 */
import type { TrafficTarget } from '../apis/serving/v1/types.js';

export type { TrafficTarget };

/** One revision of a Service or Configuration: what changes from one apply to the next. */
export interface RevisionTemplate {
  /** The revision's name (BYO); default `<service>-v<n>`. */
  name?: string;
  /** The container image; default the options' image, else `example.com/<service>:v<n>`. */
  image?: string;
  /** Template annotations (autoscaling.knative.dev/*, knsim.dev/*), on top of the options' ones. */
  annotations?: Readonly<Record<string, string>>;
  containerConcurrency?: number;
  timeoutSeconds?: number;
  env?: Readonly<Record<string, string>>;
}

/** A Knative Service with its revisions in creation order and the traffic block of the last apply. */
export interface ServiceOptions {
  name: string;
  namespace?: string;
  /** How many revisions (each an apply of the Service), or each revision's template. Default 1. */
  revisions?: number | readonly RevisionTemplate[];
  /** The traffic block applied with the last revision; absent means 100% to the latest. */
  traffic?: readonly TrafficTarget[];
  /** Template annotations every revision gets. */
  annotations?: Readonly<Record<string, string>>;
  /** The image every revision runs (revisions still differ by name). */
  image?: string;
}

/** A Knative Configuration with its revisions, and the Route that splits traffic over them. */
export interface ConfigurationOptions extends ServiceOptions {
  /** The Route's name (default the Configuration's). */
  route?: string;
}

/**
 * A load as plain data. Sizes are bounded by the arbitrary that makes them, so a property's
 * simulations stay small.
 */
export type LoadPattern =
  | { kind: 'constant'; rps: number; durationMs: number }
  | { kind: 'poisson'; rps: number; durationMs: number }
  | { kind: 'ramp'; fromRps: number; toRps: number; durationMs: number }
  | { kind: 'burst'; requests: number; bursts: number; everyMs: number }
  | { kind: 'closed'; users: number; thinkMs: number; durationMs: number };

/** An invalid value and the message Knative's webhook gives for it (paths as inside a Service). */
export interface Invalid<T> {
  value: T;
  /** `<message>: <paths>`, as `knsim validate` prints it after `validation failed: `. */
  message: string;
}
