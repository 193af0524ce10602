import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { APPLY_FIRST, HttpHeaders, ReverseProxyEdit, REVISION_HEADERS, type DeferredHeaderEdit } from '../../src/net/http.js';

/**
 * Issue 14: the headers a proxy adds are written only when something reads them
 * (HttpHeaders.defer, cloneDeferring). The law: whatever is read, in whatever order, the
 * answers are those of applying the edits at once — deferring changes cost, never content.
 */

const NAMES = ['Host', 'X-Forwarded-For', 'x-request-id', 'Knative-Serving-Revision', 'knative-serving-namespace', 'K-Proxy-Request', 'Accept', 'user-agent', 'X-Custom'];
const name = fc.constantFrom(...NAMES);
const value = fc.stringMatching(/^[a-z0-9 .,]{0,6}$/);
const headerList = fc.array(fc.tuple(name, value), { maxLength: 8 });

/** A reverse proxy's edit (the activator's) or a set/add/remove edit like Envoy's. */
const edit: fc.Arbitrary<() => DeferredHeaderEdit> = fc.oneof(
  fc.tuple(fc.option(fc.constantFrom('10.0.0.1', '10.0.0.2'), { nil: undefined }), fc.boolean()).map(([peer, withDrop]) => () =>
    new ReverseProxyEdit(['K-Proxy-Request', 'k-proxy-request', 'activator'], withDrop ? REVISION_HEADERS : [], peer),
  ),
  // Envoy-like operations: a lookup through `set` or `remove` answers at once, through `add` applies it.
  fc.tuple(name, value, fc.constantFrom('set', 'add', 'remove')).map(([n, v, op]) => (): DeferredHeaderEdit => ({
    peek: (lower) => (lower !== n.toLowerCase() ? undefined : op === 'set' ? v : op === 'remove' ? null : APPLY_FIRST),
    apply: (h) => (op === 'set' ? h.set(n, v) : op === 'add' ? h.add(n, v) : h.remove(n)),
  })),
);

describe('deferred header edits', () => {
  it('answer every lookup, copy and listing as if applied at once', () => {
    fc.assert(
      fc.property(headerList, fc.array(fc.tuple(edit, fc.boolean()), { minLength: 1, maxLength: 3 }), fc.array(name, { maxLength: 5 }), (init, edits, reads) => {
        let eager = new HttpHeaders(init);
        let lazy = new HttpHeaders(init);
        for (const [make, asCopy] of edits) {
          if (asCopy) {
            eager = eager.clone();
            make().apply(eager);
            lazy = lazy.cloneDeferring(make());
          } else {
            make().apply(eager);
            lazy.defer(make());
          }
        }
        // Lookups first (they may answer through the edits), then the whole list.
        for (const r of reads) expect(lazy.get(r)).toBe(eager.get(r));
        expect(lazy.entries()).toEqual(eager.entries());
        expect(lazy.toRecord()).toEqual(eager.toRecord());
      }),
    );
  });

  it('leave the source alone: a deferred copy applies its edits to itself', () => {
    const src = new HttpHeaders({ 'Knative-Serving-Revision': 'r', 'X-Forwarded-For': '1.2.3.4' });
    const copy = src.cloneDeferring(new ReverseProxyEdit(['K-Proxy-Request', 'k-proxy-request', 'activator'], REVISION_HEADERS, '10.0.0.9'));
    expect(copy.get('k-proxy-request')).toBe('activator');
    expect(copy.get('knative-serving-revision')).toBeUndefined();
    expect(copy.get('x-forwarded-for')).toBe('1.2.3.4, 10.0.0.9');
    expect(src.entries()).toEqual([['Knative-Serving-Revision', 'r'], ['X-Forwarded-For', '1.2.3.4']]);
  });
});
