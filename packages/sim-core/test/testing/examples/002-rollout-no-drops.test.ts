// docs/testing.md, example 2: a rollout never drops a request.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { conservation, percents, servedByRoutable, service, smallCluster } from '@knsim/sim-core/testing';
import type { ClientResponse, Event } from '@knsim/sim-core';
import { runs } from '../runs.js';

it('a rollout from v1 through a canary to v2 answers every request, only from routable revisions', () => {
  fc.assert(
    fc.property(percents({ minLength: 2, maxLength: 2, zero: false }), fc.integer({ min: 20, max: 200 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), ([stable, canary], rps, seed) => {
      const steps = [
        service({ name: 'app', revisions: 2, traffic: [{ revisionName: 'app-v1', percent: stable! }, { revisionName: 'app-v2', percent: canary! }] }).at(-1)!,
        service({ name: 'app', revisions: 2, traffic: [{ revisionName: 'app-v2', percent: 100 }] }).at(-1)!,
      ];
      const { cluster, events } = smallCluster({ seed, manifests: service({ name: 'app' }) });
      // An open loop at `rps` for 20 s; the canary goes out at 5 s and v2 takes everything at 12 s.
      const sent: Array<Event<ClientResponse>> = [];
      const t0 = cluster.now;
      for (let i = 0; i < rps * 20; i++) {
        cluster.runUntil(t0 + (i * 1000) / rps);
        if (i === rps * 5) cluster.apply(steps[0]!);
        if (i === rps * 12) cluster.apply(steps[1]!);
        sent.push(cluster.send({ url: 'http://app.default.example.com/' }));
      }
      cluster.env.run({ until: cluster.env.allOf(sent) });
      expect(sent.map((e) => e.value.status).filter((s) => s !== 200)).toEqual([]);
      expect(conservation(events, { sent: sent.length }).requests).toBe(sent.length);
      servedByRoutable(events);
    }),
    { numRuns: runs(4) },
  );
});
