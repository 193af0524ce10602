import { parseAllDocuments } from 'yaml';
import { Cluster, UserInputError } from '@knsim/sim-core';
import { checkScenario, isObj, ScenarioError, scenarioFiles, show, type LoadedScenario, type Obj } from '../run/parse.js';
import type { ClusterSpec } from '../run/schema.js';
import type { Axis, AxisTarget, Parameters, SweepRun, SweepSpec } from './schema.js';

/**
 * A scenario as plain data, everything it needs to run included: what a worker thread or another
 * machine is sent. `spec` is the scenario as written (before checking), `files` the texts of the
 * files it names, by the names it uses for them.
 */
export interface ScenarioBundle {
  file: string;
  spec: unknown;
  files: Record<string, string>;
}

export function bundleOf(loaded: LoadedScenario): ScenarioBundle {
  return { file: loaded.file, spec: loaded.spec, files: Object.fromEntries([...loaded.files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
}

/** Checks a bundle as a scenario file is checked, and returns it ready to run. */
export function loadBundle(b: ScenarioBundle): LoadedScenario {
  return checkScenario(b.spec, b.file, scenarioFiles(b.files));
}

/** Every combination of the axes' values, the first axis varying slowest. No axes: one empty combination. */
export function combinations(axes: readonly Axis[]): Parameters[] {
  let out: Parameters[] = [{}];
  for (const a of axes) out = out.flatMap((p) => a.values.map((v) => ({ ...p, [a.name]: v })));
  return out;
}

/** The sweep's runs: each combination with each seed, combination by combination. */
export function sweepRuns(sweep: Pick<SweepSpec, 'axes' | 'seeds'>): SweepRun[] {
  return combinations(sweep.axes).flatMap((parameters, combination) => sweep.seeds.map((seed) => ({ combination, parameters, seed })));
}

/**
 * Annotations Knative reads on the Service's own metadata (the Route and the KIngress inherit
 * them); every other annotation is set on the revision template, where the autoscaler, the
 * queue-proxy and knsim's user container read theirs. serving `pkg/apis/serving/register.go`,
 * networking `pkg/apis/networking/register.go`.
 */
export const SERVICE_METADATA_ANNOTATIONS: readonly string[] = [
  'serving.knative.dev/rollout-duration',
  'networking.knative.dev/ingress-class',
  'networking.knative.dev/ingress.class',
  'networking.knative.dev/http-protocol',
  'networking.knative.dev/certificate-class',
  'networking.knative.dev/disable-auto-tls',
  'networking.knative.dev/visibility',
];

const clone = <T>(v: T): T => structuredClone(v);

/** The manifest texts a scenario applies (its manifests and its apply steps), each with a way to replace it. */
function manifestSlots(spec: Obj, files: Record<string, string>): Array<{ text: string; set: (t: string) => void }> {
  const slots: Array<{ text: string; set: (t: string) => void }> = [];
  const fileSlot = (rel: unknown) => {
    if (typeof rel === 'string' && Object.hasOwn(files, rel)) slots.push({ text: files[rel]!, set: (t) => (files[rel] = t) });
  };
  for (const m of Array.isArray(spec.manifests) ? spec.manifests : []) {
    if (!isObj(m)) continue;
    if (typeof m.inline === 'string') slots.push({ text: m.inline, set: (t) => (m.inline = t) });
    else fileSlot(m.file);
  }
  for (const s of Array.isArray(spec.steps) ? spec.steps : []) {
    const a = isObj(s) && isObj(s.apply) ? s.apply : undefined;
    if (!a) continue;
    if (typeof a.inline === 'string') slots.push({ text: a.inline, set: (t) => (a.inline = t) });
    else fileSlot(a.file);
  }
  return slots;
}

const isKnativeService = (o: unknown, name: string) =>
  isObj(o) && o.kind === 'Service' && typeof o.apiVersion === 'string' && o.apiVersion.startsWith('serving.knative.dev/') && isObj(o.metadata) && o.metadata.name === name;

/** Sets an annotation on every Knative Service of that name the scenario applies; returns how many it changed. */
function annotate(spec: Obj, files: Record<string, string>, service: string, annotation: string, value: string): number {
  const where = SERVICE_METADATA_ANNOTATIONS.includes(annotation) ? ['metadata', 'annotations', annotation] : ['spec', 'template', 'metadata', 'annotations', annotation];
  let changed = 0;
  // A file applied twice is one slot per use but one text: annotate each distinct text once.
  const seen = new Map<string, string>();
  for (const slot of manifestSlots(spec, files)) {
    const done = seen.get(slot.text);
    if (done !== undefined) {
      slot.set(done);
      continue;
    }
    const docs = parseAllDocuments(slot.text);
    if (!Array.isArray(docs)) continue;
    let hit = false;
    for (const d of docs) {
      if (d.errors.length > 0 || !isKnativeService(d.toJS(), service)) continue;
      d.setIn(where, value);
      hit = true;
      changed++;
    }
    if (!hit) continue;
    const text = docs.map((d, i) => {
      const s = d.toString({ lineWidth: 0 });
      return i > 0 && !s.startsWith('---') ? `---\n${s}` : s;
    }).join('');
    seen.set(slot.text, text);
    slot.set(text);
  }
  return changed;
}

function setLoad(spec: Obj, load: string, field: string, value: string | number): boolean {
  for (const s of Array.isArray(spec.steps) ? spec.steps : []) {
    const l = isObj(s) && isObj(s.load) ? s.load : undefined;
    if (!l || l.name !== load) continue;
    if (field.startsWith('burst.')) {
      if (!isObj(l.burst)) l.burst = {};
      (l.burst as Obj)[field.slice('burst.'.length)] = value;
    } else l[field] = value;
    return true;
  }
  return false;
}

/** Why a parameter cannot be set in this scenario (a Service or load it does not have), or undefined. */
function setParameter(spec: Obj, files: Record<string, string>, t: AxisTarget, value: string | number): string | undefined {
  const cluster = (): Obj => (isObj(spec.cluster) ? spec.cluster : (spec.cluster = {}));
  const map = (o: Obj, k: string): Obj => (isObj(o[k]) ? (o[k] as Obj) : (o[k] = {}));
  switch (t.kind) {
    case 'config':
      map(map(cluster(), 'config'), t.configMap)[t.key] = String(value);
      return undefined;
    case 'latency':
      map(cluster(), 'latencies')[t.latency] = String(value);
      return undefined;
    case 'annotation':
      return annotate(spec, files, t.service, t.annotation, String(value)) > 0 ? undefined : `the scenario applies no Knative Service named ${show(t.service)}`;
    case 'load':
      return setLoad(spec, t.load, t.field, value) ? undefined : `the scenario has no load named ${show(t.load)}`;
  }
}

/** The scenario with a combination's parameters set in it (the bundle given is left as it was). */
export function withParameters(b: ScenarioBundle, axes: readonly Axis[], parameters: Parameters): ScenarioBundle {
  const spec = clone(b.spec);
  const files = { ...b.files };
  if (!isObj(spec)) throw new ScenarioError(`${b.file}: a scenario must be a map`);
  for (const a of axes) {
    if (!Object.hasOwn(parameters, a.name)) continue;
    const why = setParameter(spec, files, a.target, parameters[a.name]!);
    if (why !== undefined) throw new ScenarioError(`${a.path}: ${why}`);
  }
  return { file: b.file, spec, files };
}

/**
 * Checks a sweep against its scenario before anything runs, so a mistake costs no run and
 * names its field: each value of each axis is set alone and the scenario checked (a load field
 * its shape does not have, a bad duration), a ConfigMap value or latency is given to a cluster
 * (a key Knative does not read has no effect, so it is a mistake here), an annotation's
 * manifests go through the admission webhook; then every combination is checked whole.
 */
export function checkSweepAgainst(sweep: SweepSpec, base: ScenarioBundle): void {
  const errors: string[] = [];
  const at = (path: string, msg: string) => errors.push(`${sweep.file}: ${path}: ${msg}`);
  const baseSpec = isObj(base.spec) ? base.spec : {};
  const baseCluster = isObj(baseSpec.cluster) ? baseSpec.cluster : {};
  for (const a of sweep.axes) {
    a.values.forEach((v, i) => {
      const path = `${a.path}[${i}]`;
      let b: ScenarioBundle;
      let loaded: LoadedScenario;
      try {
        b = withParameters(base, [a], { [a.name]: v });
        loaded = loadBundle(b);
      } catch (e) {
        if (e instanceof ScenarioError) return at(path, e.message.replace(/^matrix\.[^:]*: /, ''));
        throw e;
      }
      if (a.target.kind === 'config' || a.target.kind === 'latency') {
        try {
          const known = new Set(clusterFor(baseCluster).warnings);
          const added = clusterFor(loaded.spec.cluster ?? {}).warnings.filter((w) => !known.has(w));
          if (added.length > 0) at(path, `${added.join('; ')} (a sweep over it would measure nothing)`);
        } catch (e) {
          if (e instanceof UserInputError) return at(path, e.message);
          throw e;
        }
      } else if (a.target.kind === 'annotation') {
        const c = clusterFor(loaded.spec.cluster ?? {});
        for (const m of loaded.manifests) {
          const r = c.validate(m.text, { file: m.source });
          if (r.errors.length > 0) return at(path, `${m.source}: ${r.errors[0]}`);
        }
      }
    });
  }
  if (errors.length === 0) {
    for (const parameters of combinations(sweep.axes)) {
      try {
        loadBundle(withParameters(base, sweep.axes, parameters));
      } catch (e) {
        if (!(e instanceof ScenarioError)) throw e;
        at('matrix', `the combination ${show(parameters)}: ${e.message}`);
        break;
      }
    }
  }
  if (errors.length > 0) throw new ScenarioError(errors.join('\n'));
}

/** A cluster with a scenario's settings, for their warnings and errors (nothing is applied or run). */
function clusterFor(spec: ClusterSpec | Obj): Cluster {
  const s = spec as ClusterSpec;
  return new Cluster({
    seed: 1,
    ...(s.domain !== undefined ? { domain: s.domain } : {}),
    ...(s.config ? { config: s.config } : {}),
    ...(s.latencies ? { latencies: s.latencies } : {}),
  });
}
