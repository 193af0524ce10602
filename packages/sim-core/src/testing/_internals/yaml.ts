import { stringify } from 'yaml';
import type { KObject } from '../../apis/core/v1.js';

/** Objects as the YAML a user would `kubectl apply -f`, one document each. */
export function objectsToYaml(objects: readonly KObject[], comments: readonly (string | undefined)[] = []): string {
  return objects
    .map((o, i) => `${comments[i] !== undefined ? `# ${comments[i]}\n` : ''}${stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })}`)
    .join('---\n');
}
