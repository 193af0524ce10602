import type { KObject, Service as K8sService } from '../../apis/core/v1.js';
import type { WasmPlugin } from '../../apis/higress/v1alpha1.js';
import type { Gateway, VirtualService } from '../../apis/istio/v1alpha3.js';
import type { Ingress } from '../../apis/networking/v1alpha1.js';
import type { LoadBalancerIngressStatus } from '../../apis/networking/v1alpha1.js';
import { deepEqual } from '../../apis/deep-copy.js';
import type { ClassGatewaySpec } from '../../net/ingress-classes.js';
import { makeVirtualServices } from '../../net/netistio/virtual-services.js';

/**
 * What a non-Istio ingress class's controller pushes to its gateway (Kourier's and Higress's
 * KIngress controllers, net/ingress-classes.ts): the KIngresses of that class translated as
 * net-istio does (Higress's ConvertHTTPRoute copies it; Kourier's routes carry the same splits
 * and headers), kept in memory — no VirtualService objects — bound to the class's own
 * Gateways. Higress also serves the Istio Gateways and VirtualServices that select its pods
 * (`enableIstioAPI`, seed 004's second solution), and runs the WasmPlugins.
 */
export function classGatewayConfig(
  spec: ClassGatewaySpec,
  ingresses: readonly Ingress[],
  clusterDomain: string,
  istio: { gateways: readonly Gateway[]; virtualServices: readonly VirtualService[]; plugins: readonly WasmPlugin[] },
): { gateways: KObject[]; virtualServices: KObject[]; plugins: WasmPlugin[] } {
  const vss: VirtualService[] = [];
  for (const ing of ingresses) vss.push(...makeVirtualServices(ing, { publicGateways: [...spec.publicGateways], localGateways: [...spec.localGateways] }, clusterDomain).filter((v) => !v.metadata.name.endsWith('-mesh')));
  const gateways = spec.gateways() as KObject[];
  if (!spec.servesIstioApi) return { gateways, virtualServices: vss as KObject[], plugins: [] };
  return { gateways: [...gateways, ...(istio.gateways as unknown as KObject[])], virtualServices: [...(vss as KObject[]), ...(istio.virtualServices as unknown as KObject[])], plugins: [...istio.plugins] };
}

/** The KIngress's load balancers under a class: its public and private Services' hostnames. */
export function markClassLoadBalancers(ing: Ingress, spec: ClassGatewaySpec, clusterDomain: string): boolean {
  const st = (ing.status ??= {});
  const lb = (svc: string): { ingress: LoadBalancerIngressStatus[] } => ({ ingress: [{ domainInternal: `${svc}.svc.${clusterDomain}` }] });
  const pub = lb(spec.publicService);
  const priv = lb(spec.privateService);
  const changed = !deepEqual(st.publicLoadBalancer, pub) || !deepEqual(st.privateLoadBalancer, priv);
  st.publicLoadBalancer = pub;
  st.privateLoadBalancer = priv;
  return changed;
}

/** Services a class gateway's port translation sees: its own and any in its namespace. */
export const servicesIn = (services: readonly K8sService[], namespace: string) => services.filter((s) => s.metadata.namespace === namespace);
