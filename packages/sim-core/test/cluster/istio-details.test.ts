import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/index.js';
import { ROUTING_SAMPLE, ROUTING_VS } from '../apis/seed-manifests.js';

const viaGateway = (c: Cluster, host: string, path = '/') => c.request({ url: `http://gateway${path}`, headers: { Host: host } });

// pilot/pkg/networking/core/route/route.go GetDestinationCluster: a destination without `port`
// goes to its Service's only port, else to the listener's port (the Gateway server's, 80 here);
// Istio's validation does not require it (pkg/config/validation: the Service's ports are not
// known to it).
describe('a VirtualService destination without port (Istio GetDestinationCluster)', () => {
  it("seed 000's routing.yaml with the port blocks removed routes as before", () => {
    const c = new Cluster({ seed: 7 });
    c.apply(ROUTING_SAMPLE, { file: 'sample.yaml' });
    c.waitForReady();
    const noPorts = ROUTING_VS.replace(/\n\s*port:\n\s*number: 80/g, '');
    expect(noPorts).not.toContain('number: 80');
    c.apply(noPorts, { file: 'routing.yaml' });
    c.runFor(1000);
    // istio-ingressgateway has three ports (15021, 80, 443): the Gateway server's port 80 is taken.
    const r = viaGateway(c, 'example.com', '/search');
    expect(r.status).toBe(200);
    expect(r.body).toBe('Search Service is called !\n');
    expect(viaGateway(c, 'example.com', '/login').body).toBe('Login Service is called !\n');
  });
});
