/** The report's stylesheet, inlined (no fonts to fetch: the system's). */
export const CSS = `
:root{color-scheme:light;--fg:#1b1b1b;--muted:#5a5a5a;--line:#d0d0d0}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:#fff}
main{max-width:1600px;margin:0 auto;padding:16px 24px}
nav{position:sticky;top:0;background:#fff;border-bottom:1px solid var(--line);padding:6px 0;z-index:1}
nav a{color:#0060a0;text-decoration:none}
h1{margin:8px 0 2px;font-size:24px}h2{border-bottom:2px solid var(--fg);padding-bottom:2px;margin-top:28px}h3{margin:18px 0 6px}
.description{color:var(--muted);margin:0 0 8px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px}dt{font-weight:600}dd{margin:0}
code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:#f6f6f6;padding:8px;overflow:auto;max-height:480px}
table{border-collapse:collapse;margin:6px 0}th,td{border:1px solid var(--line);padding:2px 8px;text-align:left;vertical-align:top}
caption{text-align:left;font-weight:600}
.tables{display:flex;gap:24px;flex-wrap:wrap}
.decisions td:last-child{font-size:12px}
.story .t{display:inline-block;min-width:70px;color:var(--muted);font-variant-numeric:tabular-nums}
.story ul{color:var(--muted);font-size:13px;margin:2px 0 6px}
figure.chart{margin:10px 0}figcaption{font-weight:600;margin-bottom:4px}
svg{max-width:100%;height:auto;overflow:visible}
svg text{font:11px system-ui,sans-serif;fill:var(--fg)}svg .axis-label{font-size:12px;font-weight:600}
svg .axis,svg .tickmark{stroke:#444}svg .grid{stroke:#eee}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12px;margin-top:2px}.legend .key{display:inline-flex;align-items:center;gap:4px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:0 24px}
.hops{font-size:13px;padding-left:20px}.hops .hop{border-left:6px solid;padding-left:4px;font-weight:600}
tr.ok td:first-child{color:#007a4d;font-weight:700}tr.bad td:first-child{color:#b3261e;font-weight:700}
details{margin:6px 0}summary{cursor:pointer}
`;
