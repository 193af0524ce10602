import type fc from 'fast-check';
import { service } from '../builders/service.js';
import { toYaml } from '../builders/to-yaml.js';
import { specArbitrary } from '../_internals/spec-arbitrary.js';
import type { ServiceOptions } from '../types.js';
import type { AutoscalingAnnotationsOptions } from './autoscaling-annotations.js';
import type { TrafficBlockOptions } from './traffic-block.js';

export interface ServiceSpecOptions {
  /** The Service's name (default `app`). */
  name?: string;
  namespace?: string;
  /** Fewest and most revisions (default 1 and 3). */
  minRevisions?: number;
  maxRevisions?: number;
  /** A generated traffic block over the revisions (default), or none (100% to the latest). */
  traffic?: boolean | Omit<TrafficBlockOptions, 'revisions'>;
  /** Per-revision autoscaling annotations (default none, the cheapest simulation). */
  annotations?: boolean | AutoscalingAnnotationsOptions;
  /** The image every revision runs (default `example.com/<name>:v<n>`). */
  image?: string;
}

/**
 * A Knative Service with 1–N revisions, as the options `service()` builds manifests from: valid
 * by construction (BYO revision names, a traffic block Knative accepts, annotations within
 * Knative's ranges). A counterexample prints as the manifests' YAML, ready to apply.
 */
export function serviceSpec(o: ServiceSpecOptions = {}): fc.Arbitrary<ServiceOptions> {
  return specArbitrary(o, (v) => toYaml(service(v)));
}
