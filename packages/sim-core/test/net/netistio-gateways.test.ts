import { describe, expect, it } from 'vitest';
import { labelSelectorAsSelector } from '../../src/apis/core/label-selector.js';
import { parseIstio } from '../../src/apis/config/istio.js';
import { gatewaysForIngress, loadBalancerStatus } from '../../src/net/netistio/gateways.js';

describe('LabelSelectorAsSelector (k8s.io/apimachinery meta/v1 helpers.go, labels/selector.go)', () => {
  it('matchLabels and every expression must hold; an empty selector matches everything', () => {
    const m = labelSelectorAsSelector({ matchLabels: { app: 'a' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['x', 'y'] }, { key: 'debug', operator: 'DoesNotExist' }] });
    expect(m({ app: 'a', tier: 'y' })).toBe(true);
    expect(m({ app: 'a', tier: 'z' })).toBe(false);
    expect(m({ app: 'a', tier: 'x', debug: '' })).toBe(false);
    expect(labelSelectorAsSelector({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['x'] }] })({})).toBe(true);
    expect(labelSelectorAsSelector({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] })({ tier: '' })).toBe(true);
    expect(labelSelectorAsSelector({})({ anything: 'at all' })).toBe(true);
  });
  it("rejects what NewRequirement rejects, with apimachinery's messages", () => {
    expect(() => labelSelectorAsSelector({ matchExpressions: [{ key: 'k', operator: 'In' }] })).toThrow("for 'in', 'notin' operators, values set can't be empty");
    expect(() => labelSelectorAsSelector({ matchExpressions: [{ key: 'k', operator: 'Exists', values: ['v'] }] })).toThrow('values set must be empty for exists and does not exist');
    expect(() => labelSelectorAsSelector({ matchExpressions: [{ key: 'k', operator: 'Near' }] })).toThrow('"Near" is not a valid label selector operator');
  });
});

describe('GatewaysFromContext and the load balancer status (net-istio resources/gateway.go, ingress.go getLBStatus)', () => {
  const cfg = parseIstio({
    'external-gateways': `
- {name: knative-ingress-gateway, namespace: knative-serving, service: istio-ingressgateway.istio-system.svc.cluster.local}
- {name: team-a, namespace: knative-serving, service: a.istio-system.svc.cluster.local, labelSelector: {matchLabels: {team: a}}}
`,
  });
  it('a KIngress gets the gateways whose selector matches its labels, else the one without a selector', () => {
    expect(gatewaysForIngress(cfg, { team: 'a' }).ExternalIP.map((g) => g.name)).toEqual(['team-a']);
    expect(gatewaysForIngress(cfg, { team: 'b' }).ExternalIP.map((g) => g.name)).toEqual(['knative-ingress-gateway']);
    expect(gatewaysForIngress(cfg, undefined).ClusterLocal.map((g) => g.serviceURL)).toEqual(['knative-local-gateway.istio-system.svc.cluster.local']);
  });
  it("the first gateway's Service is the load balancer; none means mesh only", () => {
    expect(loadBalancerStatus(gatewaysForIngress(cfg, { team: 'a' }).ExternalIP)).toEqual([{ domainInternal: 'a.istio-system.svc.cluster.local' }]);
    expect(loadBalancerStatus([])).toEqual([{ meshOnly: true }]);
  });
  it('config-istio rejects a malformed gateway selector (Gateway.Validate)', () => {
    expect(() =>
      parseIstio({
        'external-gateways': '- {name: d, namespace: ns, service: d.ns.svc.cluster.local}\n- {name: g, namespace: ns, service: g.ns.svc.cluster.local, labelSelector: {matchExpressions: [{key: k, operator: In}]}}',
      }),
    ).toThrow("invalid configuration: invalid gateway ns/g: failed to create selector from label selector: for 'in', 'notin' operators, values set can't be empty");
  });
});
