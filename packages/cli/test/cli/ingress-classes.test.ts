import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_DIR } from '@knsim/scenarios';
import { knsim } from '../helpers.js';

const seedFile = (file: string) => join(BUILTIN_DIR, 'higress-plugins', file);

// Issue 13: the seed's `kubectl patch configmap/config-network … ingress-class: higress` as
// `knsim curl --set`, Higress's plugins applied with -f, and Envoy's response flags in -v.
describe('knsim curl with an ingress class and Higress plugins', () => {
  it('--set config-network.ingress-class=higress: hello through higress-gateway, key-auth answering 401 without a key', () => {
    const base = ['curl', '--set', 'config-network.ingress-class=higress', '-f', seedFile('hello.yaml'), '-f', seedFile('key-auth.yaml'), '-v', '-H', 'Host: hello.default.example.com'];
    const ok = knsim([...base, 'http://gateway/?apikey=c8c8e9ca-558e-4a2d-bb62-e700dcc40e35']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('Hello World!\n');
    expect(ok.stderr).toMatch(/gateway\s+higress-gateway-\S+:80 /);
    expect(ok.stderr).toMatch(/wasm\s+key-auth higress-system\/key-auth: allow/);
    const denied = knsim([...base, 'http://gateway/']);
    expect(denied.code).toBe(0); // a 4xx is an answer, as with curl
    expect(denied.stdout).toBe('Request denied by Key Auth check. No Key Authentication information found.');
  });

  it('-v shows the gateway\'s response flags: a fault abort is [FI]', () => {
    const dir = mkdtempSync(join(tmpdir(), 'knsim-flags-'));
    const vs = join(dir, 'abort.yaml');
    writeFileSync(
      vs,
      `apiVersion: networking.istio.io/v1alpha3
kind: VirtualService
metadata: {name: abort, namespace: default}
spec:
  gateways: [knative-serving/knative-ingress-gateway]
  hosts: [shop.example.com]
  http:
  - fault: {abort: {httpStatus: 503, percentage: {value: 100}}}
    route:
    - destination: {host: istio-ingressgateway.istio-system.svc.cluster.local, port: {number: 80}}
`,
    );
    const r = knsim(['curl', '-v', '-f', seedFile('hello.yaml'), '-f', vs, '-H', 'Host: shop.example.com', 'http://gateway/']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('fault filter abort');
    expect(r.stderr).toMatch(/gateway\s+istio-ingressgateway-\S+:8080 \[FI\]/);
  });
});
