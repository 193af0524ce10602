import { describe, expect, it } from 'vitest';
import { renderReport } from '../src/index.js';
import { fixture } from './fixture.js';

describe('renderReport', () => {
  it('has every section, in order: header, story, loads, revisions, life of a request, checks, manifests', () => {
    const html = renderReport(fixture());
    const ids = [...html.matchAll(/<section id="([^"]+)">/g)].map((m) => m[1]);
    expect(ids).toEqual(['story', 'loads', 'revisions', 'requests', 'checks', 'manifests']);
    expect(html).toContain('<code>knsim run demo --seed 3</code>');
    for (const chart of ['latency-over-time-steady', 'latency-histogram-steady', 'pods-hello-00001', 'pods-by-phase-hello-00001', 'waterfall-cold']) expect(html).toContain(`data-chart="${chart}"`);
    expect(html).toContain('<td>✓</td>');
    expect(html).toContain('<td>✗</td>');
    expect(html).toMatch(/<details><summary>hello\.yaml \(at 0\.0 s\)<\/summary><pre>/);
  });

  it('is one self-contained file: no script, no external URL, no font or stylesheet to fetch', () => {
    const html = renderReport(fixture());
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(|src=/i);
    // The only http:// strings are the requests' own URLs, as text.
    for (const m of html.matchAll(/https?:\/\/[^\s<"]+/g)) expect(m[0]).toMatch(/^http:\/\/hello\.default/);
  });

  it('is byte-identical for the same input', () => {
    expect(renderReport(fixture())).toBe(renderReport(fixture()));
  });

  it('explains the cold request: buffered in the activator until its pod was ready, the route that picked the revision', () => {
    const html = renderReport(fixture());
    expect(html).toContain('buffered 496 ms (no healthy pods yet (waiting for scale-up); 1 queued)');
    expect(html).toContain('waited for pod hello-00001-deployment-abc-x1 to become ready (+400 ms)');
    expect(html).toContain('revision hello-00001 picked: route hello sends it 100% of the traffic');
    expect(html).toContain('matched virtual host hello.default.example.com:80 of VirtualService default/hello');
  });

  it('marks the cold start and shades panic on the revision chart', () => {
    const html = renderReport(fixture());
    const chart = /<figure class="chart" data-chart="pods-hello-00001">[\s\S]*?<\/figure>/.exec(html)![0];
    expect(chart).toContain('<title>cold start at 1.0 s: activator poke</title>');
    expect(chart).toMatch(/<rect class="band"[^>]*><title>panic: 1\.0 s → 1\.5 s<\/title>/);
    expect(chart).toMatch(/<rect class="strip"[^>]*><title>SKS Serve: gateway to pods directly \(1\.5 s\)<\/title>/);
  });

  it('renders a hostile name, description, URL, VirtualService, check and manifest as text', () => {
    const hostile = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>'];
    for (const h of hostile) {
      const html = renderReport(fixture({ name: h, text: h }));
      expect(html).not.toContain('<script');
      expect(html).not.toContain('<img');
      expect(html).toContain(h.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'));
    }
  });

  it('stays small for a long run: a series of a day of 2-second samples is downsampled', () => {
    const f = fixture({ loadRequests: 20_000 });
    const rev = f.summary.revisions['hello-00001']!;
    rev.timeline = Array.from({ length: 43_200 }, (_, i) => ({ tMs: i * 2000, desiredPods: (i * 7919) % 13, readyPods: (i * 104729) % 11, panic: i % 500 < 20, activatorInPath: i % 2 === 0 }));
    const html = renderReport({ ...f, run: { ...f.run, simulatedMs: 86_400_000 }, summary: { ...f.summary, simulatedMs: 86_400_000 } });
    expect(html.length).toBeLessThan(2_000_000);
    // The desired series still reaches its highest value after downsampling.
    expect(html).toContain('data-chart="pods-hello-00001"');
  });
});
