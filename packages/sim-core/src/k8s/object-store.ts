import type { KObject } from '../apis/core/v1.js';
import { deepCopy } from '../apis/deep-copy.js';
import { groupKindOf, type GroupKind, type ObjectOf } from '../apis/kinds.js';

export type WatchEvent = 'added' | 'modified' | 'deleted';
export type Watcher<T extends KObject = KObject> = (event: WatchEvent, obj: T, old: T | undefined) => void;

const keyOf = (gk: GroupKind, ns: string, name: string) => `${gk}|${ns}|${name}`;

/**
 * The API server's storage, reduced to what the simulation needs: objects by group/kind,
 * namespace and name, deep-copied in and out so no component shares mutable state with another,
 * and watches that controllers subscribe to. Listing is always sorted (replay must not depend on
 * insertion order).
 */
export class ObjectStore {
  private readonly objects = new Map<string, KObject>();
  /** The same objects by kind, so listing a kind does not walk every object. */
  private readonly byKind = new Map<GroupKind, Map<string, KObject>>();
  private readonly watchers = new Map<GroupKind, Watcher[]>();
  private uid = 0;
  private changes = 0;
  private creation = 0;

  get<K extends GroupKind>(gk: K, namespace: string, name: string): ObjectOf<K> | undefined {
    const o = this.objects.get(keyOf(gk, namespace, name));
    return o === undefined ? undefined : (deepCopy(o) as ObjectOf<K>);
  }

  /**
   * The stored object itself, not a copy, for the data plane's hot path. Callers must not
   * modify it (controllers use `get`, which copies).
   */
  peek<K extends GroupKind>(gk: K, namespace: string, name: string): Readonly<ObjectOf<K>> | undefined {
    return this.objects.get(keyOf(gk, namespace, name)) as ObjectOf<K> | undefined;
  }

  /** A counter that changes whenever any object changes (for caches). */
  get version(): number {
    return this.changes;
  }

  has(gk: GroupKind, namespace: string, name: string): boolean {
    return this.objects.has(keyOf(gk, namespace, name));
  }

  /** Objects of a kind (optionally one namespace), sorted by namespace then name. */
  list<K extends GroupKind>(gk: K, namespace?: string): Array<ObjectOf<K>> {
    const out: Array<ObjectOf<K>> = [];
    for (const o of this.byKind.get(gk)?.values() ?? []) {
      if (namespace !== undefined && o.metadata.namespace !== namespace) continue;
      out.push(deepCopy(o) as ObjectOf<K>);
    }
    return out.sort((a, b) => cmp(a.metadata.namespace ?? '', b.metadata.namespace ?? '') || cmp(a.metadata.name, b.metadata.name));
  }

  /**
   * Creates or replaces; keeps uid and creation order of an existing object; notifies watchers
   * unless `notify` is false (a controller writing status, which must not re-trigger itself).
   */
  put(obj: KObject, notify = true): KObject {
    const gk = groupKindOf(obj);
    const ns = obj.metadata.namespace ?? 'default';
    const key = keyOf(gk, ns, obj.metadata.name);
    const old = this.objects.get(key);
    const stored = deepCopy(obj);
    stored.metadata.namespace = ns;
    if (old) {
      stored.metadata.uid = old.metadata.uid;
      stored.metadata.creationTimestamp = old.metadata.creationTimestamp;
      (stored.metadata as { creationIndex?: number }).creationIndex = (old.metadata as { creationIndex?: number }).creationIndex;
    } else {
      stored.metadata.uid = `uid-${++this.uid}`;
      (stored.metadata as { creationIndex?: number }).creationIndex = ++this.creation;
    }
    this.objects.set(key, stored);
    let kind = this.byKind.get(gk);
    if (kind === undefined) this.byKind.set(gk, (kind = new Map()));
    kind.set(key, stored);
    this.changes++;
    if (notify) this.notify(gk, old ? 'modified' : 'added', stored, old);
    return deepCopy(stored);
  }

  delete(gk: GroupKind, namespace: string, name: string): KObject | undefined {
    const key = keyOf(gk, namespace, name);
    const old = this.objects.get(key);
    if (old === undefined) return undefined;
    this.objects.delete(key);
    this.byKind.get(gk)?.delete(key);
    this.changes++;
    this.notify(gk, 'deleted', old, old);
    return old;
  }

  watch<K extends GroupKind>(gk: K, fn: Watcher<ObjectOf<K>>): void {
    const list = this.watchers.get(gk) ?? [];
    list.push(fn as Watcher);
    this.watchers.set(gk, list);
  }

  private notify(gk: GroupKind, event: WatchEvent, obj: KObject, old: KObject | undefined): void {
    for (const w of this.watchers.get(gk) ?? []) w(event, deepCopy(obj), old && deepCopy(old));
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
