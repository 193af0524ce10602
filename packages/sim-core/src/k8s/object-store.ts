import type { KObject } from '../apis/core/v1.js';
import { deepCopy } from '../apis/deep-copy.js';
import { groupKindOf, type GroupKind, type ObjectOf } from '../apis/kinds.js';

export type WatchEvent = 'added' | 'modified' | 'deleted';
/** A watch callback: `obj` and `old` are the stored objects themselves, read-only (an informer's shared cache). */
export type Watcher<T extends KObject = KObject> = (event: WatchEvent, obj: Readonly<T>, old: Readonly<T> | undefined) => void;
/** client-go's cache.IndexFunc: the values an object is indexed under (within its namespace). */
export type IndexFunc<T extends KObject = KObject> = (obj: Readonly<T>) => readonly string[];

/** The built-in index every kind has: `<owner kind>/<owner name>` of each owner reference. */
export const OWNER_INDEX = 'owner';

/** What the store has handed out, for tests and benchmarks that count the control plane's work. */
export interface ObjectStoreStats {
  /** Objects returned by get, list, peek, view or an index (copied or not). */
  objectsRead: number;
  /** Objects deep-copied on their way in or out. */
  objectsCopied: number;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Where `x` goes in a sorted array (binary search). */
function lowerBound(xs: readonly string[], x: string): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The distinct values an object is indexed under, in the order the index function gives them. */
const valuesFor = (index: Index, o: Readonly<KObject>): readonly string[] => {
  const vs = index.fn(o);
  return vs.length <= 1 ? vs : [...new Set(vs)];
};

class Index {
  /** `<namespace>\0<value>` → names of the objects indexed under it. */
  readonly entries = new Map<string, Set<string>>();
  /** name-in-namespace key → the entries it is in (to remove them on change). */
  readonly valuesOf = new Map<string, readonly string[]>();
  constructor(readonly fn: IndexFunc) {}
}

/** One kind's objects: by namespace and name, names kept sorted, its indexes and its watchers. */
class KindStore {
  readonly byNamespace = new Map<string, Map<string, KObject>>();
  /** Names per namespace, sorted; kept in order on create and delete (listing never sorts). */
  readonly sortedNames = new Map<string, string[]>();
  sortedNamespaces: string[] | null = null;
  readonly indexes = new Map<string, Index>();
  readonly watchers: Watcher[] = [];
}

/**
 * The API server's storage with the informers' caches built in (client-go's thread-safe store
 * and Indexers): objects by group/kind, namespace and name, each kind's names kept sorted
 * (replay must not depend on insertion order), and indexes — every kind by owner, and what
 * controllers register with `addIndex` (a Route by the configurations and revisions its traffic
 * names, a Revision by its configuration label) — so a controller reads the few objects a
 * change concerns instead of listing a namespace.
 *
 * Copies: objects are deep-copied on the way in (`put`) so no caller keeps a handle on stored
 * state. On the way out, `get` and `list` copy (the object is the caller's to modify, as a
 * controller's DeepCopy before an update); `peek`, `view`, `byIndex` and watch callbacks hand out
 * the stored object itself, typed read-only, as a shared informer cache does: stored objects are
 * replaced on every write, never modified in place, so a view stays a consistent snapshot.
 */
export class ObjectStore {
  private readonly kinds = new Map<GroupKind, KindStore>();
  private uid = 0;
  private changes = 0;
  private creation = 0;
  readonly stats: ObjectStoreStats = { objectsRead: 0, objectsCopied: 0 };

  private kind(gk: GroupKind): KindStore {
    let k = this.kinds.get(gk);
    if (k === undefined) {
      k = new KindStore();
      k.indexes.set(OWNER_INDEX, new Index((o) => (o.metadata.ownerReferences ?? []).map((r) => `${r.kind}/${r.name}`)));
      this.kinds.set(gk, k);
    }
    return k;
  }

  private copy<T>(o: T): T {
    this.stats.objectsCopied++;
    return deepCopy(o);
  }

  /**
   * The stored object, found through its kind's and namespace's maps: the strings are ones
   * already hashed, where one key made of all three would be a new string to hash on every read.
   */
  private stored(gk: GroupKind, namespace: string, name: string): KObject | undefined {
    return this.kinds.get(gk)?.byNamespace.get(namespace)?.get(name);
  }

  get<K extends GroupKind>(gk: K, namespace: string, name: string): ObjectOf<K> | undefined {
    const o = this.stored(gk, namespace, name);
    if (o === undefined) return undefined;
    this.stats.objectsRead++;
    return this.copy(o) as ObjectOf<K>;
  }

  /** The stored object itself, not a copy: callers must not modify it (see the class comment). */
  peek<K extends GroupKind>(gk: K, namespace: string, name: string): Readonly<ObjectOf<K>> | undefined {
    const o = this.stored(gk, namespace, name);
    if (o !== undefined) this.stats.objectsRead++;
    return o as ObjectOf<K> | undefined;
  }

  /** A counter that changes whenever any object changes (for caches). */
  get version(): number {
    return this.changes;
  }

  has(gk: GroupKind, namespace: string, name: string): boolean {
    return this.stored(gk, namespace, name) !== undefined;
  }

  /** Objects of a kind (optionally one namespace), sorted by namespace then name: copies. */
  list<K extends GroupKind>(gk: K, namespace?: string): Array<ObjectOf<K>> {
    return this.view(gk, namespace).map((o) => this.copy(o) as ObjectOf<K>);
  }

