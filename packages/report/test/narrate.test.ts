import { describe, expect, it } from 'vitest';
import { makeCurlOutput, narrateCurl } from '../src/index.js';
import { fixture } from './fixture.js';

describe('narrateCurl (curl -v)', () => {
  it('prints each hop at its time relative to the request with one line of why, then the response headers', () => {
    const f = fixture({ loadRequests: 0 });
    const end = f.trace.find((e) => e.type === 'request.end')!;
    if (end.type !== 'request.end') throw new Error('fixture');
    const out = makeCurlOutput([{ status: 200, body: 'hi', headers: { 'content-type': 'text/plain' }, latencyMs: 500, revision: end.revision, pod: end.pod, hops: end.hops }]);
    const lines = narrateCurl(out, f.trace).split('\n');
    expect(lines[0]).toBe('* request 1: GET http://hello.default.example.com/hello → HTTP 200 in 500 ms from hello-00001 (hello-00001-deployment-abc-x1)');
    expect(lines[1]).toMatch(/^\* +\+0\.000 ms {2}dns/);
    expect(lines[3]).toMatch(/^\* +\+1\.000 ms {2}gateway/);
    expect(lines[4]).toContain('why: hello.default.example.com/hello matched virtual host hello.default.example.com:80 of VirtualService default/hello: forward to hello-00001');
    expect(lines[6]).toContain('why: SKS Proxy mode put the activator in the path; buffered 496 ms (no healthy pods yet (waiting for scale-up); 1 queued); waited for pod');
    expect(lines.slice(-4)).toEqual(['< HTTP/1.1 200', '< content-type: text/plain', '<', '']);
  });
});
