import { deepCopy, deepEqual } from './deep-copy.js';
import { dict, hasOwn, setOwn } from './dict.js';

/** kubectl's annotation holding the configuration last applied. */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const isObject = (v: unknown): v is Record<string, Json> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The JSON merge patch (RFC 7386) that turns `from` into `to`: changed keys, nulls for removed
 * keys, lists replaced whole. This is what `kubectl apply` sends for custom resources (which
 * have no strategic-merge metadata): the difference between the last-applied configuration and
 * the new file, so fields the server defaulted and the file never mentioned are left alone.
 */
export function mergePatchDiff(from: Json, to: Json): Json | undefined {
  if (!isObject(from) || !isObject(to)) return deepEqual(from, to) ? undefined : deepCopy(to);
  const patch: Record<string, Json> = {};
  for (const k of Object.keys(from)) if (!hasOwn(to, k)) setOwn(patch, k, null);
  for (const k of Object.keys(to)) {
    if (!hasOwn(from, k)) setOwn(patch, k, deepCopy(to[k]!));
    else {
      const d = mergePatchDiff(from[k]!, to[k]!);
      if (d !== undefined) setOwn(patch, k, d);
    }
  }
  return Object.keys(patch).length === 0 ? undefined : patch;
}

/** Applies an RFC 7386 merge patch. */
export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return deepCopy(patch);
  const out: Record<string, Json> = isObject(target) ? deepCopy(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else setOwn(out, k, applyMergePatch(hasOwn(out, k) ? out[k]! : null, v));
  }
  return out;
}

/**
 * What `kubectl apply` makes of a manifest for an object that exists: the live object (minus
 * status) patched with the difference between the last-applied configuration and the manifest,
 * and the manifest recorded as the new last-applied configuration. Without a last-applied
 * configuration (an object kubectl did not create) the manifest replaces the object.
 */
export function kubectlApply(live: Record<string, unknown> | undefined, manifest: Record<string, unknown>): Record<string, unknown> {
  const recorded = deepCopy(manifest) as Record<string, Json>;
  const meta = (recorded.metadata as Record<string, Json>) ?? {};
  const ann = { ...((meta.annotations as Record<string, Json>) ?? {}) };
  delete ann[LAST_APPLIED];
  const clean = { ...recorded, metadata: { ...meta, annotations: ann } } as Record<string, Json>;
  if (Object.keys(ann).length === 0) delete (clean.metadata as Record<string, Json>).annotations;
  const lastAppliedText = JSON.stringify(sortKeys(clean));
  let next: Record<string, Json>;
  const liveAnn = ((live?.metadata as Record<string, unknown> | undefined)?.annotations as Record<string, string> | undefined) ?? dict<string>();
  if (live !== undefined && hasOwn(liveAnn, LAST_APPLIED)) {
    const last = JSON.parse(liveAnn[LAST_APPLIED]) as Json;
    const base = deepCopy(live) as Record<string, Json>;
    delete base.status;
    const patch = mergePatchDiff(last, clean) ?? {};
    next = applyMergePatch(base, patch) as Record<string, Json>;
  } else {
    next = clean;
  }
  const m = (next.metadata ??= {}) as Record<string, Json>;
  m.annotations = { ...((m.annotations as Record<string, Json>) ?? {}), [LAST_APPLIED]: lastAppliedText };
  return next;
}

function sortKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isObject(v)) return v;
  const out: Record<string, Json> = {};
  for (const k of Object.keys(v).sort()) setOwn(out, k, sortKeys(v[k]!));
  return out;
}
