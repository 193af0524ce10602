import { LineCounter, parseDocument } from 'yaml';
import { parseDuration } from '@knsim/sim-core';
import { ARRIVALS, CHECK_SUBJECTS, FIELDS, LOAD_SHAPES, STEP_KINDS, type Scenario } from './schema.js';
import { ALIAS_BOMB, MAX_ALIAS_COUNT, isQualifiedName, isValidLabelValue } from '@knsim/sim-core/apis';
import { CHECK_METRICS, ERROR_METRICS, checkLabel, type Check, type CheckMetric, type CheckSubject } from './checks.js';

/** A mistake in a scenario; the message names the file, the step and the field. */
export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

/** A scenario ready to run: files read, durations parsed, paths resolved. */
export interface LoadedScenario {
  spec: Scenario;
  file: string;
  /** Manifest texts with the name to report them under. */
  manifests: Array<{ source: string; text: string }>;
  /** Files referenced by steps (apply, trace), read up front: nothing starts before everything is valid. */
  files: Map<string, string>;
  /** The scenario's checks, in order, with numeric bounds. */
  checks: Check[];
  /**
   * The loads and request steps whose 5xx answers (or missing answers) are accounted for: marked
   * `expect5xx`, or bounded by a check. Any other that gets one fails the run.
   */
  errorsAccountedFor: { loads: string[]; requests: string[] };
}

/**
 * Where the files a scenario names (manifests, apply steps, traces) come from: the disk beside
 * the scenario file (`filesBeside` in the package root), or texts a browser holds.
 */
export interface ScenarioFiles {
  /** The text of the file named `rel`, or undefined when there is none. */
  read(rel: string): string | undefined;
  /** Where `rel` was looked for, for the message when it is missing. */
  where(rel: string): string;
}

/** Files given as texts by the name a scenario uses for them. */
export function scenarioFiles(texts: Readonly<Record<string, string>> = {}): ScenarioFiles {
  return {
    read: (rel) => (Object.hasOwn(texts, rel) ? texts[rel] : undefined),
    where: (rel) => `${rel} among the files given`,
  };
}

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
export const show = (v: unknown) => JSON.stringify(v) ?? String(v);

/** Collects every mistake in a file, each naming the file and the field (used by sweeps too). */
export class Checker {
  readonly errors: string[] = [];
  constructor(readonly file: string) {}

  err(path: string, msg: string): void {
    this.errors.push(`${this.file}: ${path}: ${msg}`);
  }

  keys(o: Obj, path: string, allowed: readonly string[]): void {
    for (const k of Object.keys(o)) if (!allowed.includes(k)) this.err(`${path}.${k}`, `unknown field (allowed: ${allowed.join(', ')})`);
  }

  str(o: Obj, k: string, path: string, required = false): string | undefined {
    const v = o[k];
    if (v === undefined) {
      if (required) this.err(`${path}.${k}`, 'required');
      return undefined;
    }
    if (typeof v !== 'string' || (required && v === '')) {
      this.err(`${path}.${k}`, `must be a${required ? ' non-empty' : ''} string, got ${show(v)}`);
      return undefined;
    }
    return v;
  }

