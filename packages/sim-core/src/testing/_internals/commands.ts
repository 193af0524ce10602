/**
 * The commands of `clusterCommands()`. Each checks its precondition against the model, runs on
 * the cluster, waits for the control plane to settle, updates the model and asserts what the
 * model predicts; then every step checks the laws over the whole trace so far (`verify`).
 */
import type fc from 'fast-check';
import type { KObject } from '../../apis/core/v1.js';
import { service } from '../builders/service.js';
import { toYaml } from '../builders/to-yaml.js';
import { burst } from '../drivers/burst.js';
import { sendN } from '../drivers/send-n.js';
import { conservation } from '../laws/conservation.js';
import { LawViolation } from '../laws/law-violation.js';
import { scaleWithinBounds } from '../laws/scale-within-bounds.js';
import { servedByRoutable } from '../laws/served-by-routable.js';
import { resolve, type ClusterModel, type ClusterUnderTest, type ModelTarget } from '../model/model.js';
import { advanceTo } from './advance.js';
import { podReady } from './trace-index.js';

type Cmd = fc.Command<ClusterModel, ClusterUnderTest>;

const MIN_SCALE = 'autoscaling.knative.dev/min-scale';
export const host = (m: ClusterModel, tag?: string) => `http://${tag ? `${tag}-` : ''}${m.service}.default.example.com/`;

/** The Service the model describes: its latest revision's template and its traffic block. */
export function manifestOf(m: ClusterModel): KObject {
  const latest = m.revisions.at(-1)!;
  return service({
    name: m.service,
    revisions: [{ name: latest.name, ...(latest.minScale > 0 ? { annotations: { [MIN_SCALE]: String(latest.minScale) } } : {}) }],
    traffic: m.traffic.map((t) => ({ ...(t.tag ? { tag: t.tag } : {}), ...(t.revision === null ? { latestRevision: true } : { revisionName: t.revision }), percent: t.percent })),
  })[0]!;
}

function fail(what: string, details?: unknown): never {
  throw new LawViolation('model', what, details);
}

/** Applies the model's Service and waits for it to settle. */
function applyModel(m: ClusterModel, r: ClusterUnderTest): void {
  const obj = manifestOf(m);
  r.lastApplied = toYaml(obj);
  r.cluster.apply(obj, { file: 'model' });
  r.cluster.waitForReady();
  m.lastChangeMs = r.cluster.now;
}

/** The laws, over the whole trace so far, and the ready pods each revision should have when quiet. */
export function verify(m: ClusterModel, r: ClusterUnderTest): void {
  conservation(r.events);
  servedByRoutable(r.events);
  for (const rev of m.revisions) scaleWithinBounds(r.events, { revision: rev.name, minScale: rev.minScale });
}

function readyPods(r: ClusterUnderTest, revision: string): number {
  return r.cluster.pods(revision).filter((p) => p.status === 'Running' && podReady({ phase: p.status, ready: p.ready } as never)).length;
}

export class NewRevision implements Cmd {
  constructor(readonly minScale: number | undefined) {}
  check(m: Readonly<ClusterModel>): boolean {
    return m.revisions.length < m.maxRevisions && (this.minScale === undefined || this.minScale !== m.revisions.at(-1)!.minScale);
  }
  run(m: ClusterModel, r: ClusterUnderTest): void {
    const name = `${m.service}-v${m.next++}`;
    m.revisions.push({ name, minScale: this.minScale ?? m.revisions.at(-1)!.minScale });
    applyModel(m, r);
    const rev = r.cluster.get<KObject & { status?: { conditions?: Array<{ type: string; status: string }> } }>({ kind: 'Revision', name });
    if (rev?.status?.conditions?.find((c) => c.type === 'Ready')?.status !== 'True') fail(`revision ${name} is not Ready after its apply`, rev?.status);
    verify(m, r);
  }
  toString(): string {
    return this.minScale === undefined ? 'NewRevision' : `ChangeMinScale(${this.minScale})`;
  }
}

export class ShiftTraffic implements Cmd {
  constructor(
    readonly percents: readonly number[],
    readonly latest: boolean,
  ) {}
  check(m: Readonly<ClusterModel>): boolean {
    return m.revisions.length >= this.percents.length;
  }
  run(m: ClusterModel, r: ClusterUnderTest): void {
    // The newest revisions by name; when following the latest, its share is the first and the
    // others are the newest before it. Tags stay with their revision.
    const k = this.percents.length;
    const names = m.revisions.map((x) => x.name);
    const targets: Array<string | null> = this.latest ? [null, ...names.slice(0, -1).slice(names.length - k, names.length - 1)] : names.slice(names.length - k);
    const tags = new Map(m.traffic.filter((t) => t.tag).map((t) => [resolve(m, t), t.tag!]));
    const next: ModelTarget[] = targets.map((rev, i) => ({ revision: rev, percent: this.percents[i]!, ...(tags.has(rev ?? '') ? { tag: tags.get(rev ?? '')! } : {}) }));
    // A tag on a revision that leaves the split stays reachable at 0%.
    const kept = new Set(next.map((t) => t.tag));
    for (const t of m.traffic) if (t.tag && !kept.has(t.tag)) next.push({ revision: resolve(m, t), percent: 0, tag: t.tag });
    m.traffic = next;
    applyModel(m, r);
    verify(m, r);
  }
  toString(): string {
    return `ShiftTraffic(${this.latest ? 'latest first, ' : ''}${this.percents.join('/')})`;
  }
}

