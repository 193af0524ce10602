import type { IngressVisibility } from '../../apis/networking/v1alpha1.js';
import type { ServingConfig } from '../../apis/config/serving-config.js';
import {
  ServingLabels,
  getCondition,
  isRevisionReady,
  type Condition,
  type ConditionStatus,
  type Configuration,
  type Revision,
  type Route,
  type TrafficTarget,
} from '../../apis/serving/v1/types.js';
import { type PlaceholderLabels, DomainNameError, domainNameFromTemplate, getVisibility, hostnameFromTemplate, routeStatusAddressURL, routeStatusURL, withVisibility } from './domains.js';
import { dict } from '../../apis/dict.js';

/**
 * Traffic resolution of a Route (knative/serving pkg/reconciler/route/traffic/traffic.go,
 * errors.go, route.go configureTraffic): spec targets → revisions, with target errors deferred
 * (the first is kept unless a later one is a failure), then flattened per traffic name.
 */

/** The default (untagged) traffic name. */
export const DEFAULT_TARGET = '';

export type ProtocolType = 'http1' | 'h2c';

/** A spec target resolved to a revision (revisionName set, percent and latestRevision defaulted). */
export interface RevisionTarget extends TrafficTarget {
  revisionName: string;
  percent: number;
  protocol: ProtocolType;
}

export interface ObjectReference {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
}

export interface TrafficConfig {
  /** Traffic name ("" = default, else a tag) → consolidated targets. Keys are sorted. */
  targets: Record<string, RevisionTarget[]>;
  /** The status view: spec order, equal (tag, revision, latestRevision) merged. */
  revisionTargets: RevisionTarget[];
  configurations: Record<string, Configuration>;
  revisions: Record<string, Revision>;
  missingTargets: ObjectReference[];
}

/** What the informers would return; undefined means NotFound. */
export interface TrafficLookups {
  getConfiguration(name: string): Configuration | undefined;
  getRevision(name: string): Revision | undefined;
}

export type TargetErrorKind = 'MissingTarget' | 'UnreadyConfiguration' | 'UnreadyRevision' | 'RevisionNotOwned';

/** traffic.TargetError: the condition it marks on the Route and whether it is a failure. */
export interface TargetError {
  kind: TargetErrorKind;
  name: string;
  isFailure: boolean;
  /** Error(): the text the controller logs. */
  error: string;
  /** MarkBadTrafficTarget: the AllTrafficAssigned condition it sets. */
  condition: { status: ConditionStatus; reason: string; message: string };
}

function missingTarget(kind: 'Configuration' | 'Revision', name: string): TargetError {
  return {
    kind: 'MissingTarget',
    name,
    isFailure: true,
    error: `${kind} ${JSON.stringify(name)} referenced in traffic not found`,
    condition: { status: 'False', reason: `${kind}Missing`, message: `${kind} ${JSON.stringify(name)} referenced in traffic not found.` },
  };
}

// A config or revision is a failure (not just "not yet") only when its Ready condition is False.
const readyStatus = (s: Configuration['status'] | Revision['status']): ConditionStatus => getCondition(s, 'Ready')?.status ?? 'Unknown';

function unreadyConfiguration(cfg: Configuration): TargetError {
  const isFailure = readyStatus(cfg.status) === 'False';
  const name = cfg.metadata.name;
  return {
    kind: 'UnreadyConfiguration',
    name,
    isFailure,
    error: `Configuration ${JSON.stringify(name)} not ready, isFailure=${isFailure}`,
    condition: isFailure
      ? { status: 'False', reason: 'RevisionMissing', message: `Configuration ${JSON.stringify(name)} does not have any ready Revision.` }
      : { status: 'Unknown', reason: 'RevisionMissing', message: `Configuration ${JSON.stringify(name)} is waiting for a Revision to become ready.` },
  };
}

function unreadyRevision(rev: Revision): TargetError {
  const isFailure = readyStatus(rev.status) === 'False';
  const name = rev.metadata.name;
  return {
    kind: 'UnreadyRevision',
    name,
    isFailure,
    error: `Revision ${JSON.stringify(name)} not ready, isFailure=${isFailure}`,
    condition: isFailure
      ? { status: 'False', reason: 'RevisionMissing', message: `Revision ${JSON.stringify(name)} failed to become ready.` }
      : { status: 'Unknown', reason: 'RevisionMissing', message: `Revision ${JSON.stringify(name)} is not yet ready.` },
  };
}

