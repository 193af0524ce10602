/**
 * An approximation of knative.dev/pkg kmp.ShortDiff, which Knative puts in the details of
 * "Saw the following changes without a name change" and "Immutable fields changed": one entry
 * per changed leaf, `<Go path>:\n\t-: "<old>"\n\t+: "<new>"\n`. Paths use Go field names
 * (JSON names capitalised, with PodSpec and ObjectMeta inlined as Go embeds them); values print
 * like %+v for scalars. Exact for the common case (a changed image, env value or field).
 */

// JSON field → Go path segment, where Go's name is not just the capitalised JSON name.
const GO_FIELD: Record<string, string> = {
  metadata: 'ObjectMeta',
  containers: 'PodSpec.Containers',
  volumes: 'PodSpec.Volumes',
  initContainers: 'PodSpec.InitContainers',
  serviceAccountName: 'PodSpec.ServiceAccountName',
  imagePullSecrets: 'PodSpec.ImagePullSecrets',
  enableServiceLinks: 'PodSpec.EnableServiceLinks',
  httpGet: 'ProbeHandler.HTTPGet',
  tcpSocket: 'ProbeHandler.TCPSocket',
  exec: 'ProbeHandler.Exec',
  grpc: 'ProbeHandler.GRPC',
  env: 'Env',
  envFrom: 'EnvFrom',
};

const goField = (k: string) => GO_FIELD[k] ?? k.charAt(0).toUpperCase() + k.slice(1);

function fmt(v: unknown): string {
  if (v === undefined || v === null) return '<nil>';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Whether a JSON value is what Go reads back as a zero value: absent, or an object or array with
 * nothing in it (omitempty drops empty maps and slices when an object is stored, and a struct
 * with only such fields equals its zero value).
 */
function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.every(isEmpty) && v.length === 0;
  if (isObj(v)) return Object.values(v).every(isEmpty);
  return false;
}

/** A struct field's Go zero value, of the type of the value on the other side. */
function zeroLike(v: unknown): unknown {
  if (typeof v === 'string') return '';
  if (typeof v === 'number') return 0;
  if (typeof v === 'boolean') return false;
  return undefined;
}

function walk(a: unknown, b: unknown, path: string, out: string[], inMap: boolean): void {
  if (isEmpty(a) && isEmpty(b)) return;
  // A struct missing on one side is its zero value there: compare field by field.
  if (!inMap && isObj(a) && b === undefined) b = {};
  if (!inMap && isObj(b) && a === undefined) a = {};
  if (isObj(a) && isObj(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    // Labels, annotations, requests/limits are Go maps: keys print as ["key"].
    const childIsMap = (k: string) => ['labels', 'annotations', 'requests', 'limits', 'appendHeaders'].includes(k);
    for (const k of keys) {
      const seg = inMap ? `[${JSON.stringify(k)}]` : `.${goField(k)}`;
      walk(a[k], b[k], path + seg, out, childIsMap(k));
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) walk(a[i], b[i], `${path}[${i}]`, out, false);
    return;
  }
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  // A struct's scalar field is never missing in Go: it holds its zero value (a map's key can be).
  if (!inMap) {
    if (a === undefined) a = zeroLike(b);
    if (b === undefined) b = zeroLike(a);
  }
  let entry = `${path}:\n`;
  if (a !== undefined) entry += `\t-: "${fmt(a)}"\n`;
  if (b !== undefined) entry += `\t+: "${fmt(b)}"\n`;
  out.push(entry);
}

/** ShortDiff(old, new) with `root` as the Go type prefix, e.g. `{*v1.RevisionTemplateSpec}`. */
export function shortDiff(oldV: unknown, newV: unknown, root: string): string {
  const out: string[] = [];
  walk(oldV, newV, root, out, false);
  return out.join('');
}
