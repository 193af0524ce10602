import { CHECK_METRICS } from './checks.js';
import { CHECK_SUBJECTS, FIELDS, STEP_KINDS, type Field, type ObjectName } from './schema.js';

type JsonSchema = Record<string, unknown>;

/** A Go duration (`90s`, `1m30s`, `250ms`, `0s`), as `parseDuration` reads them. */
const DURATION: JsonSchema = { type: 'string', pattern: '^([0-9]+(\\.[0-9]*)?(ns|us|µs|μs|ms|s|m|h))+$|^0$', description: 'a Go duration: 90s, 1m30s, 250ms' };

function fieldSchema(f: Field): JsonSchema {
  const s = f.spec;
  const out: JsonSchema = (() => {
    switch (s.type) {
      case 'string':
        return { type: 'string' };
      case 'boolean':
        return { type: 'boolean' };
      case 'duration':
        return { ...DURATION };
      case 'url':
        return { type: 'string', pattern: '^[hH][tT][tT][pP][sS]?://[^/?#]+' };
      case 'stringMap':
        return { type: 'object', additionalProperties: { type: 'string' } };
      case 'nullableStringMap':
        return { type: 'object', additionalProperties: { type: ['string', 'null'] } };
      case 'configMaps':
        return { type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'string' } } };
      case 'number':
      case 'integer':
        return { type: s.type, ...(s.minimum !== undefined ? { minimum: s.minimum } : {}), ...(s.exclusiveMinimum !== undefined ? { exclusiveMinimum: s.exclusiveMinimum } : {}) };
      case 'enum':
        return { type: 'string', enum: [...s.values] };
      case 'latency':
        return { oneOf: [{ type: 'number' }, DURATION] };
      case 'object':
        return { $ref: `#/definitions/${s.of}` };
      case 'list':
        return { type: 'array', items: { $ref: `#/definitions/${s.of}` } };
    }
  })();
  return { ...out, description: f.doc };
}

function objectSchema(fields: Readonly<Record<string, Field>>, extra: JsonSchema = {}): JsonSchema {
  const required = Object.entries(fields)
    .filter(([, f]) => f.required)
    .map(([k]) => k);
  return {
    type: 'object',
    properties: Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, fieldSchema(f)])),
    additionalProperties: false,
    ...(required.length > 0 ? { required } : {}),
    ...extra,
  };
}

/** A check: one subject by name, one metric of that subject with its bound, and an optional name. */
function checkSchema(): JsonSchema {
  return {
    oneOf: CHECK_SUBJECTS.map((subject) => {
      const metrics = CHECK_METRICS[subject];
      const props: Record<string, JsonSchema> = { name: { type: 'string', description: 'what to print for it' }, [subject]: { type: 'string', description: `the ${subject}'s name` } };
      for (const [m, info] of Object.entries(metrics)) props[m] = { $ref: `#/definitions/${m === 'share' ? 'shareBound' : info!.duration ? 'latencyBound' : 'bound'}` };
      return { type: 'object', properties: props, required: [subject], additionalProperties: false, minProperties: 2, maxProperties: 3, description: `a check of a ${subject}: ${Object.keys(metrics).join(', ')}` };
    }),
  };
}

/**
 * The JSON Schema (draft-07) of scenario files, from the same field table the checker allows:
 * editors with yaml-language-server complete and check scenarios with it. The checker also
 * checks what a schema cannot say (names that exist, files beside the scenario, min ≤ max).
 */
export function scenarioJsonSchema(): JsonSchema {
  const defs: Record<string, JsonSchema> = {};
  for (const [name, fields] of Object.entries(FIELDS) as Array<[ObjectName, Readonly<Record<string, Field>>]>) {
    if (name === 'scenario') continue;
    const bound = name === 'bound' || name === 'latencyBound' ? { minProperties: 1 } : {};
    defs[name] = objectSchema(fields, name === 'manifest' ? { minProperties: 1, maxProperties: 1 } : bound);
  }
  defs.step = {
    description: `one of ${STEP_KINDS.join(', ')}`,
    oneOf: STEP_KINDS.map((k) => ({
      type: 'object',
      properties: { [k]: k === 'wait' ? { ...DURATION, description: 'simulated time to wait' } : { $ref: `#/definitions/${k}` } },
      required: [k],
      additionalProperties: false,
    })),
  };
  defs.check = checkSchema();
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://knsim.dev/schema/scenario.schema.json',
    title: 'knsim scenario',
    description: 'A knsim scenario: manifests, a timeline of steps, and checks over its summary (docs/scenarios.md).',
    ...objectSchema(FIELDS.scenario),
    definitions: defs,
  };
}
