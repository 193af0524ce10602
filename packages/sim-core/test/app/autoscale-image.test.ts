import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/index.js';
import { AUTOSCALE_GO_SERVICE, URL_BASE } from '../calibration/hey-load.js';
import { goDuration, primeCpuMs } from '../../src/app/autoscale-image.js';

// knative/docs code-samples/serving/autoscale-go/autoscale.go and knative/serving test/test_images/autoscale/autoscale.go.
describe('the autoscale-go and autoscale images answer as their Go source', () => {
  const curl = (path: string, image = 'ghcr.io/knative/autoscale-go:latest') => {
    const c = new Cluster({ seed: 4 });
    c.apply(AUTOSCALE_GO_SERVICE.replace('ghcr.io/knative/autoscale-go:latest', image));
    c.waitForReady();
    return c.request({ url: `${URL_BASE}${path}` });
  };

  it("the README's curl: the three lines, the sleep's 100 ms in the latency", () => {
    const r = curl('/?sleep=100&prime=10000&bloat=5');
    expect(r.status).toBe(200);
    expect(r.body).toBe('Allocated 5 Mb of memory.\nThe largest prime less than 10000 is 9973.\nSlept for 100.00 milliseconds.\n');
    expect(r.latencyMs).toBeGreaterThan(100);
  });

  it("a parameter that is not a number is a 400 with strconv's message; the test image takes a Go duration for sleep", () => {
    const bad = curl('/?prime=x');
    expect(bad.status).toBe(400);
    expect(bad.body).toBe('strconv.Atoi: parsing "x": invalid syntax\n');
    const d = curl('/?sleep=1.5s', 'gcr.io/knative-tests/autoscale');
    expect(d.status).toBe(200);
    expect(d.body).toBe('Slept for 1.5s.\n');
    expect(d.latencyMs).toBeGreaterThan(1500);
    expect(curl('/?sleep=-1', 'registry.local/autoscale:latest').body).toBe('Negative query params are not supported\n');
  });

  it("prime costs CPU linear in N from the docs' ~1 CPU-second at 40,000,000", () => {
    expect(primeCpuMs(40_000_000)).toBeGreaterThan(1000);
    expect(primeCpuMs(40_000_000)).toBeLessThan(1300);
    expect(goDuration(100)).toBe('100ms');
    expect(goDuration(61_500)).toBe('1m1.5s');
  });
});
