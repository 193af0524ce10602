import { Checker, isObj, parseYaml, ScenarioError, show, type Obj } from '../run/parse.js';
import { LOAD_FIELDS, type Axis, type LoadField, type SweepSpec } from './schema.js';

/** The most runs a sweep file may ask for; a typo in a range (`1..80000000`) should not start a week of work. */
export const MAX_SWEEP_RUNS = 1_000_000;

const SECTIONS = ['config', 'annotations', 'loads', 'latencies'] as const;

/** `1..8`, `[1, 2, 5]` or `7`: whole numbers, each once. */
function checkSeeds(c: Checker, raw: unknown): number[] {
  const bad = () => c.err('seeds', `must be a range such as 1..8, a list of whole numbers or one whole number, got ${show(raw)}`);
  if (raw === undefined) {
    c.err('seeds', 'required (a range such as 1..8, or a list)');
    return [];
  }
  let seeds: number[];
  if (typeof raw === 'string') {
    const m = /^\s*(-?\d+)\s*\.\.\s*(-?\d+)\s*$/.exec(raw);
    if (!m) return (bad(), []);
    const [a, b] = [Number(m[1]), Number(m[2])];
    if (a > b) return (c.err('seeds', `the range ${raw} is empty: its start is above its end`), []);
    if (b - a + 1 > MAX_SWEEP_RUNS) return (c.err('seeds', `the range ${raw} has more than ${MAX_SWEEP_RUNS} seeds`), []);
    seeds = Array.from({ length: b - a + 1 }, (_, i) => a + i);
  } else if (typeof raw === 'number') seeds = [raw];
  else if (Array.isArray(raw)) seeds = raw as number[];
  else return (bad(), []);
  let ok = true;
  seeds.forEach((s, i) => {
    if (typeof s !== 'number' || !Number.isSafeInteger(s)) {
      c.err(Array.isArray(raw) ? `seeds[${i}]` : 'seeds', `must be a whole number, got ${show(s)}`);
      ok = false;
    }
  });
  if (seeds.length === 0) c.err('seeds', 'needs at least one seed');
  const dup = seeds.find((s, i) => seeds.indexOf(s) !== i);
  if (dup !== undefined) c.err('seeds', `lists seed ${dup} twice`);
  return ok ? seeds : [];
}

/** An axis's values: a non-empty list of strings (or numbers, read as their text where the setting is text). */
function checkValues(c: Checker, raw: unknown, path: string, kind: 'text' | 'number'): Array<string | number> {
  if (!Array.isArray(raw) || raw.length === 0) {
    c.err(path, `must be a non-empty list of values, got ${show(raw)}`);
    return [];
  }
  const out: Array<string | number> = [];
  raw.forEach((v, i) => {
    if (kind === 'number' ? typeof v !== 'number' || !Number.isFinite(v) : typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v))) {
      c.err(`${path}[${i}]`, `must be ${kind === 'number' ? 'a number' : 'a string'}, got ${show(v)}`);
      return;
    }
    const value = kind === 'text' ? String(v) : v;
    if (out.includes(value)) c.err(`${path}[${i}]`, `repeats the value ${show(value)}`);
    out.push(value);
  });
  return out;
}

const NUMERIC_LOAD_FIELDS: readonly LoadField[] = ['rps', 'to', 'concurrency', 'burst.requests'];

