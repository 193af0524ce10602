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

function walk(a: unknown, b: unknown, path: string, out: string[], inMap: boolean): void {
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
