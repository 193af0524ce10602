import { esc } from './escape.js';
import { CSS } from './style.js';

/** A chart's id from its parts (a load's or revision's name), safe in an attribute and a fragment. */
export const chartId = (...parts: string[]) => parts.join('-').replace(/[^A-Za-z0-9_-]/g, '_');

/**
 * The self-contained page every report is: inline CSS, a policy that forbids fetching anything
 * (no script, no font, no stylesheet), a table of contents from the sections' headings, and the
 * sections (`<section id="…"><h2>…</h2>`) in the order given, empty ones left out.
 */
export function page(title: string, sections: readonly string[]): string {
  const shown = sections.filter((s) => s !== '');
  const toc = shown
    .map((s) => /<section id="([^"]+)"><h2>([^<]+)<\/h2>/.exec(s))
    .filter((m) => m !== null)
    .map((m) => `<a href="#${m![1]}">${m![2]}</a>`)
    .join(' · ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body><main>
<nav>${toc}</nav>
${shown.join('\n')}
</main></body></html>
`;
}