function checkMatrix(c: Checker, raw: unknown): Axis[] {
  if (raw === undefined) return [];
  if (!isObj(raw)) {
    c.err('matrix', `must be a map with any of ${SECTIONS.join(', ')}, got ${show(raw)}`);
    return [];
  }
  c.keys(raw, 'matrix', SECTIONS);
  const axes: Axis[] = [];
  const section = (name: (typeof SECTIONS)[number]): Obj | undefined => {
    const v = raw[name];
    if (v === undefined) return undefined;
    if (!isObj(v)) {
      c.err(`matrix.${name}`, `must be a map, got ${show(v)}`);
      return undefined;
    }
    return v;
  };
  // Sections in the file's order, so the first axis written varies slowest.
  for (const name of Object.keys(raw)) {
    if (name === 'config') {
      for (const [k, values] of Object.entries(section('config') ?? {})) {
        const path = `matrix.config.${k}`;
        const dot = k.indexOf('.');
        if (dot <= 0 || dot === k.length - 1) {
          c.err(path, `must be CONFIGMAP.KEY (for example config-autoscaler.stable-window), got ${show(k)}`);
          continue;
        }
        const configMap = k.slice(0, dot);
        const key = k.slice(dot + 1);
        axes.push({ name: `config.${k}`, path, target: { kind: 'config', configMap, key }, values: checkValues(c, values, path, 'text') });
      }
    } else if (name === 'annotations') {
      for (const [service, annotations] of Object.entries(section('annotations') ?? {})) {
        const sp = `matrix.annotations.${service}`;
        if (!isObj(annotations)) {
          c.err(sp, `must be a map of annotation to values, got ${show(annotations)}`);
          continue;
        }
        for (const [annotation, values] of Object.entries(annotations)) {
          const path = `${sp}.${annotation}`;
          axes.push({ name: `annotations.${service}.${annotation}`, path, target: { kind: 'annotation', service, annotation }, values: checkValues(c, values, path, 'text') });
        }
      }
    } else if (name === 'loads') {
      for (const [load, fields] of Object.entries(section('loads') ?? {})) {
        const lp = `matrix.loads.${load}`;
        if (!isObj(fields)) {
          c.err(lp, `must be a map of field (${LOAD_FIELDS.join(', ')}) to values, got ${show(fields)}`);
          continue;
        }
        c.keys(fields, lp, LOAD_FIELDS);
        for (const [field, values] of Object.entries(fields)) {
          if (!(LOAD_FIELDS as readonly string[]).includes(field)) continue;
          const f = field as LoadField;
          const path = `${lp}.${f}`;
          axes.push({ name: `loads.${load}.${f}`, path, target: { kind: 'load', load, field: f }, values: checkValues(c, values, path, NUMERIC_LOAD_FIELDS.includes(f) ? 'number' : 'text') });
        }
      }
    } else if (name === 'latencies') {
      for (const [latency, values] of Object.entries(section('latencies') ?? {})) {
        const path = `matrix.latencies.${latency}`;
        axes.push({ name: `latencies.${latency}`, path, target: { kind: 'latency', latency }, values: checkValues(c, values, path, 'text') });
      }
    }
  }
  return axes;
}

/** Checks a sweep's structure (not yet against its scenario); returns it or throws every mistake at once. */
export function checkSweep(raw: unknown, file: string): SweepSpec {
  const c = new Checker(file);
  if (!isObj(raw)) throw new ScenarioError(`${file}: a sweep must be a map with name, scenario, seeds and matrix`);
  c.keys(raw, '$', ['name', 'description', 'scenario', 'seeds', 'matrix']);
  const name = c.str(raw, 'name', '$', true);
  if (name !== undefined && !/^[a-z0-9]([a-z0-9-_.]*[a-z0-9])?$/i.test(name)) c.err('name', `must be a simple name (letters, digits, - _ .), got ${show(name)}`);
  const description = c.str(raw, 'description', '$');
  const scenario = c.str(raw, 'scenario', '$', true);
  const seeds = checkSeeds(c, raw.seeds);
  const axes = checkMatrix(c, raw.matrix);
  const runs = axes.reduce((n, a) => n * Math.max(1, a.values.length), seeds.length);
  if (runs > MAX_SWEEP_RUNS) c.err('matrix', `asks for ${runs} runs (combinations × seeds); at most ${MAX_SWEEP_RUNS}`);
  if (c.errors.length > 0) throw new ScenarioError(c.errors.join('\n'));
  return { name: name!, ...(description !== undefined ? { description } : {}), file, scenario: scenario!, seeds, axes };
}

/** Parses and checks a sweep file's YAML text; `file` names it in errors. */
export function parseSweep(text: string, file: string): SweepSpec {
  return checkSweep(parseYaml(text, file), file);
}