function revisionNotOwned(revisionName: string, expected: string, actual: string): TargetError {
  const q = JSON.stringify;
  const text = actual === '' ? `Revision ${q(revisionName)} does not belong to Service ${q(expected)}` : `Revision ${q(revisionName)} belongs to Service ${q(actual)}, not Service ${q(expected)}`;
  return { kind: 'RevisionNotOwned', name: revisionName, isFailure: true, error: text, condition: { status: 'False', reason: 'RevisionNotOwned', message: `${text}.` } };
}

/** Revision.GetProtocol: h2c when the serving container's first port is named h2c. */
export function revisionProtocol(rev: Revision): ProtocolType {
  const containers = rev.spec?.containers ?? [];
  const c = containers.find((x) => (x.ports?.length ?? 0) > 0) ?? containers[0];
  return c?.ports?.[0]?.name === 'h2c' ? 'h2c' : 'http1';
}

export interface BuildResult {
  config: TrafficConfig;
  /** The deferred target error; when set, `config.targets` and `revisionTargets` are empty. */
  error?: TargetError;
}

/** BuildTrafficConfiguration over the (defaulted) spec.traffic of a Route. */
export function buildTrafficConfiguration(route: Route, lookups: TrafficLookups): BuildResult {
  const namespace = route.metadata.namespace ?? 'default';
  const configurations = dict<Configuration>();
  const revisions = dict<Revision>();
  const missingTargets: ObjectReference[] = [];
  const targets = new Map<string, RevisionTarget[]>();
  let revisionTargets: RevisionTarget[] = [];
  let deferred: TargetError | undefined;

  const getConfiguration = (name: string): Configuration | TargetError => {
    const cached = configurations[name];
    if (cached) return cached;
    const c = lookups.getConfiguration(name);
    if (!c) {
      missingTargets.push({ apiVersion: 'serving.knative.dev/v1', kind: 'Configuration', name, namespace });
      return missingTarget('Configuration', name);
    }
    return (configurations[name] = c);
  };
  const getRevision = (name: string): Revision | TargetError => {
    const cached = revisions[name];
    if (cached) return cached;
    const r = lookups.getRevision(name);
    if (!r) {
      missingTargets.push({ apiVersion: 'serving.knative.dev/v1', kind: 'Revision', name, namespace });
      return missingTarget('Revision', name);
    }
    return (revisions[name] = r);
  };
  const isErr = (x: object): x is TargetError => 'condition' in x && 'isFailure' in x;

  const addFlattened = (t: RevisionTarget) => {
    // mergeIfNecessary: the status list sums entries equal in (tag, revision, latestRevision).
    const same = revisionTargets.find((r) => (r.tag ?? '') === (t.tag ?? '') && r.revisionName === t.revisionName && r.latestRevision === t.latestRevision);
    if (same) same.percent += t.percent;
    else revisionTargets.push({ ...t });
    const push = (name: string) => targets.set(name, [...(targets.get(name) ?? []), { ...t }]);
    push(DEFAULT_TARGET);
    if ((t.tag ?? '') !== '') push(t.tag!);
  };

  const addTrafficTarget = (tt: TrafficTarget): TargetError | undefined => {
    const base = { ...tt, percent: tt.percent ?? 0, latestRevision: tt.latestRevision ?? (tt.revisionName ?? '') === '' };
    if ((tt.revisionName ?? '') !== '') {
      const rev = getRevision(tt.revisionName!);
      if (isErr(rev)) return rev;
      const routeSvc = route.metadata.labels?.[ServingLabels.service] ?? '';
      if (routeSvc !== '') {
        const revSvc = rev.metadata.labels?.[ServingLabels.service] ?? '';
        if (routeSvc !== revSvc) return revisionNotOwned(tt.revisionName!, routeSvc, revSvc);
      }
      if (!isRevisionReady(rev)) return unreadyRevision(rev);
      const target: RevisionTarget = { ...base, revisionName: rev.metadata.name, protocol: revisionProtocol(rev) };
      const cfgName = rev.metadata.labels?.[ServingLabels.configuration];
      if (cfgName !== undefined) {
        target.configurationName = cfgName;
        const cfg = getConfiguration(cfgName);
        if (isErr(cfg)) return cfg;
      }
      addFlattened(target);
    } else if ((tt.configurationName ?? '') !== '') {
      const cfg = getConfiguration(tt.configurationName!);
      if (isErr(cfg)) return cfg;
      const lrr = cfg.status?.latestReadyRevisionName ?? '';
      if (lrr === '') return unreadyConfiguration(cfg);
      const rev = getRevision(lrr);
      if (isErr(rev)) return rev;
      if (!isRevisionReady(rev)) return unreadyRevision(rev);
      addFlattened({ ...base, revisionName: rev.metadata.name, protocol: revisionProtocol(rev) });
    }
    return undefined;
  };

  for (const tt of route.spec?.traffic ?? []) {
    const err = addTrafficTarget(tt);
    // deferTargetError: keep the first error unless a later one is a failure.
    if (err && (deferred === undefined || err.isFailure)) deferred = err;
  }
  if (deferred) {
    targets.clear();
    revisionTargets = [];
  }
  const consolidated = dict<RevisionTarget[]>();
  for (const name of [...targets.keys()].sort()) consolidated[name] = consolidate(targets.get(name)!);
  return {
    config: { targets: consolidated, revisionTargets, configurations, revisions, missingTargets },
    ...(deferred ? { error: deferred } : {}),
  };
}

