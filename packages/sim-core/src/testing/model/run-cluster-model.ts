import fc from 'fast-check';
import type { ClusterOptions } from '../../cluster/cluster.js';
import type { UserHandler } from '../../app/behavior.js';
import { manifestOf, verify } from '../_internals/commands.js';
import { smallCluster } from '../builders/small-cluster.js';
import { toYaml } from '../builders/to-yaml.js';
import type { ClusterModel, ClusterUnderTest } from './model.js';

export interface ClusterModelOptions extends ClusterOptions {
  /** The Service's name (default `app`); its revisions are `<name>-v1`, `<name>-v2`, … */
  service?: string;
  /** Images' behaviour (`Cluster.registerApp`); the Service's image is `example.com/<name>:v<n>`. */
  apps?: Readonly<Record<string, UserHandler>>;
  /** Most revisions alive at once (default 4). */
  maxRevisions?: number;
  /** Quiet time after which nothing-reaches revisions must be at zero (default 3 minutes: the 60 s stable window, the 30 s grace, slack). */
  zeroAfterMs?: number;
}

/**
 * Runs one command sequence from `clusterCommands()` against a fresh cluster (a Service with one
 * revision, 100% to the latest) and its model. A failure's message ends with the Service as
 * last applied, as YAML, so the shrunk counterexample can be replayed with kubectl.
 *
 * ```ts
 * fc.assert(fc.property(clusterCommands(), fc.integer(), (cmds, seed) => runClusterModel(cmds, { seed })), { numRuns: 10 });
 * ```
 */
export function runClusterModel(cmds: Iterable<fc.Command<ClusterModel, ClusterUnderTest>>, o: ClusterModelOptions = {}): void {
  const { service = 'app', apps, maxRevisions = 4, zeroAfterMs = 180_000, ...options } = o;
  let real: ClusterUnderTest | undefined;
  const setup = () => {
    const model: ClusterModel = { service, revisions: [{ name: `${service}-v1`, minScale: 0 }], traffic: [{ revision: null, percent: 100 }], next: 2, lastChangeMs: 0, zeroAfterMs, maxRevisions };
    const first = manifestOf(model);
    const t = smallCluster({ ...options, ...(apps ? { apps } : {}), manifests: [first] });
    real = { cluster: t.cluster, events: t.events, lastApplied: toYaml(first) };
    model.lastChangeMs = t.cluster.now;
    verify(model, real);
    return { model, real };
  };
  try {
    fc.modelRun(setup, cmds);
  } catch (e) {
    if (e instanceof Error && real !== undefined) {
      e.message += `\nat t=${real.cluster.now} ms; the Service as last applied (kubectl apply -f):\n${real.lastApplied}`;
    }
    throw e;
  }
}
