/** Rows aligned as Go's tabwriter aligns them (every column but the last padded to its widest cell plus `padding`). */
export function table(rows: readonly (readonly string[])[], padding: number, indent = ''): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => indent + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + padding))).join('').trimEnd()).join('\n') + (rows.length > 0 ? '\n' : '');
}
