import fc from 'fast-check';
import type { Service } from '../../apis/serving/v1/types.js';
import { service } from '../builders/service.js';
import { toYaml } from '../builders/to-yaml.js';
import { printable } from '../_internals/printable.js';
import type { Invalid } from '../types.js';
import { invalidAutoscalingAnnotations } from './invalid-autoscaling-annotations.js';
import { invalidTraffic } from './invalid-traffic.js';

/**
 * A Knative Service with exactly one mistake — its traffic block or one autoscaling annotation
 * — and the message Knative's webhook gives for it (`knsim validate` prints it after
 * `validation failed: `). For testing validators; a counterexample prints as its YAML.
 */
export function invalidService(o: { name?: string } = {}): fc.Arbitrary<Invalid<Service>> {
  const name = o.name ?? 'app';
  const revisions = [`${name}-v1`, `${name}-v2`, `${name}-v3`];
  const manifest = (traffic: Service['spec']['traffic'] | undefined, annotations: Record<string, string> | undefined) =>
    printable(service({ name, revisions: [{ name: `${name}-v3`, ...(annotations ? { annotations } : {}) }], ...(traffic ? { traffic } : {}) })[0]!, (s) => toYaml(s));
  return fc.oneof(
    invalidTraffic({ revisions }).map((t) => ({ value: manifest(t.value, undefined), message: t.message })),
    invalidAutoscalingAnnotations().map((a) => ({ value: manifest(undefined, a.value), message: a.message })),
  );
}