export class Tag implements Cmd {
  constructor(
    readonly tag: string,
    readonly index: number,
  ) {}
  check(m: Readonly<ClusterModel>): boolean {
    return !m.traffic.some((t) => t.tag === this.tag);
  }
  run(m: ClusterModel, r: ClusterUnderTest): void {
    const rev = m.revisions[this.index % m.revisions.length]!.name;
    const existing = m.traffic.find((t) => t.revision === rev && !t.tag);
    if (existing) existing.tag = this.tag;
    else m.traffic.push({ revision: rev, percent: 0, tag: this.tag });
    applyModel(m, r);
    const res = sendN(r.cluster, { url: host(m, this.tag) }, 1)[0]!;
    m.lastChangeMs = r.cluster.now;
    if (res.status !== 200 || res.revision !== rev) fail(`${host(m, this.tag)} answered ${res.status} from ${res.revision}, want 200 from ${rev}`);
    verify(m, r);
  }
  toString(): string {
    return `Tag(${this.tag}, revision #${this.index})`;
  }
}

export class Untag implements Cmd {
  constructor(readonly tag: string) {}
  check(m: Readonly<ClusterModel>): boolean {
    return m.traffic.some((t) => t.tag === this.tag);
  }
  run(m: ClusterModel, r: ClusterUnderTest): void {
    const t = m.traffic.find((x) => x.tag === this.tag)!;
    delete t.tag;
    m.traffic = m.traffic.filter((x) => x.percent > 0 || x.tag);
    applyModel(m, r);
    const res = sendN(r.cluster, { url: host(m, this.tag) }, 1)[0]!;
    m.lastChangeMs = r.cluster.now;
    if (res.status !== 404) fail(`${host(m, this.tag)} answered ${res.status} from ${res.revision} after its tag was removed, want 404`);
    verify(m, r);
  }
  toString(): string {
    return `Untag(${this.tag})`;
  }
}

export class SendBurst implements Cmd {
  constructor(readonly n: number) {}
  check(): boolean {
    return true;
  }
  run(m: ClusterModel, r: ClusterUnderTest): void {
    const responses = burst(r.cluster, { url: host(m) }, this.n);
    m.lastChangeMs = r.cluster.now;
    const allowed = new Set(m.traffic.filter((t) => t.percent > 0).map((t) => resolve(m, t)));
    const bad = responses.filter((x) => x.status !== 200 || !allowed.has(x.revision ?? ''));
    if (bad.length > 0) fail(`${bad.length} of ${this.n} answers were not 200 from a revision with traffic (${[...allowed].join(', ')}): ${bad.slice(0, 3).map((x) => `${x.status} from ${x.revision}`).join('; ')}`);
    verify(m, r);
  }
  toString(): string {
    return `SendBurst(${this.n})`;
  }
}

export class AdvanceTime implements Cmd {
  constructor(readonly ms: number) {}
  check(): boolean {
    return true;
  }
  run(m: ClusterModel, r: ClusterUnderTest): void {
    advanceTo(r.cluster, r.cluster.now + this.ms);
    verify(m, r);
    // Quiet long enough: a revision traffic reaches keeps min-scale pods; any other has none.
    if (r.cluster.now - m.lastChangeMs < m.zeroAfterMs) return;
    const reached = new Set(m.traffic.map((t) => resolve(m, t)));
    for (const rev of m.revisions) {
      const want = reached.has(rev.name) ? rev.minScale : 0;
      const got = readyPods(r, rev.name);
      if (got !== want) fail(`${rev.name}: ${got} ready pods after ${r.cluster.now - m.lastChangeMs} ms without traffic or change, want ${want}${reached.has(rev.name) ? ' (its min-scale)' : ' (nothing routes to it)'}`);
    }
  }
  toString(): string {
    return `AdvanceTime(${this.ms / 1000}s)`;
  }
}

export class DeleteRevision implements Cmd {
  constructor(readonly index: number) {}
  private deletable(m: Readonly<ClusterModel>): string[] {
    const used = new Set(m.traffic.map((t) => resolve(m as ClusterModel, t)));
    return m.revisions.slice(0, -1).map((x) => x.name).filter((n) => !used.has(n));
  }
  check(m: Readonly<ClusterModel>): boolean {
    return this.deletable(m).length > 0;
  }
  run(m: ClusterModel, r: ClusterUnderTest): void {
    const names = this.deletable(m);
    const name = names[this.index % names.length]!;
    r.cluster.delete({ kind: 'Revision', name });
    r.cluster.waitForReady();
    m.lastChangeMs = r.cluster.now;
    m.revisions = m.revisions.filter((x) => x.name !== name);
    if (r.cluster.get({ kind: 'Revision', name }) !== undefined) fail(`revision ${name} still exists after its delete`);
    verify(m, r);
  }
  toString(): string {
    return `DeleteRevision(#${this.index})`;
  }
}
