import { stringify as toYaml } from 'yaml';
import type { KObject } from '@knsim/sim-core';
import { age, conditionsOf, endpointsList, humanDuration, kindFor, podReady, podStatus, selector, type KindInfo } from './kinds.js';
import { select, sortedKeys, type CommandOutput } from './get.js';
import type { InspectState } from './source.js';
import { table } from './table.js';

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v !== null && typeof v === 'object' ? (v as Rec) : {});
const arr = (v: unknown): Rec[] => (Array.isArray(v) ? (v as Rec[]) : []);
const s = (v: unknown, none = '<none>') => (v === undefined || v === null || v === '' ? none : String(v));

/** The annotation kubectl leaves out of describe (it is the whole file again). */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** `key=value` lines, the first after the label and the rest under it, as kubectl prints maps. */
function mapLines(label: string, m: Record<string, string> | undefined, skip: readonly string[] = []): Array<[string, string]> {
  const keys = Object.keys(m ?? {})
    .filter((k) => !skip.includes(k))
    .sort();
  if (keys.length === 0) return [[label, '<none>']];
  return keys.map((k, i) => [i === 0 ? label : '', `${k}=${m![k]}`]);
}

/** Top-level `Label:  value` rows, aligned as kubectl's describe tabwriter does (padding 2). */
function fields(rows: ReadonlyArray<[string, string]>): string {
  const width = Math.max(...rows.filter(([l]) => l !== '').map(([l]) => l.length + 1)) + 2;
  return rows.map(([l, v]) => `${(l === '' ? '' : `${l}:`).padEnd(width)}${v}`.trimEnd() + '\n').join('');
}

function trafficLines(traffic: unknown): string[] {
  return arr(traffic).map((t) => {
    const target = t.latestRevision === true ? `@latest (${s(t.revisionName, '')})` : s(t.revisionName ?? t.configurationName, '');
    return `${String(t.percent ?? 0).padStart(4)}%  ${target}${t.tag ? ` #${String(t.tag)}` : ''}${t.url ? ` ${String(t.url)}` : ''}`;
  });
}

const firstImage = (o: KObject) => s(rec(arr(rec(rec(rec(rec(o).spec).template).spec).containers)[0]).image);

