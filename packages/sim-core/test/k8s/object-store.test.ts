import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KObject } from '../../src/apis/core/v1.js';
import { ObjectStore, OWNER_INDEX } from '../../src/k8s/object-store.js';

/**
 * The informer layer's law (issue 14): whatever sequence of creates, updates and deletes, an
 * index answers exactly what filtering a full listing would (client-go's ByIndex against
 * List + filter), listings are sorted by namespace then name, and read-only views are the
 * objects `get` copies.
 */
const KIND = 'serving.knative.dev/Revision';
const rev = (ns: string, name: string, cfg: string, owner: string | undefined): KObject =>
  ({
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Revision',
    metadata: {
      name,
      namespace: ns,
      labels: { 'serving.knative.dev/configuration': cfg },
      ...(owner ? { ownerReferences: [{ apiVersion: 'serving.knative.dev/v1', kind: 'Configuration', name: owner, controller: true }] } : {}),
    },
    spec: {},
  }) as KObject;

const op = fc.oneof(
  fc.record({ kind: fc.constant('put' as const), ns: fc.constantFrom('a', 'b'), name: fc.constantFrom('r1', 'r2', 'r3', 'x', 'y'), cfg: fc.constantFrom('c1', 'c2'), owner: fc.option(fc.constantFrom('c1', 'c2'), { nil: undefined }) }),
  fc.record({ kind: fc.constant('delete' as const), ns: fc.constantFrom('a', 'b'), name: fc.constantFrom('r1', 'r2', 'r3', 'x', 'y') }),
);

const names = (os: ReadonlyArray<Readonly<KObject>>) => os.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);

describe('ObjectStore indexes', () => {
  it('byIndex equals filtering the listing, listings stay sorted, after any sequence of changes', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), fc.boolean(), (ops, indexFirst) => {
        const store = new ObjectStore();
        const byCfg = (o: Readonly<KObject>) => [o.metadata.labels?.['serving.knative.dev/configuration'] ?? ''];
        if (indexFirst) store.addIndex(KIND, 'cfg', byCfg);
        for (const o of ops) {
          if (o.kind === 'put') store.put(rev(o.ns, o.name, o.cfg, o.owner));
          else store.delete(KIND, o.ns, o.name);
        }
        if (!indexFirst) store.addIndex(KIND, 'cfg', byCfg);
        const all = store.list(KIND);
        const sorted = [...names(all)].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
        expect(names(all)).toEqual(sorted);
        expect(names(store.view(KIND))).toEqual(sorted);
        for (const ns of ['a', 'b']) {
          expect(names(store.view(KIND, ns))).toEqual(sorted.filter((k) => k.startsWith(`${ns}/`)));
          for (const c of ['c1', 'c2']) {
            expect(names(store.byIndex(KIND, 'cfg', ns, c))).toEqual(names(all.filter((o) => o.metadata.namespace === ns && o.metadata.labels?.['serving.knative.dev/configuration'] === c)));
            expect(names(store.byIndex(KIND, OWNER_INDEX, ns, `Configuration/${c}`))).toEqual(
              names(all.filter((o) => o.metadata.namespace === ns && (o.metadata.ownerReferences ?? []).some((r) => r.name === c))),
            );
          }
        }
      }),
    );
  });

  it('hands out copies from get and list, and stored objects (unchanged by writes after) from views', () => {
    const store = new ObjectStore();
    store.put(rev('a', 'r1', 'c1', undefined));
    const view = store.peek(KIND, 'a', 'r1')!;
    const copy = store.get(KIND, 'a', 'r1')!;
    copy.metadata.labels!['serving.knative.dev/configuration'] = 'changed';
    expect(view.metadata.labels!['serving.knative.dev/configuration']).toBe('c1');
    store.put(copy);
    // The earlier view is a snapshot: the write replaced the stored object instead of modifying it.
    expect(view.metadata.labels!['serving.knative.dev/configuration']).toBe('c1');
    expect(store.peek(KIND, 'a', 'r1')!.metadata.labels!['serving.knative.dev/configuration']).toBe('changed');
    expect(store.stats.objectsCopied).toBe(3);
  });
});