/**
 * consolidate: one entry per revision (percents summed, the first entry's other fields kept);
 * a single remaining entry carries 100%, which is what makes a tag's own host serve its revision
 * even when the tag has 0% of the main route.
 */
export function consolidate(targets: readonly RevisionTarget[]): RevisionTarget[] {
  const byName = new Map<string, RevisionTarget>();
  for (const t of targets) {
    const cur = byName.get(t.revisionName);
    if (cur) cur.percent += t.percent;
    else byName.set(t.revisionName, { ...t });
  }
  const out = [...byName.values()];
  if (out.length === 1) out[0]!.percent = 100;
  return out;
}

/** GetRevisionTrafficTargets (no rollout in progress): the Route's status.traffic, with tag URLs. */
export function getRevisionTrafficTargets(
  config: ServingConfig,
  route: Route,
  tc: TrafficConfig,
  visibility: Readonly<Record<string, IngressVisibility>>,
): TrafficTarget[] {
  return tc.revisionTargets.map((tt) => {
    const result: TrafficTarget = {
      ...(tt.tag ? { tag: tt.tag } : {}),
      revisionName: tt.revisionName,
      latestRevision: tt.latestRevision!,
      percent: tt.percent,
    };
    if (tt.tag) {
      const clusterLocal = visibility[tt.tag] === 'ClusterLocal';
      const host = domainNameFromTemplate(config, withVisibility(route.metadata, clusterLocal), hostnameFromTemplate(config, route.metadata.name, tt.tag));
      result.url = `${clusterLocal ? 'http' : config.network.defaultExternalScheme}://${host}`;
    }
    return result;
  });
}

/** What configureTraffic decided for one reconcile of a Route. */
export interface ConfigureTrafficResult {
  /** Set when all traffic resolved: the ingress and placeholder Services may be (re)built from it. */
  traffic?: TrafficConfig & { visibility: Record<string, IngressVisibility> };
  /** The AllTrafficAssigned condition to set. */
  allTrafficAssigned: Pick<Condition, 'status' | 'reason' | 'message'>;
  /** status.url, when computed (it is, even on a target error). */
  url?: string;
  /** status.address.url, only on success. */
  addressURL?: string;
  /** status.traffic, only on success. */
  statusTraffic?: TrafficTarget[];
  /**
   * False on any error: Knative returns before touching the KIngress, so the previous
   * programming keeps serving (route.go ReconcileKind).
   */
  updateIngress: boolean;
  /** The resolution error, if any (for the trace). */
  targetError?: TargetError;
}

/**
 * route.go configureTraffic + the status it writes: resolve traffic, compute visibility and the
 * URL, then either mark the bad target (AllTrafficAssigned Unknown/False, no ingress update) or
 * fill status.traffic and mark AllTrafficAssigned=True. Domain-template errors give
 * AllTrafficAssigned=False with reason ErrorConfig.
 */
export function configureTraffic(
  config: ServingConfig,
  route: Route,
  lookups: TrafficLookups,
  placeholderLabels: PlaceholderLabels = {},
): ConfigureTrafficResult {
  const { config: tc, error } = buildTrafficConfiguration(route, lookups);
  try {
    const names = (route.spec?.traffic ?? []).map((t) => t.tag ?? '');
    const visibility = getVisibility(config, route.metadata, names, placeholderLabels);
    const url = routeStatusURL(config, route.metadata, visibility);
    if (error) return { allTrafficAssigned: error.condition, url, updateIngress: false, targetError: error };
    const statusTraffic = getRevisionTrafficTargets(config, route, tc, visibility);
    return {
      traffic: { ...tc, visibility },
      allTrafficAssigned: { status: 'True' },
      url,
      addressURL: routeStatusAddressURL(config, route.metadata),
      statusTraffic,
      updateIngress: true,
    };
  } catch (e) {
    if (e instanceof DomainNameError) return { allTrafficAssigned: { status: 'False', reason: 'ErrorConfig', message: e.message }, updateIngress: false };
    throw e;
  }
}