/** The lines between the metadata and the conditions: what the object asks for and what it got. */
function summary(o: KObject, kind: KindInfo, state: InspectState): Array<[string, string]> {
  const spec = rec(rec(o).spec);
  const status = rec(rec(o).status);
  const traffic = (v: unknown): Array<[string, string]> => {
    const lines = trafficLines(v);
    return lines.length === 0 ? [['Traffic', '<none>']] : lines.map((l, i) => [i === 0 ? 'Traffic' : '', l]);
  };
  switch (`${kind.group}/${kind.kind}`) {
    case 'serving.knative.dev/Service':
      return [['URL', s(status.url)], ['Image', firstImage(o)], ['Latest Created', s(status.latestCreatedRevisionName)], ['Latest Ready', s(status.latestReadyRevisionName)], ...traffic(status.traffic)];
    case 'serving.knative.dev/Route':
      return [['URL', s(status.url)], ['Address', s(rec(status.address).url)], ...traffic(status.traffic)];
    case 'serving.knative.dev/Configuration':
      return [['Image', firstImage(o)], ['Latest Created', s(status.latestCreatedRevisionName)], ['Latest Ready', s(status.latestReadyRevisionName)]];
    case 'serving.knative.dev/Revision': {
      const container = rec(arr(spec.containers)[0]);
      const pods = state.snapshot.objects.filter((p) => p.kind === 'Pod' && p.metadata.namespace === o.metadata.namespace && p.metadata.labels?.['serving.knative.dev/revision'] === o.metadata.name);
      return [
        ['Configuration', s(o.metadata.labels?.['serving.knative.dev/configuration'])],
        ['Generation', s(o.metadata.labels?.['serving.knative.dev/configurationGeneration'])],
        ['Image', s(container.image)],
        ['Concurrency', `${s(spec.containerConcurrency, '0')} (0: unlimited)`],
        ['Timeout', `${s(spec.timeoutSeconds, '300')}s`],
        ['Replicas', `${s(status.actualReplicas, '0')} ready, ${s(status.desiredReplicas, '-')} desired`],
        ...(pods.length === 0 ? ([['Pods', '<none>']] as Array<[string, string]>) : pods.map((p, i): [string, string] => [i === 0 ? 'Pods' : '', `${p.metadata.name}  ${podReady(p)}  ${podStatus(p)}`])),
      ];
    }
    case 'serving.knative.dev/DomainMapping':
      return [['URL', s(status.url)], ['Ref', `${s(rec(spec.ref).kind, '')}/${s(rec(spec.ref).name, '')}`], ['Address', s(rec(status.address).url)]];
    case 'networking.internal.knative.dev/Ingress':
      return arr(spec.rules).flatMap((r, i): Array<[string, string]> => {
        const splits = arr(rec(arr(rec(r.http).paths)[0]).splits).map((x) => `${s(x.serviceName, '')}:${s(x.servicePort, '')} ${s(x.percent, '0')}%`);
        return [[`Rule ${i + 1}`, `${s(r.visibility, 'ExternalIP')} ${arr(r.hosts).join(',')}`], ['', `→ ${splits.join(', ')}`]];
      });
    case 'autoscaling.internal.knative.dev/PodAutoscaler':
      return [['Desired Scale', s(status.desiredScale)], ['Actual Scale', s(status.actualScale)], ['Reachability', s(spec.reachability)], ['Scale Target', `${s(rec(spec.scaleTargetRef).kind, '')}/${s(rec(spec.scaleTargetRef).name, '')}`]];
    case 'networking.internal.knative.dev/ServerlessService': {
      const ep = state.snapshot.objects.find((e) => e.kind === 'Endpoints' && e.metadata.namespace === o.metadata.namespace && e.metadata.name === status.serviceName);
      return [['Mode', s(spec.mode)], ['Activators', s(spec.numActivators)], ['Service', s(status.serviceName)], ['Private Service', s(status.privateServiceName)], ['Endpoints', ep ? endpointsList(ep) : '<none>']];
    }
    case '/Service': {
      const ep = state.snapshot.objects.find((e) => e.kind === 'Endpoints' && e.metadata.namespace === o.metadata.namespace && e.metadata.name === o.metadata.name);
      const ports = arr(spec.ports);
      const rows: Array<[string, string]> = [['Selector', selector(spec.selector as Record<string, string> | undefined)], ['Type', s(spec.type, 'ClusterIP')]];
      if (spec.type === 'ExternalName') rows.push(['External Name', s(spec.externalName)]);
      else rows.push(['IP', s(spec.clusterIP)]);
      const lb = arr(rec(status.loadBalancer).ingress).map((i) => s(i.ip ?? i.hostname, ''));
      if (lb.length > 0) rows.push(['LoadBalancer Ingress', lb.join(', ')]);
      for (const p of ports) {
        rows.push(['Port', `${s(p.name, '<unset>')}  ${s(p.port, '')}/${s(p.protocol, 'TCP')}`]);
        rows.push(['TargetPort', `${s(p.targetPort ?? p.port, '')}/${s(p.protocol, 'TCP')}`]);
        if (spec.type !== 'ExternalName') rows.push(['Endpoints', ep ? endpointsList(ep).replace('<none>', '') : '']);
      }
      rows.push(['Session Affinity', 'None']);
      return rows;
    }
    case '/Pod': {
      const containers = arr(status.containerStatuses);
      return [
        ['Node', s(spec.nodeName)],
        ['Status', podStatus(o)],
        ['IP', s(status.podIP)],
        ['Ready', podReady(o)],
        ...containers.map((c, i): [string, string] => [i === 0 ? 'Containers' : '', `${s(c.name, '')}: ready ${String(c.ready)}, restarts ${s(c.restartCount, '0')}`]),
      ];
    }
    case '/Endpoints': {
      return [['Endpoints', endpointsList(o)]];
    }
    default:
      return [];
  }
}

