import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/index.js';
import { HELLO_KSVC, entryRoute } from '../apis/seed-manifests.js';

function cluster(vs: string): Cluster {
  const c = new Cluster({ seed: 11 });
  c.apply(HELLO_KSVC, { file: 'hello.yaml' });
  c.waitForReady();
  c.apply(vs, { file: 'entry.yaml' });
  c.runFor(1000);
  return c;
}

describe('route policies at the ingress gateway', () => {
  it('applies the route\'s response header operations to the upstream\'s response', () => {
    const c = cluster(
      entryRoute(`headers:
      response:
        set:
          x-served-by: entry
        remove:
        - content-type`),
    );
    const r = c.request({ url: 'http://gateway/', headers: { Host: 'shop.example.com' } });
    expect(r.status).toBe(200);
    expect(r.body).toBe('Hello World!\n');
    expect(r.headers['x-served-by']).toBe('entry');
    expect(r.headers['content-type']).toBeUndefined();
    // Straight to the Knative host, no entry route: the app's own headers.
    const direct = c.request({ url: 'http://gateway/', headers: { Host: 'hello.default.example.com' } });
    expect(direct.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(direct.headers['x-served-by']).toBeUndefined();
  });

  it('answers 504 "upstream request timeout" with the route\'s response headers when its timeout passes', () => {
    const c = cluster(
      entryRoute(`timeout: 1ms
    headers:
      response:
        set:
          x-served-by: entry`),
    );
    const r = c.request({ url: 'http://gateway/', headers: { Host: 'shop.example.com' } });
    expect(r.status).toBe(504);
    expect(r.body).toBe('upstream request timeout');
    expect(r.headers['x-served-by']).toBe('entry');
  });
});
