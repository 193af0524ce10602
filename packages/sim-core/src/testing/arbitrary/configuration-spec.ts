import type fc from 'fast-check';
import { configuration } from '../builders/configuration.js';
import { toYaml } from '../builders/to-yaml.js';
import type { ConfigurationOptions } from '../types.js';
import { specArbitrary } from '../_internals/spec-arbitrary.js';
import type { ServiceSpecOptions } from './service-spec.js';

/**
 * A Knative Configuration with 1–N revisions and a Route splitting traffic over them, as the
 * options `configuration()` builds manifests from; valid by construction. A counterexample
 * prints as the manifests' YAML.
 */
export function configurationSpec(o: ServiceSpecOptions = {}): fc.Arbitrary<ConfigurationOptions> {
  return specArbitrary(o, (v) => toYaml(configuration(v)));
}
