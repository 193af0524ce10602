import type { RevisionTemplateSpec } from '../../apis/serving/v1/types.js';
import type { RevisionTemplate, ServiceOptions } from '../types.js';

/** Each revision's template with its name and image filled in, in creation order. */
export function revisionTemplates(o: ServiceOptions): Array<Required<Pick<RevisionTemplate, 'name' | 'image'>> & RevisionTemplate> {
  const given = typeof o.revisions === 'number' || o.revisions === undefined ? Array.from({ length: o.revisions ?? 1 }, () => ({})) : o.revisions;
  if (given.length === 0) throw new RangeError(`${o.name}: a Service needs at least one revision`);
  return given.map((r: RevisionTemplate, i) => ({
    ...r,
    name: r.name ?? `${o.name}-v${i + 1}`,
    image: r.image ?? o.image ?? `example.com/${o.name}:v${i + 1}`,
  }));
}

/** The revision template spec of a Service or Configuration for one revision. */
export function templateSpec(o: ServiceOptions, r: ReturnType<typeof revisionTemplates>[number]): RevisionTemplateSpec {
  const annotations = { ...(o.annotations ?? {}), ...(r.annotations ?? {}) };
  const env = Object.entries(r.env ?? {}).map(([name, value]) => ({ name, value }));
  return {
    metadata: { name: r.name, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
    spec: {
      ...(r.containerConcurrency !== undefined ? { containerConcurrency: r.containerConcurrency } : {}),
      ...(r.timeoutSeconds !== undefined ? { timeoutSeconds: r.timeoutSeconds } : {}),
      containers: [{ image: r.image, ...(env.length > 0 ? { env } : {}) }],
    },
  };
}
