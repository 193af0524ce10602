import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listBuiltins } from '@knsim/scenarios';
import type { SummaryJson } from '@knsim/report';
import { knsim } from '../helpers.js';
import { ISSUE_SWEEP } from '../sweep/fixtures.js';

/**
 * Each built-in scenario's report, opened from disk in a real browser (Debian's headless
 * Chromium; `.ci/run` installs it) with every network request blocked: no console errors,
 * every chart the run's data calls for is there with a non-empty path and labelled axes. It
 * screenshots each report; with UPDATE_TOUR=1 into docs/tour/ (the pictures of docs/tour.md),
 * else beside the report in a temporary folder, so a test run leaves the work tree alone.
 */
const CHROMIUM = '/usr/bin/chromium';
const DOCS = fileURLToPath(new URL('../../../../docs/tour/', import.meta.url));
/** The section of each scenario docs/tour.md shows, besides the top of the page. */
const FOCUS: Readonly<Record<string, string>> = {
  'life-of-a-request': '#requests',
  'scale-from-zero': '#revisions',
  'scale-to-zero': '#revisions',
  'gray-release': '#split',
  'routing-across-services': '#requests',
  'higress-plugins': '#requests',
};

const have = existsSync(CHROMIUM);
if (!have && process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium package`);

describe.skipIf(!have)('the report in a browser', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'knsim-browser-'));
  let context: BrowserContext;
  const fetched: string[] = [];
  beforeAll(async () => {
    // A fresh profile (playwright's way to pass --user-data-dir), offline, every non-file request aborted.
    context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 1000 },
      offline: true,
    });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      fetched.push(url);
      return route.abort();
    });
    if (process.env.UPDATE_TOUR) mkdirSync(DOCS, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  for (const b of listBuiltins()) {
    it(`${b.name}: opens from disk with no network, no console errors, every chart drawn with labelled axes`, async () => {
      const dir = join(tmp, b.name);
      expect(knsim(['run', b.name, '--out', dir, '--quiet']).code).toBe(0);
      const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as SummaryJson;
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(join(dir, 'report.html')).href, { waitUntil: 'load' });
      expect(errors).toEqual([]);
      expect(fetched).toEqual([]);

      const charts = await page.$$eval('figure.chart', (figs) =>
        figs.map((f) => ({
          id: f.getAttribute('data-chart'),
          paths: [...f.querySelectorAll('path.series')].map((p) => p.getAttribute('d') ?? ''),
          axisLabels: [...f.querySelectorAll('.axis-label')].map((t) => t.textContent ?? ''),
          width: f.querySelector('svg')!.getBoundingClientRect().width,
        })),
      );
      const byId = new Map(charts.map((c) => [c.id, c]));
      const id = (...parts: string[]) => parts.join('-').replace(/[^A-Za-z0-9_-]/g, '_');
      const expected = [
        ...Object.keys(summary.loads).flatMap((l) => [id('latency-over-time', l), id('latency-histogram', l)]),
        ...Object.keys(summary.revisions).flatMap((r) => [id('pods', r), id('pods-by-phase', r)]),
        ...Object.keys(summary.requests).map((q) => id('waterfall', q)),
        ...(b.name === 'gray-release' ? ['traffic-split-split-50-50', 'traffic-split-split-40-30-30'] : []),
      ];
      for (const e of expected) {
        const c = byId.get(e);
        expect(c, `chart ${e}`).toBeDefined();
        expect(c!.paths.length, `paths of ${e}`).toBeGreaterThan(0);
        expect(c!.paths.some((d) => /^M[\d.-]+,[\d.-]+/.test(d)), `a drawn path in ${e}`).toBe(true);
        expect(c!.axisLabels.filter((t) => t.trim() !== '').length, `axis labels of ${e}`).toBeGreaterThan(0);
        expect(c!.width).toBeGreaterThan(200);
      }
      expect(await page.$$('script, img, iframe, link')).toHaveLength(0);

      const shots = process.env.UPDATE_TOUR ? DOCS : dir;
      await page.screenshot({ path: join(shots, `${b.name}.png`) });
      // The sticky table of contents would cover the top of a section's picture.
      await page.$eval('nav', (n) => n.setAttribute('style', 'position: static'));
      const focus = await page.$(FOCUS[b.name] ?? 'header');
      expect(focus, `section ${FOCUS[b.name]}`).not.toBeNull();
      await focus!.screenshot({ path: join(shots, `${b.name}-${(FOCUS[b.name] ?? 'header').slice(1)}.png`) });
      expect(existsSync(join(shots, `${b.name}.png`))).toBe(true);
      await page.close();
    }, 90_000);
  }

  it('a sweep report (issue 18): opens from disk with no network, no console errors, a chart per axis and key figure with drawn means and error bars', async () => {
    const dir = join(tmp, 'sweep');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'sweep.yaml'), ISSUE_SWEEP.replace('seeds: 1..3', 'seeds: 1..2'));
    expect(knsim(['sweep', 'sweep.yaml', '--out', 'out', '--quiet'], { cwd: dir }).code).toBe(0);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(join(dir, 'out', 'report.html')).href, { waitUntil: 'load' });
    expect(errors).toEqual([]);
    expect(fetched).toEqual([]);
    const charts = await page.$$eval('figure.chart', (figs) =>
      figs.map((f) => ({
        id: f.getAttribute('data-chart') ?? '',
        lines: [...f.querySelectorAll('path.series:not(.ci)')].map((p) => p.getAttribute('d') ?? ''),
        bars: [...f.querySelectorAll('path.series.ci')].map((p) => p.getAttribute('d') ?? ''),
        axisLabels: [...f.querySelectorAll('.axis-label')].map((t) => t.textContent ?? ''),
        width: f.querySelector('svg')!.getBoundingClientRect().width,
      })),
    );
    // 2 axes × (3 request latencies, cold starts, max ready pods).
    expect(charts).toHaveLength(10);
    for (const c of charts) {
      expect(c.lines.length, c.id).toBe(2);
      expect(c.lines.every((d) => /^M[\d.-]+,[\d.-]+/.test(d)), c.id).toBe(true);
      expect(c.bars.length, c.id).toBe(2);
      expect(c.axisLabels.filter((t) => t.trim() !== ''), c.id).toHaveLength(2);
      expect(c.width).toBeGreaterThan(200);
    }
    expect(await page.$$eval('#combinations tbody tr', (rows) => rows.length)).toBe(4);
    expect(await page.$$('script, img, iframe, link')).toHaveLength(0);
    await page.screenshot({ path: join(dir, 'sweep.png') });
    await page.close();
  }, 90_000);
});
