/**
 * The API server's first check of an object: every field has the type its OpenAPI schema says,
 * before any defaulting or webhook sees it (a CRD's structural schema; a built-in kind's Go
 * struct). The message is kubectl's client-side validation (k8s.io/kubectl pkg/util/openapi/
 * validation, kube-openapi pkg/util/proto/validation): `ValidationError(Service.spec.template.
 * spec.containerConcurrency): invalid type for dev.knative.serving.v1.RevisionSpec.
 * containerConcurrency: got "string", expected "integer"`.
 *
 * Only types are checked here. Unknown fields are the webhooks' to report ("must not set the
 * field(s)"), as Knative's CRDs preserve them to let the webhook say so.
 */

/** A node of an OpenAPI schema, as far as types go. */
export type Schema =
  | { readonly type: 'object'; readonly name: string; readonly properties: Readonly<Record<string, Schema>> }
  | { readonly type: 'map'; readonly values: Schema }
  | { readonly type: 'array'; readonly items: Schema }
  | { readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'int-or-string' | 'any' };

/** kube-openapi's names for the JSON types it found (proto/validation/types.go). */
export function jsonTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'map';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v; // string, boolean
}

function fits(s: Schema, v: unknown): boolean {
  switch (s.type) {
    case 'object':
    case 'map':
      return v !== null && typeof v === 'object' && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'int-or-string':
      return typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v));
    case 'any':
      return true;
  }
}

const expected = (s: Schema): string => (s.type === 'object' || s.type === 'map' ? 'map' : s.type === 'int-or-string' ? 'integer or string' : s.type);

/** One type mistake: where (the kind and the field path) and the message. */
export interface StructuralError {
  /** Field path from the object's root, as YAML keys and list indexes. */
  path: readonly (string | number)[];
  message: string;
}

/**
 * Every type mistake in `obj` against `schema` (the kind's root), in document order. `kind` names
 * the root in messages (`ValidationError(Service.spec…)`). A null where a value belongs counts as
 * absent, as the API server drops nulls of optional fields.
 */
export function validateStructure(obj: unknown, schema: Schema, kind: string): StructuralError[] {
  const out: StructuralError[] = [];
  const walk = (s: Schema, v: unknown, path: (string | number)[], owner: string, field: string, item = false) => {
    // A null field is an absent one; a null list item or map value is a value of the wrong type.
    if ((v === null && !item) || v === undefined || s.type === 'any') return;
    if (!fits(s, v)) {
      const where = `${kind}${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}`;
      out.push({ path, message: `ValidationError(${where}): invalid type for ${owner}.${field}: got ${JSON.stringify(jsonTypeName(v))}, expected ${JSON.stringify(expected(s))}` });
      return;
    }
    if (s.type === 'object') {
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        if (!Object.prototype.hasOwnProperty.call(s.properties, k)) continue;
        walk(s.properties[k]!, o[k], [...path, k], s.name, k);
      }
    } else if (s.type === 'map') {
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) walk(s.values, o[k], [...path, k], owner, field, true);
    } else if (s.type === 'array') {
      (v as unknown[]).forEach((x, i) => walk(s.items, x, [...path, i], owner, field, true));
    }
  };
  walk(schema, obj, [], kind, '');
  return out;
}
