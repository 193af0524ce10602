const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or an attribute value as HTML shows it, never as markup: every user string goes through this. */
export function esc(s: string | number | boolean | null | undefined): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** A number as charts print it: at most `digits` decimals, no trailing zeros, no -0. */
export function num(x: number, digits = 1): string {
  const r = Number(x.toFixed(digits));
  return String(Object.is(r, -0) ? 0 : r);
}