  /** Like `list`, the stored objects themselves (read-only views, no copies). */
  view<K extends GroupKind>(gk: K, namespace?: string): Array<Readonly<ObjectOf<K>>> {
    const k = this.kinds.get(gk);
    const out: Array<Readonly<ObjectOf<K>>> = [];
    if (k === undefined) return out;
    const namespaces = namespace !== undefined ? [namespace] : (k.sortedNamespaces ??= [...k.sortedNames.keys()].sort(cmp));
    for (const ns of namespaces) {
      const byName = k.byNamespace.get(ns);
      if (byName === undefined) continue;
      for (const name of k.sortedNames.get(ns)!) out.push(byName.get(name)! as ObjectOf<K>);
    }
    this.stats.objectsRead += out.length;
    return out;
  }

  /**
   * Registers an index on a kind (client-go's AddIndexers): `fn` gives the values an object is
   * found under within its namespace. Objects already stored are indexed at once.
   */
  addIndex<K extends GroupKind>(gk: K, name: string, fn: IndexFunc<ObjectOf<K>>): void {
    const k = this.kind(gk);
    if (k.indexes.has(name)) throw new Error(`index ${name} on ${gk} registered twice`);
    const index = new Index(fn as IndexFunc);
    k.indexes.set(name, index);
    for (const [ns, byName] of k.byNamespace) for (const o of byName.values()) this.indexObject(index, ns, o);
  }

  /** The objects of a kind in a namespace indexed under `value` (ByIndex), sorted by name: read-only views. */
  byIndex<K extends GroupKind>(gk: K, index: string, namespace: string, value: string): Array<Readonly<ObjectOf<K>>> {
    const k = this.kinds.get(gk);
    if (k === undefined) return [];
    const idx = k.indexes.get(index);
    if (idx === undefined) throw new Error(`no index ${index} on ${gk}`);
    const names = idx.entries.get(`${namespace}\u0000${value}`);
    if (names === undefined || names.size === 0) return [];
    const byName = k.byNamespace.get(namespace)!;
    const out = [...names].sort(cmp).map((n) => byName.get(n)! as ObjectOf<K>);
    this.stats.objectsRead += out.length;
    return out;
  }

  private indexObject(index: Index, ns: string, o: KObject, values: readonly string[] = valuesFor(index, o)): void {
    const nk = `${ns}\u0000${o.metadata.name}`;
    index.valuesOf.set(nk, values);
    for (const v of values) {
      const ek = `${ns}\u0000${v}`;
      let set = index.entries.get(ek);
      if (set === undefined) index.entries.set(ek, (set = new Set()));
      set.add(o.metadata.name);
    }
  }

  private unindexObject(index: Index, ns: string, name: string): void {
    const nk = `${ns}\u0000${name}`;
    for (const v of index.valuesOf.get(nk) ?? []) {
      const ek = `${ns}\u0000${v}`;
      const set = index.entries.get(ek);
      set?.delete(name);
      if (set?.size === 0) index.entries.delete(ek);
    }
    index.valuesOf.delete(nk);
  }

  /**
   * Creates or replaces; keeps uid and creation order of an existing object; notifies watchers
   * unless `notify` is false (a controller writing status, which must not re-trigger itself).
   * Returns the stored object (read-only). `handOver`: the caller made `obj` for the store and
   * keeps no handle on it (a fresh deep copy), so it is stored as it is instead of copied again.
   */
  put(obj: KObject, notify = true, handOver = false): Readonly<KObject> {
    const gk = groupKindOf(obj);
    const ns = obj.metadata.namespace ?? 'default';
    const name = obj.metadata.name;
    const k = this.kind(gk);
    let byName = k.byNamespace.get(ns);
    const old = byName?.get(name);
    const stored = handOver ? obj : this.copy(obj);
    stored.metadata.namespace = ns;
    if (old) {
      stored.metadata.uid = old.metadata.uid;
      stored.metadata.creationTimestamp = old.metadata.creationTimestamp;
      (stored.metadata as { creationIndex?: number }).creationIndex = (old.metadata as { creationIndex?: number }).creationIndex;
    } else {
      stored.metadata.uid = `uid-${++this.uid}`;
      (stored.metadata as { creationIndex?: number }).creationIndex = ++this.creation;
    }
    if (byName === undefined) {
      k.byNamespace.set(ns, (byName = new Map()));
      k.sortedNames.set(ns, []);
      k.sortedNamespaces = null;
    }
    byName.set(name, stored);
    if (old === undefined) {
      const names = k.sortedNames.get(ns)!;
      names.splice(lowerBound(names, name), 0, name);
    }
    for (const index of k.indexes.values()) {
      const values = valuesFor(index, stored);
      if (old !== undefined) {
        // Most writes (status, a spec change) leave what an object is indexed under alone.
        const had = index.valuesOf.get(`${ns}\u0000${name}`);
        if (had !== undefined && had.length === values.length && had.every((v, i) => v === values[i])) continue;
        this.unindexObject(index, ns, name);
      }
      this.indexObject(index, ns, stored, values);
    }
    this.changes++;
    if (notify) for (const w of k.watchers) w(old ? 'modified' : 'added', stored, old);
    return stored;
  }

  delete(gk: GroupKind, namespace: string, name: string): KObject | undefined {
    const k = this.kinds.get(gk);
    const byName = k?.byNamespace.get(namespace);
    const old = byName?.get(name);
    if (k === undefined || byName === undefined || old === undefined) return undefined;
    byName.delete(name);
    const names = k.sortedNames.get(namespace)!;
    names.splice(lowerBound(names, name), 1);
    for (const index of k.indexes.values()) this.unindexObject(index, namespace, name);
    this.changes++;
    for (const w of k.watchers) w('deleted', old, old);
    return old;
  }

  watch<K extends GroupKind>(gk: K, fn: Watcher<ObjectOf<K>>): void {
    this.kind(gk).watchers.push(fn as Watcher);
  }
}