/** kubectl's generic describer prints these as nested fields; knsim prints their YAML. */
function rawSections(o: KObject, kind: KindInfo): string {
  if (kind.group === 'networking.istio.io') return `Spec:\n${indent(toYaml(sortedKeys(rec(o).spec ?? {}), { lineWidth: 0 }), 2)}`;
  if (kind.kind === 'ConfigMap' && kind.group === '') {
    const data = (rec(o).data ?? {}) as Record<string, string>;
    const keys = Object.keys(data).sort();
    return `\nData\n====\n${keys.map((k) => `${k}:\n----\n${data[k]}\n`).join('\n')}`;
  }
  return '';
}

const indent = (text: string, n: number) =>
  text
    .split('\n')
    .map((l) => (l === '' ? l : ' '.repeat(n) + l))
    .join('\n');

function conditionsTable(o: KObject): string {
  const conds = conditionsOf(o);
  if (conds.length === 0) return '';
  return `Conditions:\n${table([['Type', 'Status', 'Reason', 'Message'], ...conds.map((c) => [c.type, c.status, c.reason ?? '', c.message ?? ''])], 2, '  ')}`;
}

/** kubectl's Events section: Type, Reason, Age (`10s (x3 over 2m)`), From, Message. */
function eventsTable(state: InspectState, kind: KindInfo, o: KObject): string {
  const events = state.events.of(kind.resource, o.metadata.namespace ?? '', o.metadata.name);
  if (events.length === 0) return 'Events:  <none>\n';
  const now = state.snapshot.nowMs;
  const rows = events.map((e) => [e.type, e.reason, e.count > 1 ? `${humanDuration(now - e.lastMs)} (x${e.count} over ${humanDuration(now - e.firstMs)})` : humanDuration(now - e.firstMs), e.from, e.message]);
  return `Events:\n${table([['Type', 'Reason', 'Age', 'From', 'Message'], ['----', '------', '----', '----', '-------'], ...rows], 2, '  ')}`;
}

export function describeObject(state: InspectState, kind: KindInfo, o: KObject): string {
  const head: Array<[string, string]> = [
    ['Name', o.metadata.name],
    ...(kind.namespaced ? ([['Namespace', o.metadata.namespace ?? 'default']] as Array<[string, string]>) : []),
    ...mapLines('Labels', o.metadata.labels),
    ...mapLines('Annotations', o.metadata.annotations, [LAST_APPLIED]),
    ['API Version', o.apiVersion],
    ['Kind', o.kind],
    ['Age', age(o, state.snapshot.nowMs)],
    ...summary(o, kind, state),
  ];
  return fields(head) + rawSections(o, kind) + conditionsTable(o) + eventsTable(state, kind, o);
}

/** `knsim describe KIND [NAME]`: every object of the kind when no name is given, as kubectl does. */
export function runDescribe(state: InspectState, kindArg: string, name: string | undefined, o: { namespace?: string; allNamespaces?: boolean; selector?: string; json?: boolean }): CommandOutput {
  const kind = kindFor(kindArg);
  const objects = select(state, kind, o).filter((x) => name === undefined || x.metadata.name === name || x.metadata.name.startsWith(name));
  // kubectl describe takes a name prefix when no object has the exact name.
  const exact = name === undefined ? objects : objects.filter((x) => x.metadata.name === name);
  const shown = exact.length > 0 ? exact : objects;
  if (shown.length === 0) {
    if (name !== undefined) return { stdout: o.json ? '[]\n' : '', stderr: `Error from server (NotFound): ${kind.resource} "${name}" not found\n`, exitCode: 1 };
    return { stdout: o.json ? '[]\n' : '', stderr: `No resources found in ${o.namespace ?? 'default'} namespace.\n`, exitCode: 0 };
  }
  if (o.json) {
    const items = shown.map((x) => ({ object: x, events: state.events.of(kind.resource, x.metadata.namespace ?? '', x.metadata.name) }));
    return { stdout: JSON.stringify(items, null, 2) + '\n', stderr: '', exitCode: 0 };
  }
  return { stdout: shown.map((x) => describeObject(state, kind, x)).join('\n\n'), stderr: '', exitCode: 0 };
}
