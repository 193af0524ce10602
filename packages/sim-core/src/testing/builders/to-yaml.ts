import type { KObject } from '../../apis/core/v1.js';
import { objectsToYaml } from '../_internals/yaml.js';

/**
 * Manifests as ready-to-apply YAML. A list from `service()` holds one object per apply, so each
 * document is marked with its step (`# apply 2 of 3`): apply them one after another, waiting for
 * Ready in between, to recreate the revisions.
 */
export function toYaml(objects: KObject | readonly KObject[]): string {
  const list = Array.isArray(objects) ? (objects as readonly KObject[]) : [objects as KObject];
  const steps = list.length > 1 ? list.map((_, i) => `apply ${i + 1} of ${list.length}`) : [];
  return objectsToYaml(list, steps);
}