  num(o: Obj, k: string, path: string, opts: { min?: number; integer?: boolean; positive?: boolean } = {}): number | undefined {
    const v = o[k];
    if (v === undefined) return undefined;
    const ok = typeof v === 'number' && Number.isFinite(v) && (!opts.integer || Number.isSafeInteger(v)) && (opts.positive ? v > 0 : v >= (opts.min ?? -Infinity));
    if (!ok) {
      const want = opts.positive ? 'a number > 0' : opts.min !== undefined ? `a number >= ${opts.min}` : 'a number';
      // JSON has no infinity or NaN: name them rather than print `null`.
      const got = typeof v === 'number' && !Number.isFinite(v) ? String(v).replace('Infinity', '.inf').replace('NaN', '.nan') : show(v);
      const whole = opts.integer && typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v) ? ' of at most 2^53-1 in size' : '';
      this.err(`${path}.${k}`, `must be ${opts.integer ? want.replace('a number', 'a whole number') : want}${whole}, got ${got}`);
      return undefined;
    }
    return v;
  }

  bool(o: Obj, k: string, path: string): boolean | undefined {
    const v = o[k];
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') {
      this.err(`${path}.${k}`, `must be true or false, got ${show(v)}`);
      return undefined;
    }
    return v;
  }

  duration(o: Obj, k: string, path: string, required = false, allowZero = false): number | undefined {
    if (typeof o[k] === 'number') {
      // YAML reads `wait: 90` as a number; Go durations need their unit.
      this.err(`${path}.${k}`, `must be a duration with its unit, such as "${o[k]}s" or "${o[k]}ms", got the number ${o[k]}`);
      return undefined;
    }
    const v = this.str(o, k, path, required);
    if (v === undefined) return undefined;
    try {
      const ms = parseDuration(v);
      if (ms < 0 || (!allowZero && ms === 0)) {
        this.err(`${path}.${k}`, `must be a duration ${allowZero ? '>= 0' : '> 0'}, got ${show(v)}`);
        return undefined;
      }
      return ms;
    } catch (e) {
      this.err(`${path}.${k}`, (e as Error).message);
      return undefined;
    }
  }

  stringMap(o: Obj, k: string, path: string, allowNull = false): void {
    const v = o[k];
    if (v === undefined) return;
    if (!isObj(v)) return this.err(`${path}.${k}`, `must be a map of strings, got ${show(v)}`);
    for (const [mk, mv] of Object.entries(v)) {
      if (!(typeof mv === 'string' || (allowNull && mv === null))) this.err(`${path}.${k}.${mk}`, `must be a string${allowNull ? ' or null' : ''}, got ${show(mv)}`);
    }
  }

  url(o: Obj, k: string, path: string, required: boolean): void {
    const u = this.str(o, k, path, required);
    if (u !== undefined && !/^https?:\/\/[^/?#]+/i.test(u)) this.err(`${path}.${k}`, `must be an http:// or https:// URL, got ${show(u)}`);
  }
}

/** The keys each map allows: the field table the JSON Schema is made from too. */
const keysOf = (o: keyof typeof FIELDS) => Object.keys(FIELDS[o]);

function readRelative(c: Checker, from: ScenarioFiles, rel: string, path: string, files: Map<string, string>): void {
  if (files.has(rel)) return;
  const text = from.read(rel);
  if (text === undefined) {
    c.err(path, `file ${show(rel)} does not exist (looked for ${from.where(rel)})`);
    return;
  }
  files.set(rel, text);
}

/** Checks a scenario's structure; returns the resolved scenario or throws every mistake at once. */
export function checkScenario(raw: unknown, file: string, from: ScenarioFiles): LoadedScenario {
  const c = new Checker(file);
  const files = new Map<string, string>();
  const manifests: Array<{ source: string; text: string }> = [];
  if (!isObj(raw)) throw new ScenarioError(`${file}: a scenario must be a map with name, manifests and steps`);
  c.keys(raw, '$', keysOf('scenario'));
  const name = c.str(raw, 'name', '$', true);
  if (name !== undefined && !/^[a-z0-9]([a-z0-9-_.]*[a-z0-9])?$/i.test(name)) c.err('name', `must be a simple name (letters, digits, - _ .), got ${show(name)}`);
  c.str(raw, 'description', '$');
  c.num(raw, 'seed', '$', { integer: true });
  if (raw.cluster !== undefined) {
    if (!isObj(raw.cluster)) c.err('cluster', `must be a map, got ${show(raw.cluster)}`);
    else {
      const cl = raw.cluster;
      c.keys(cl, 'cluster', keysOf('cluster'));
      c.str(cl, 'domain', 'cluster');
      c.str(cl, 'clusterDomain', 'cluster');
      c.num(cl, 'activators', 'cluster', { integer: true, min: 1 });
      c.num(cl, 'nodes', 'cluster', { integer: true, min: 1 });
      c.stringMap(cl, 'latencies', 'cluster');
      c.stringMap(cl, 'nodeResources', 'cluster');
      if (cl.config !== undefined) {
        if (!isObj(cl.config)) c.err('cluster.config', `must be a map of ConfigMap name to data, got ${show(cl.config)}`);
        else for (const k of Object.keys(cl.config)) c.stringMap(cl.config, k, 'cluster.config');
      }
    }
  }
  if (raw.manifests !== undefined && !Array.isArray(raw.manifests)) c.err('manifests', `must be a list, got ${show(raw.manifests)}`);
  (Array.isArray(raw.manifests) ? raw.manifests : []).forEach((m, i) => {
    const path = `manifests[${i}]`;
    if (!isObj(m)) return c.err(path, `must be {file: …} or {inline: …}, got ${show(m)}`);
    c.keys(m, path, keysOf('manifest'));
    if ((m.file === undefined) === (m.inline === undefined)) return c.err(path, 'needs exactly one of file and inline');
    if (m.file !== undefined) {
      const f = c.str(m, 'file', path, true);
      if (f !== undefined) {
        readRelative(c, from, f, `${path}.file`, files);
        if (files.has(f)) manifests.push({ source: f, text: files.get(f)! });
      }
    } else {
      const t = c.str(m, 'inline', path, true);
      if (t !== undefined) manifests.push({ source: `${file} ${path}`, text: t });
    }
  });
  if (raw.steps !== undefined && !Array.isArray(raw.steps)) c.err('steps', `must be a list, got ${show(raw.steps)}`);
  const loadNames = new Set<string>();
  const requestNames = new Set<string>();
  const expect5xx = { loads: [] as string[], requests: [] as string[] };
  (Array.isArray(raw.steps) ? raw.steps : []).forEach((s, i) => {
    const path = `steps[${i}]`;
    if (!isObj(s) || Object.keys(s).length !== 1) return c.err(path, `must be a map with one of ${STEP_KINDS.join(', ')}, got ${show(s)}`);
    const kind = Object.keys(s)[0]!;
    const v = s[kind];
    const p = `${path}.${kind}`;
    switch (kind) {
      case 'wait':
        c.duration(s, 'wait', path, true);
        return;
      case 'apply': {
        if (!isObj(v)) return c.err(p, `must be {file: …} or {inline: …}, got ${show(v)}`);
        c.keys(v, p, keysOf('apply'));
        c.bool(v, 'wait', p);
        if ((v.file === undefined) === (v.inline === undefined)) return c.err(p, 'needs exactly one of file and inline');
        const f = c.str(v, 'file', p);
        if (f !== undefined) readRelative(c, from, f, `${p}.file`, files);
        c.str(v, 'inline', p);
        return;
      }
      case 'request': {
        if (!isObj(v)) return c.err(p, `must be a map, got ${show(v)}`);
        c.keys(v, p, keysOf('request'));
        const n = c.str(v, 'name', p, true);
        if (n !== undefined && requestNames.has(n)) c.err(`${p}.name`, `another request step is already named ${show(n)}`);
        if (n !== undefined) requestNames.add(n);
        if (c.bool(v, 'expect5xx', p) && n !== undefined) expect5xx.requests.push(n);
        c.url(v, 'url', p, true);
        c.str(v, 'method', p);
        c.str(v, 'body', p);
        c.str(v, 'fromNamespace', p);
        c.stringMap(v, 'headers', p);
        return;
      }
      case 'label':
      case 'delete': {
        if (!isObj(v)) return c.err(p, `must be a map, got ${show(v)}`);
        c.keys(v, p, keysOf(kind === 'label' ? 'label' : 'delete'));
        c.str(v, 'kind', p, true);
        c.str(v, 'name', p, true);
        c.str(v, 'namespace', p);
        c.bool(v, 'wait', p);
        if (kind === 'label') {
          if (v.labels === undefined) c.err(`${p}.labels`, 'required');
          c.stringMap(v, 'labels', p, true);
          // The API server's label syntax, checked before anything runs.
          if (isObj(v.labels)) {
            for (const [lk, lv] of Object.entries(v.labels)) {
              const msgs = [...isQualifiedName(lk), ...(typeof lv === 'string' ? isValidLabelValue(lv) : [])];
              if (msgs.length > 0) c.err(`${p}.labels.${lk}`, `invalid label ${JSON.stringify(lk)}${typeof lv === 'string' ? `=${JSON.stringify(lv)}` : ''}: ${msgs.join('; ')}`);
            }
          }
        }
        return;
      }
      case 'fault': {
        const kinds = keysOf('fault');
        if (!isObj(v)) return c.err(p, `must be a map with one fault (${kinds.join(', ')}), got ${show(v)}`);
        c.keys(v, p, kinds);
        const given = kinds.filter((k) => Object.hasOwn(v, k));
        if (given.length > 1) return c.err(p, `must have exactly one fault, got ${given.join(', ')}`);
        if (given.length === 0) return Object.keys(v).length === 0 ? c.err(p, `must have one fault (${kinds.join(', ')})`) : undefined;
        const kind = given[0]!;
        const f = v[kind];
        const fields = (kind === 'deletePod' || kind === 'killPod' ? 'deletePod' : kind) as 'deletePod' | 'appErrors' | 'appSlow' | 'imagePullFailure' | 'drainNode' | 'loseNode' | 'restartActivator' | 'restartGateway' | 'slowControlPlane';
        const q = `${p}.${kind}`;
        if (!isObj(f)) return c.err(q, `must be {${keysOf(fields).join(', ')}}, got ${show(f)}`);
        c.keys(f, q, keysOf(fields));
        if (fields === 'drainNode' || fields === 'loseNode') return void c.str(f, 'node', q, true);
        if (fields === 'restartActivator' || fields === 'restartGateway') return void c.str(f, 'pod', q);
        if (fields === 'slowControlPlane') {
          c.duration(f, 'istioPush', q, false, true);
          c.duration(f, 'endpoints', q, false, true);
          c.duration(f, 'duration', q, true);
          return;
        }
        c.str(f, 'revision', q, true);
        c.str(f, 'namespace', q);
        if (fields === 'deletePod') c.str(f, 'pod', q);
        if (fields === 'appErrors') {
          if (f.fraction === undefined) c.err(`${q}.fraction`, 'required');
          else if (c.num(f, 'fraction', q, { min: 0 }) !== undefined && (f.fraction as number) > 1) c.err(`${q}.fraction`, `must be a number from 0 to 1, got ${show(f.fraction)}`);
        }
        if (fields === 'appSlow') c.duration(f, 'latency', q, true, true);
        if (fields !== 'deletePod') c.duration(f, 'duration', q, true);
        return;
      }
      case 'load':
        checkLoad(c, v, p, from, files, loadNames);
        if (isObj(v) && v.expect5xx === true && typeof v.name === 'string') expect5xx.loads.push(v.name);
        return;
      default:
        c.err(path, `unknown step kind ${show(kind)} (want one of ${STEP_KINDS.join(', ')})`);
    }
  });
  const checks = checkChecks(c, raw.checks, { load: loadNames, request: requestNames });
  if (c.errors.length > 0) throw new ScenarioError(c.errors.join('\n'));
  const covered = (subject: CheckSubject, names: string[]) => [...new Set([...names, ...checks.filter((k) => k.subject === subject && ERROR_METRICS.has(k.metric)).map((k) => k.name)])].sort();
  return { spec: raw as unknown as Scenario, file, manifests, files, checks, errorsAccountedFor: { loads: covered('load', expect5xx.loads), requests: covered('request', expect5xx.requests) } };
}

const SUBJECTS: readonly CheckSubject[] = CHECK_SUBJECTS;

/** `checks:`: each a subject that exists (revisions are known only after the run), one metric of it, numeric bounds. */
function checkChecks(c: Checker, raw: unknown, names: { load: ReadonlySet<string>; request: ReadonlySet<string> }): Check[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    c.err('checks', `must be a list, got ${show(raw)}`);
    return [];
  }
  const out: Check[] = [];
  raw.forEach((k: unknown, i) => {
    const p = `checks[${i}]`;
    if (!isObj(k)) return c.err(p, `must be a map such as {load: NAME, status5xx: {max: 0}}, got ${show(k)}`);
    const subjects = SUBJECTS.filter((s) => k[s] !== undefined);
    if (subjects.length !== 1) return c.err(p, `needs exactly one of load, revision and request, got ${subjects.length === 0 ? 'none' : subjects.join(' and ')}`);
    const subject = subjects[0]!;
    const allowed = Object.keys(CHECK_METRICS[subject]) as CheckMetric[];
    c.keys(k, p, ['name', subject, ...allowed]);
    const label = c.str(k, 'name', p);
    const name = c.str(k, subject, p, true);
    if (name !== undefined && subject !== 'revision' && !names[subject].has(name)) {
      const known = [...names[subject]];
      c.err(`${p}.${subject}`, `no ${subject === 'load' ? 'load' : 'request step'} is named ${show(name)}${known.length > 0 ? ` (${known.map(show).join(', ')})` : ''}`);
    }
    const metrics = allowed.filter((m) => k[m] !== undefined);
    if (metrics.length !== 1) {
      if (metrics.length === 0) c.err(p, `needs one metric of the ${subject}: ${allowed.join(', ')}`);
      else c.err(p, `has ${metrics.join(' and ')}: one metric per check`);
      return;
    }
    const metric = metrics[0]!;
    const mp = `${p}.${metric}`;
    const b = k[metric];
    if (!isObj(b)) return c.err(mp, `must be a bound {min?, max?}, got ${show(b)}`);
    c.keys(b, mp, keysOf(metric === 'share' ? 'shareBound' : 'bound'));
    const revision = metric === 'share' ? c.str(b, 'revision', mp, true) : undefined;
    const duration = CHECK_METRICS[subject][metric]!.duration === true;
    const bound = (key: 'min' | 'max') => {
      if (duration && typeof b[key] === 'string') return c.duration(b, key, mp, true, true);
      return c.num(b, key, mp);
    };
    const min = bound('min');
    const max = bound('max');
    if (b.min === undefined && b.max === undefined) c.err(mp, 'needs min, max or both');
    if (min !== undefined && max !== undefined && min > max) c.err(mp, `min ${min} is above max ${max}`);
    if (name === undefined || (metric === 'share' && revision === undefined)) return;
    const check = { subject, name, metric, ...(revision !== undefined ? { revision } : {}), ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
    out.push({ ...check, unit: CHECK_METRICS[subject][metric]!.unit, label: label ?? checkLabel(check) });
  });
  return out;
}

/** The most requests one load may plan, and the most closed-loop users (docs/limits.md). */
const MAX_LOAD_REQUESTS = 1e8;
const MAX_CONCURRENCY = 100_000;

function checkLoad(c: Checker, v: unknown, p: string, from: ScenarioFiles, files: Map<string, string>, names: Set<string>): void {
  if (!isObj(v)) return c.err(p, `must be a map, got ${show(v)}`);
  c.keys(v, p, keysOf('load'));
  const n = c.str(v, 'name', p, true);
  if (n !== undefined && names.has(n)) c.err(`${p}.name`, `another load is already named ${show(n)}`);
  if (n !== undefined) names.add(n);
  const shape = v.shape ?? 'constant';
  if (!(LOAD_SHAPES as readonly unknown[]).includes(shape)) c.err(`${p}.shape`, `must be ${LOAD_SHAPES.slice(0, -1).join(', ')} or ${LOAD_SHAPES.at(-1)}, got ${show(shape)}`);
  c.url(v, 'url', p, shape !== 'trace');
  c.str(v, 'method', p);
  c.str(v, 'body', p);
  c.str(v, 'fromNamespace', p);
  c.stringMap(v, 'headers', p);
  c.bool(v, 'background', p);
  c.bool(v, 'expect5xx', p);
  if (v.arrival !== undefined && !(ARRIVALS as readonly unknown[]).includes(v.arrival)) c.err(`${p}.arrival`, `must be poisson or uniform, got ${show(v.arrival)}`);
  const rps = c.num(v, 'rps', p, { positive: true });
  const conc = c.num(v, 'concurrency', p, { integer: true, min: 1 });
  if (conc !== undefined && conc > MAX_CONCURRENCY) c.err(`${p}.concurrency`, `must be at most ${MAX_CONCURRENCY} users (knsim's limit, docs/limits.md), got ${conc}`);
  if (v.concurrency !== undefined && v.rps !== undefined) c.err(p, 'set either rps (open loop) or concurrency (closed loop), not both');
  if (v.think !== undefined) {
    if (v.concurrency === undefined) c.err(`${p}.think`, 'only a closed loop (concurrency) has a think time');
    c.duration(v, 'think', p, false, true);
  }
  if (shape !== 'step' && shape !== 'trace') c.duration(v, 'duration', p, true);
  else if (v.duration !== undefined) c.duration(v, 'duration', p);
  if (shape === 'constant' && rps === undefined && conc === undefined && v.rps === undefined && v.concurrency === undefined) c.err(p, 'needs rps (open loop) or concurrency (closed loop)');
  if (shape !== 'constant' && conc !== undefined) c.err(`${p}.concurrency`, `a ${shape} load is open loop: use rps`);
  if (shape === 'ramp') {
    if (v.rps === undefined) c.err(`${p}.rps`, 'required for a ramp (the starting rate)');
    if (v.to === undefined) c.err(`${p}.to`, 'required for a ramp (the final rate)');
    c.num(v, 'to', p, { min: 0 });
  } else if (v.to !== undefined) c.err(`${p}.to`, 'only a ramp has a final rate');
  if (shape === 'step') {
    if (!Array.isArray(v.stages) || v.stages.length === 0) c.err(`${p}.stages`, 'a step load needs a non-empty list of {rps, duration}');
    else
      v.stages.forEach((st: unknown, j: number) => {
        const sp = `${p}.stages[${j}]`;
        if (!isObj(st)) return c.err(sp, `must be {rps, duration}, got ${show(st)}`);
        c.keys(st, sp, keysOf('stage'));
        if (st.rps === undefined) c.err(`${sp}.rps`, 'required');
        c.num(st, 'rps', sp, { min: 0 });
        c.duration(st, 'duration', sp, true);
      });
  } else if (v.stages !== undefined) c.err(`${p}.stages`, 'only a step load has stages');
  if (shape === 'burst') {
    if (!isObj(v.burst)) c.err(`${p}.burst`, 'a burst load needs burst: {requests, every, at?}');
    else {
      const b = v.burst;
      c.keys(b, `${p}.burst`, keysOf('burst'));
      if (b.requests === undefined) c.err(`${p}.burst.requests`, 'required');
      c.num(b, 'requests', `${p}.burst`, { integer: true, min: 1 });
      c.duration(b, 'every', `${p}.burst`, true);
      c.duration(b, 'at', `${p}.burst`, false, true);
    }
  } else if (v.burst !== undefined) c.err(`${p}.burst`, 'only a burst load has burst settings');
  // Open-loop work known before the run: refused up front past knsim's limit, rather than run out of memory.
  const ms = (k: string, o: Obj = v) => {
    try {
      return typeof o[k] === 'string' ? parseDuration(o[k] as string) : 0;
    } catch {
      return 0;
    }
  };
  const fin = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : 0);
  let planned = 0;
  if (shape === 'constant') planned = fin(v.rps) * (ms('duration') / 1000);
  else if (shape === 'ramp') planned = ((fin(v.rps) + fin(v.to)) / 2) * (ms('duration') / 1000);
  else if (shape === 'step' && Array.isArray(v.stages)) planned = v.stages.reduce((a: number, st: unknown) => a + (isObj(st) ? fin(st.rps) * (ms('duration', st) / 1000) : 0), 0);
  else if (shape === 'burst' && isObj(v.burst)) {
    const every = ms('every', v.burst);
    planned = fin(v.rps) * (ms('duration') / 1000) + (every > 0 ? fin(v.burst.requests) * Math.ceil(ms('duration') / every) : 0);
  }
  if (planned > MAX_LOAD_REQUESTS) c.err(p, `plans about ${Math.round(planned).toExponential(1)} requests, beyond knsim's limit of ${MAX_LOAD_REQUESTS.toExponential(0)} per load (docs/limits.md)`);
  if (shape === 'trace') {
    if (!isObj(v.trace)) c.err(`${p}.trace`, 'a trace load needs trace: {file, functions, fromMinute?, minutes?, spread?}');
    else {
      const t = v.trace;
      c.keys(t, `${p}.trace`, keysOf('trace'));
      const f = c.str(t, 'file', `${p}.trace`, true);
      if (f !== undefined) readRelative(c, from, f, `${p}.trace.file`, files);
      if (!isObj(t.functions) || Object.keys(t.functions).length === 0) c.err(`${p}.trace.functions`, 'needs a map of HashFunction to URL');
      else for (const [h, u] of Object.entries(t.functions)) if (typeof u !== 'string' || !/^https?:\/\//.test(u)) c.err(`${p}.trace.functions.${h}`, `must be an http:// URL, got ${show(u)}`);
      c.num(t, 'fromMinute', `${p}.trace`, { integer: true, min: 1 });
      c.num(t, 'minutes', `${p}.trace`, { integer: true, min: 1 });
      if (t.spread !== undefined && t.spread !== 'uniform' && t.spread !== 'poisson') c.err(`${p}.trace.spread`, `must be uniform or poisson, got ${show(t.spread)}`);
    }
  } else if (v.trace !== undefined) c.err(`${p}.trace`, 'only a trace load has a trace');
}

/**
 * Parses and checks scenario YAML text; `file` names it in errors, and `from` gives the files it
 * names (none unless given).
 */
export function parseScenario(text: string, file: string, from: ScenarioFiles = scenarioFiles()): LoadedScenario {
  return checkScenario(parseYaml(text, file), file, from);
}

/** One YAML document as plain data; a syntax error names the file, line and column. */
export function parseYaml(text: string, file: string): unknown {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = lc.linePos(e.pos[0]);
    throw new ScenarioError(`${file}:${pos.line}:${pos.col}: invalid YAML: ${e.message.split('\n')[0]}`);
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    if (e instanceof ReferenceError) throw new ScenarioError(`${file}: invalid YAML: ${ALIAS_BOMB}`);
    throw e;
  }
  return raw;
}
