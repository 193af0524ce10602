import type { Cluster } from '../../cluster/cluster.js';
import type { KObject } from '../../apis/core/v1.js';
import { NotReadyError } from '../../apis/errors.js';

interface Conditioned {
  metadata: { generation?: number };
  status?: { observedGeneration?: number; conditions?: Array<{ type: string; status: string; message?: string }> };
}

/**
 * Waits as `kubectl wait --for=condition=Ready` on what an apply created: `waitForReady` covers
 * Knative Services and the control plane; a Configuration or Route (which it does not cover) is
 * polled until Ready for its current generation.
 */
export function settle(cluster: Cluster, applied: ReadonlyArray<{ kind: string; name: string; namespace: string }>, timeoutMs = 600_000): void {
  cluster.waitForReady({ timeoutMs });
  const deadline = cluster.now + timeoutMs;
  const polled = applied.filter((a) => a.kind === 'Configuration' || a.kind === 'Route');
  for (const a of polled) {
    for (;;) {
      const got = cluster.get<KObject & Conditioned>({ kind: a.kind, name: a.name, namespace: a.namespace });
      const ready = got?.status?.conditions?.find((c) => c.type === 'Ready');
      if (got && ready?.status === 'True' && got.status?.observedGeneration === got.metadata.generation) break;
      if (cluster.now >= deadline) throw new NotReadyError(`${a.kind} ${a.namespace}/${a.name} is not Ready: ${ready?.message ?? 'no Ready condition yet'}`, a.name);
      cluster.runFor(50);
    }
  }
  if (polled.length > 0) cluster.waitForReady({ timeoutMs });
}
