import { LineCounter, isMap, isScalar, parseAllDocuments, type Document } from 'yaml';
import type { KObject } from './core/v1.js';
import { deepCopy } from './deep-copy.js';
import { KIND_SCHEMAS } from './schema/schemas.js';
import { validateStructure } from './schema/structural.js';

/**
 * `kubectl apply -f` for knsim: multi-document YAML in, API objects out. Each document must be
 * an object of a kind knsim's cluster serves (SUPPORTED_KINDS); the error for anything else
 * names the file, line and column, like kubectl names the resource it could not map.
 * Deprecated serving.knative.dev versions are converted to v1 with a warning.
 */

export class ManifestError extends Error {
  override name = 'ManifestError';
  constructor(
    readonly reason: string,
    readonly file: string | undefined,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${file ?? '<input>'}:${line}:${column}: ${reason}`);
  }
}

export interface SourceLocation {
  file?: string;
  line: number;
  column: number;
}

export interface ParsedManifests {
  objects: KObject[];
  /** Where each object's document starts, index for index with `objects`. */
  locations: SourceLocation[];
  /** kubectl-style `Warning:` lines (deprecated API versions). */
  warnings: string[];
}

/** group → kind → accepted versions. Cluster-scoped kinds get no namespace. */
export const SUPPORTED_KINDS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  '': { ConfigMap: ['v1'], Service: ['v1'] },
  'serving.knative.dev': {
    Service: ['v1', 'v1beta1', 'v1alpha1'],
    Configuration: ['v1', 'v1beta1', 'v1alpha1'],
    Route: ['v1', 'v1beta1', 'v1alpha1'],
    // The Serving API accepts user-created Revisions (RBAC grants create; the webhook validates them).
    Revision: ['v1', 'v1beta1', 'v1alpha1'],
    DomainMapping: ['v1beta1', 'v1alpha1'],
  },
  'networking.istio.io': { VirtualService: ['v1', 'v1beta1', 'v1alpha3'], Gateway: ['v1', 'v1beta1', 'v1alpha3'] },
  'networking.internal.knative.dev': { ClusterDomainClaim: ['v1alpha1'] },
  'extensions.higress.io': { WasmPlugin: ['v1alpha1'] },
};

/**
 * How many times aliases may be expanded in one document. go-yaml (which kubectl and the API
 * server use) refuses documents whose aliases expand beyond a ratio of their size with
 * "document contains excessive aliasing"; 100 expansions is the YAML library's own default.
 */
export const MAX_ALIAS_COUNT = 100;
/** go-yaml's message for an alias bomb (yaml.v3 decode.go). */
export const ALIAS_BOMB = 'yaml: document contains excessive aliasing';

const CLUSTER_SCOPED = new Set(['networking.internal.knative.dev/ClusterDomainClaim']);

/** Whether objects of group/kind `gk` live outside namespaces. */
export const isClusterScoped = (gk: string): boolean => CLUSTER_SCOPED.has(gk);

export const DEFAULT_NAMESPACE = 'default';

function splitApiVersion(apiVersion: string): [group: string, version: string] {
  const i = apiVersion.lastIndexOf('/');
  return i < 0 ? ['', apiVersion] : [apiVersion.slice(0, i), apiVersion.slice(i + 1)];
}

export function parseManifests(text: string, file?: string): ParsedManifests {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const fail = (reason: string, offset: number): never => {
    const p = at(offset);
    throw new ManifestError(reason, file, p.line, p.column);
  };
  const out: ParsedManifests = { objects: [], locations: [], warnings: [] };
  if (!Array.isArray(docs)) {
    // parseAllDocuments returns an EmptyStream for an empty input.
    return out;
  }
  for (const doc of docs as Document.Parsed[]) {
    const err = doc.errors[0];
    if (err) fail(`error converting YAML to JSON: ${err.message.split('\n')[0]}`, err.pos[0]);
    // An empty document (`---` with nothing or only comments after it) is skipped, as kubectl does.
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) continue;
    const start = doc.contents.range?.[0] ?? 0;
    if (!isMap(doc.contents)) fail('error unmarshaling JSON: a manifest document must be a YAML mapping (an object)', start);
    let raw: Record<string, unknown>;
    try {
      raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as Record<string, unknown>;
    } catch (e) {
      // The YAML library refuses an alias bomb ("billion laughs") with a ReferenceError.
      if (e instanceof ReferenceError) fail(`error converting YAML to JSON: ${ALIAS_BOMB}`, start);
      throw e;
    }
    // A mistake at a field points at its node (or at the document when the field is missing).
    const failAt = (reason: string, path: readonly (string | number)[]): never => {
      const n = path.length === 0 ? undefined : (doc.getIn(path, true) as { range?: [number, number, number] } | undefined);
      return fail(reason, n?.range?.[0] ?? start);
    };
    out.objects.push(documentObject(raw, failAt, out.warnings));
    out.locations.push({ ...(file !== undefined ? { file } : {}), ...at(start) });
  }
  return out;
}

/**
 * One document's checks and conversions, whatever it was parsed from: apiVersion, kind and name
 * set, a kind and version knsim serves, the default namespace, ConfigMap data as strings, and
 * the deprecated serving versions converted to v1 (with a warning). `fail` reports a mistake at
 * a field path (`[]`: the document).
 */
function documentObject(raw: Record<string, unknown>, fail: (reason: string, path: readonly (string | number)[]) => never, warnings: string[]): KObject {
  // sigs.k8s.io/yaml converts YAML to JSON with encoding/json, which has no NaN or infinity.
  const bad = nonFinite(raw, []);
  if (bad) fail(`error converting YAML to JSON: json: unsupported value: ${Number.isNaN(bad.value) ? 'NaN' : bad.value > 0 ? '+Inf' : '-Inf'}`, bad.path);
  const apiVersion = raw['apiVersion'];
  const kind = raw['kind'];
  if (typeof apiVersion !== 'string' || apiVersion === '') fail('error validating data: apiVersion not set', []);
  if (typeof kind !== 'string' || kind === '') fail('error validating data: kind not set', []);
  const metadata = raw['metadata'];
  if (metadata !== undefined && (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))) {
    fail('error validating data: metadata must be an object', ['metadata']);
  }
  const meta = (metadata ?? {}) as Record<string, unknown>;
  if (typeof meta['name'] !== 'string' || meta['name'] === '') fail(`error validating data: metadata.name not set for ${kind as string}`, ['metadata']);
  const [group, version] = splitApiVersion(apiVersion as string);
  // Own keys only: a kind named `constructor` or `__proto__` is no kind knsim serves.
  const kinds = Object.prototype.hasOwnProperty.call(SUPPORTED_KINDS, group) ? SUPPORTED_KINDS[group]! : undefined;
  const versions = kinds !== undefined && Object.prototype.hasOwnProperty.call(kinds, kind as string) ? kinds[kind as string] : undefined;
  if (!versions) {
    fail(`no matches for kind ${JSON.stringify(kind)} in version ${JSON.stringify(apiVersion)}: knsim does not simulate ${kind as string} (${apiVersion as string})`, ['kind']);
  }
  if (!versions!.includes(version)) fail(`no matches for kind ${JSON.stringify(kind)} in version ${JSON.stringify(apiVersion)}`, ['apiVersion']);
  const key = `${group}/${kind as string}`;
  if (!CLUSTER_SCOPED.has(key) && (meta['namespace'] === undefined || meta['namespace'] === '')) meta['namespace'] = DEFAULT_NAMESPACE;
  raw['metadata'] = meta;

  let obj = raw as KObject;
  if (group === '' && kind === 'ConfigMap') checkConfigMapData(obj, fail);
  if (group === 'serving.knative.dev' && (version === 'v1alpha1' || version === 'v1beta1') && kind !== 'DomainMapping') {
    warnings.push(`Warning: serving.knative.dev/${version} ${kind as string} is deprecated; knsim converts it to serving.knative.dev/v1 ${kind as string}`);
    try {
      obj = convertServingToV1(obj);
    } catch (e) {
      fail((e as Error).message, ['spec']);
    }
  }
  if (group === 'serving.knative.dev' && kind === 'DomainMapping' && version === 'v1alpha1') {
    warnings.push('Warning: serving.knative.dev/v1alpha1 DomainMapping is deprecated; use serving.knative.dev/v1beta1 DomainMapping');
    obj = { ...obj, apiVersion: 'serving.knative.dev/v1beta1' };
  }
  const errs = validateStructure(obj, KIND_SCHEMAS[key]!, kind as string);
  // Go decodes a null field as its zero value, as if it were absent; a missing or null spec is
  // an empty struct.
  dropNullFields(obj);
  if (key !== '/ConfigMap' && (obj as { spec?: unknown }).spec === undefined) (obj as { spec?: unknown }).spec = {};
  if (errs.length > 0) fail(`error validating data: ${errs.length === 1 ? errs[0]!.message : `[${errs.map((e) => e.message).join(', ')}]`}`, errs[0]!.path);
  return obj;
}

/** Deletes every object field whose value is null, at any depth (list items stay). */
function dropNullFields(v: unknown): void {
  if (v === null || typeof v !== 'object') return;
  if (Array.isArray(v)) {
    for (const x of v) dropNullFields(x);
    return;
  }
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (o[k] === null) delete o[k];
    else dropNullFields(o[k]);
  }
}

/** The first NaN or infinity in a parsed document, with its path. */
function nonFinite(v: unknown, path: (string | number)[]): { value: number; path: (string | number)[] } | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : { value: v, path };
  if (v === null || typeof v !== 'object') return undefined;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const r = nonFinite(v[i], [...path, i]);
      if (r) return r;
    }
    return undefined;
  }
  for (const k of Object.keys(v)) {
    const r = nonFinite((v as Record<string, unknown>)[k], [...path, k]);
    if (r) return r;
  }
  return undefined;
}

/** Thrown inside manifestObjects when a document has a mistake: its message comes from the YAML path. */
const NOT_CLEAN = Symbol('not clean');

/**
 * Objects given as values rather than text, as `parseManifests` would return them for their
 * JSON (each object one document, `---` between): the same checks and conversions, without the
 * YAML parser — the values go through JSON, as the text would. Undefined when any document has
 * a mistake, so the caller can parse the text instead for the message with its line and column.
 */
export function manifestObjects(values: readonly unknown[], file?: string): ParsedManifests | undefined {
  const out: ParsedManifests = { objects: [], locations: [], warnings: [] };
  const clean = (): never => {
    throw NOT_CLEAN;
  };
  try {
    values.forEach((v, i) => {
      const raw: unknown = JSON.parse(JSON.stringify(v) ?? 'null');
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) clean();
      out.objects.push(documentObject(raw as Record<string, unknown>, clean, out.warnings));
      // The document's place in the joined JSON text: one line each, `---` lines between.
      out.locations.push({ ...(file !== undefined ? { file } : {}), line: 2 * i + 1, column: 1 });
    });
  } catch (e) {
    if (e === NOT_CLEAN) return undefined;
    throw e;
  }
  return out;
}

/** ConfigMap.data must map strings to strings; YAML numbers and booleans must be quoted. */
function checkConfigMapData(obj: KObject, fail: (msg: string, path: readonly string[]) => never): void {
  const data = obj['data'];
  if (data === undefined || data === null) return;
  if (typeof data !== 'object' || Array.isArray(data)) fail('ConfigMap in version "v1" cannot be handled as a ConfigMap: data must be a map of strings', ['data']);
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
    if (typeof v !== 'string') {
      const t = v === null ? 'null' : typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'bool' : Array.isArray(v) ? 'array' : 'object';
      fail(`ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal ${t} into Go struct field ConfigMap.data of type string (quote the value of ${JSON.stringify(k)})`, ['data', k]);
    }
  }
}

type Json = Record<string, unknown>;

/**
 * The v1alpha1 → v1 conversion of the removed serving v1alpha1 API (knative/serving v0.18
 * pkg/apis/serving/v1alpha1/*_conversion.go): runLatest/pinned/release become traffic blocks,
 * revisionTemplate becomes template, the singular `container` becomes containers[0], and a
 * traffic target's `name` becomes its tag. v1beta1 had the v1 shape already.
 */
export function convertServingToV1(obj: KObject): KObject {
  const out = deepCopy(obj) as KObject & { spec?: Json };
  out.apiVersion = 'serving.knative.dev/v1';
  const spec = (out.spec ?? {}) as Json;
  switch (out.kind) {
    case 'Service':
      out.spec = convertServiceSpec(spec);
      break;
    case 'Configuration':
      out.spec = convertConfigurationSpec(spec);
      break;
    case 'Route':
      out.spec = { ...spec, ...(spec['traffic'] ? { traffic: convertTraffic(spec['traffic'] as Json[]) } : {}) };
      delete out.spec['generation'];
      break;
    case 'Revision':
      out.spec = convertRevisionSpec(spec);
      break;
  }
  return out;
}

function convertServiceSpec(spec: Json): Json {
  const cfg = (key: string) => convertConfigurationSpec(((spec[key] as Json)['configuration'] ?? {}) as Json);
  if (spec['runLatest']) return { ...cfg('runLatest'), traffic: [{ percent: 100, latestRevision: true }] };
  if (spec['pinned']) {
    const pinned = spec['pinned'] as Json;
    return { ...cfg('pinned'), traffic: [{ revisionName: pinned['revisionName'], percent: 100 }] };
  }
  if (spec['release']) {
    const release = spec['release'] as Json;
    const revisions = (release['revisions'] ?? []) as string[];
    const rollout = (release['rolloutPercent'] ?? 0) as number;
    const traffic: Json[] =
      revisions.length === 2
        ? [
            { revisionName: revisions[0], percent: 100 - rollout, tag: 'current' },
            { revisionName: revisions[1], percent: rollout, tag: 'candidate' },
            { tag: 'latest', latestRevision: true },
          ]
        : [
            { revisionName: revisions[0], percent: 100, tag: 'current' },
            { tag: 'latest', latestRevision: true },
          ];
    for (const t of traffic) {
      if (t['revisionName'] === '@latest') {
        delete t['revisionName'];
        t['latestRevision'] = true;
      }
    }
    return { ...cfg('release'), traffic };
  }
  if (spec['manual']) throw new Error('manual mode cannot be migrated forward.');
  const { traffic, ...rest } = spec;
  const out = convertConfigurationSpec(rest);
  if (traffic !== undefined) out['traffic'] = convertTraffic(traffic as Json[]);
  return out;
}

function convertConfigurationSpec(spec: Json): Json {
  const { revisionTemplate, template, generation: _g, build: _b, ...rest } = spec;
  const t = (template ?? revisionTemplate) as Json | undefined;
  if (!t) return rest;
  return { ...rest, template: { ...t, spec: convertRevisionSpec((t['spec'] ?? {}) as Json) } };
}

function convertRevisionSpec(spec: Json): Json {
  const { container, generation: _g, servingState: _s, concurrencyModel, ...rest } = spec;
  if (container && !rest['containers']) rest['containers'] = [container];
  // v1alpha1's concurrencyModel: Single meant one request at a time, Multi unlimited.
  if (concurrencyModel !== undefined && rest['containerConcurrency'] === undefined) rest['containerConcurrency'] = concurrencyModel === 'Single' ? 1 : 0;
  return rest;
}

function convertTraffic(traffic: Json[]): Json[] {
  return traffic.map((t) => {
    const { name, ...rest } = t;
    if (name !== undefined && rest['tag'] === undefined) rest['tag'] = name;
    return rest;
  });
}
