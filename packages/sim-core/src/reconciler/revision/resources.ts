import type { Service } from '../../apis/core/v1.js';
import type { Revision } from '../../apis/serving/v1/types.js';
import { ServingLabels } from '../../apis/serving/v1/types.js';
import { QUEUE_SERVING_PORT } from '../../queue/queue-proxy.js';

/** queue-proxy's HTTPS port (networking.BackendHTTPSPort); the HTTP one is QUEUE_SERVING_PORT (BackendHTTPPort, 8012). */
export const QUEUE_SERVING_TLS_PORT = 8112;

/**
 * The two Kubernetes Services of a revision's ServerlessService (pkg/reconciler/serverlessservice
 * resources/services.go): the public one (`<revision>`, whose endpoints are the pods in Serve
 * mode or the activators in Proxy mode) and the private one (`<revision>-private`, always the
 * pods), both on port 80 → queue-proxy's 8012 and 443 → 8112.
 */
export function makeRevisionServices(rev: Revision): Service[] {
  const ns = rev.metadata.namespace ?? 'default';
  const owner = [{ apiVersion: 'serving.knative.dev/v1', kind: 'Revision', name: rev.metadata.name, controller: true }];
  return ([
    [rev.metadata.name, 'Public'],
    [`${rev.metadata.name}-private`, 'Private'],
  ] as const).map(([name, serviceType]) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, labels: { [ServingLabels.revision]: rev.metadata.name, 'networking.internal.knative.dev/serviceType': serviceType }, ownerReferences: owner },
    spec: {
      type: 'ClusterIP',
      ports: [
        { name: 'http', port: 80, targetPort: QUEUE_SERVING_PORT },
        { name: 'https', port: 443, targetPort: QUEUE_SERVING_TLS_PORT },
      ],
    },
  }));
}
