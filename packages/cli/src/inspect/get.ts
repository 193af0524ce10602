import { stringify as toYaml } from 'yaml';
import type { KObject } from '@knsim/sim-core';
import { UserError } from '../errors.js';
import { isKind, kindFor, type KindInfo } from './kinds.js';
import { jsonPath } from './jsonpath.js';
import type { InspectState } from './source.js';
import { table } from './table.js';

export interface GetOptions {
  namespace?: string;
  allNamespaces?: boolean;
  /** wide, yaml, json, name, or jsonpath=TEMPLATE. */
  output?: string;
  /** kubectl's `-l`: `key=value`, `key!=value`, `key`, `!key`, comma-separated. */
  selector?: string;
}

export interface CommandOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Objects sorted by key recursively, as kubectl prints unstructured objects. */
export function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortedKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

function matcher(selector: string | undefined): (o: KObject) => boolean {
  if (selector === undefined || selector.trim() === '') return () => true;
  const tests = selector.split(',').map((term) => {
    const t = term.trim();
    let m: RegExpExecArray | null;
    if ((m = /^([^!=\s]+)\s*!=\s*(.*)$/.exec(t))) return (l: Record<string, string>) => l[m![1]!] !== m![2];
    if ((m = /^([^!=\s]+)\s*==?\s*(.*)$/.exec(t))) return (l: Record<string, string>) => l[m![1]!] === m![2];
    if ((m = /^!([^!=\s]+)$/.exec(t))) return (l: Record<string, string>) => !(m![1]! in l);
    if (/^[^!=\s]+$/.test(t)) return (l: Record<string, string>) => t in l;
    throw new UserError(`-l: unable to parse requirement ${JSON.stringify(t)} (want key=value, key!=value, key or !key)`);
  });
  return (o) => tests.every((f) => f(o.metadata.labels ?? {}));
}

/** The objects of a kind that a `get` selects, in namespace then name order. */
export function select(state: InspectState, kind: KindInfo, o: GetOptions): KObject[] {
  const ns = o.allNamespaces || !kind.namespaced ? undefined : (o.namespace ?? 'default');
  const match = matcher(o.selector);
  return state.snapshot.objects.filter((x) => isKind(x, kind) && (ns === undefined || (x.metadata.namespace ?? 'default') === ns) && match(x));
}

const OUTPUTS = ['wide', 'yaml', 'json', 'name'];

/** `knsim get KIND[,KIND…] [NAME…]`, as `kubectl get` prints it. */
export function runGet(state: InspectState, kindsArg: string, names: readonly string[], o: GetOptions): CommandOutput {
  const output = o.output ?? '';
  if (output !== '' && !OUTPUTS.includes(output) && !output.startsWith('jsonpath=')) {
    throw new UserError(`-o: unable to match a printer suitable for the output format ${JSON.stringify(output)}, allowed formats are: ${[...OUTPUTS, 'jsonpath=TEMPLATE'].join(',')}`);
  }
  const kinds = kindsArg.split(',').filter((k) => k !== '').map(kindFor);
  if (kinds.length === 0) throw new UserError('get needs a KIND (ksvc, rev, route, pods, …)');
  if (names.length > 0 && kinds.length > 1) throw new UserError('a NAME can only be given with one KIND');
  if (names.length > 0 && o.allNamespaces) throw new UserError('a NAME cannot be given with -A (--all-namespaces)');
  const ns = o.namespace ?? 'default';
  let stderr = '';
  let exitCode = 0;
  const groups: Array<{ kind: KindInfo; objects: KObject[] }> = [];
  for (const kind of kinds) {
    let objects = select(state, kind, o);
    if (names.length > 0) {
      const found: KObject[] = [];
      for (const n of names) {
        const x = objects.find((y) => y.metadata.name === n);
        if (x === undefined) {
          stderr += `Error from server (NotFound): ${kind.resource} "${n}" not found\n`;
          exitCode = 1;
        } else found.push(x);
      }
      objects = found;
    }
    groups.push({ kind, objects });
  }
  const all = groups.flatMap((g) => g.objects);
  const single = names.length === 1 && all.length === 1;
  let stdout = '';
  if (output === 'yaml' || output === 'json') {
    const doc = single ? all[0]! : { apiVersion: 'v1', items: all, kind: 'List', metadata: { resourceVersion: '' } };
    stdout = output === 'json' ? JSON.stringify(sortedKeys(doc), null, 4) + '\n' : toYaml(sortedKeys(doc), { lineWidth: 0 });
  } else if (output.startsWith('jsonpath=')) {
    const doc = single ? all[0]! : { apiVersion: 'v1', items: all, kind: 'List', metadata: { resourceVersion: '' } };
    stdout = jsonPath(output.slice('jsonpath='.length), doc);
  } else if (output === 'name') {
    stdout = all.map((x) => `${groups.find((g) => isKind(x, g.kind))!.kind.singular}/${x.metadata.name}\n`).join('');
  } else {
    const tables: string[] = [];
    for (const g of groups) {
      if (g.objects.length === 0) continue;
      const cols = g.kind.columns.filter((c) => output === 'wide' || !c.wide);
      const prefix = kinds.length > 1 ? `${g.kind.singular}/` : '';
      const withNs = o.allNamespaces && g.kind.namespaced;
      const header = [...(withNs ? ['NAMESPACE'] : []), ...cols.map((c) => c.header)];
      const rows = g.objects.map((x) => [...(withNs ? [x.metadata.namespace ?? ''] : []), ...cols.map((c, i) => (i === 0 ? prefix : '') + c.value(x, state.snapshot.nowMs))]);
      tables.push(table([header, ...rows], 3));
    }
    stdout = tables.join('\n');
  }
  if (all.length === 0 && names.length === 0 && stderr === '') {
    stderr = o.allNamespaces || kinds.every((k) => !k.namespaced) ? 'No resources found\n' : `No resources found in ${ns} namespace.\n`;
  }
  return { stdout, stderr, exitCode };
}
