import { UserError } from '../errors.js';

/**
 * The part of kubectl's JSONPath templates the Knative docs use: text with `{.field.path}`
 * expressions, where a step is `.name`, `['name']`, `[N]` or `[*]`
 * (`{.status.loadBalancer.ingress[*]['ip']}`, `{.status.url}`). Several results print
 * separated by spaces, as kubectl does.
 */
export function jsonPath(template: string, doc: unknown): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, open);
    const close = template.indexOf('}', open);
    if (close < 0) throw new UserError(`-o jsonpath: unclosed action in ${JSON.stringify(template)}`);
    out += evaluate(template.slice(open + 1, close).trim(), doc)
      .map((v) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)))
      .join(' ');
    i = close + 1;
  }
  return out;
}

function evaluate(expr: string, doc: unknown): unknown[] {
  if (expr === '' || expr === '.' || expr === '@') return [doc];
  let values: unknown[] = [doc];
  const step = /^(?:\.((?:\\\.|[A-Za-z0-9_\-/])+)|\[\s*'([^']*)'\s*\]|\[\s*"([^"]*)"\s*\]|\[\s*(\d+)\s*\]|\[\s*\*\s*\])/;
  let rest = expr.startsWith('.') || expr.startsWith('[') ? expr : `.${expr}`;
  while (rest.length > 0) {
    const m = step.exec(rest);
    if (m === null) throw new UserError(`-o jsonpath: cannot parse ${JSON.stringify(rest)} in {${expr}}`);
    rest = rest.slice(m[0].length);
    const key = m[1]?.replace(/\\\./g, '.') ?? m[2] ?? m[3];
    const next: unknown[] = [];
    for (const v of values) {
      if (v === null || typeof v !== 'object') continue;
      if (key !== undefined) {
        if (key in (v as object)) next.push((v as Record<string, unknown>)[key]);
      } else if (m[4] !== undefined) {
        if (Array.isArray(v) && Number(m[4]) < v.length) next.push(v[Number(m[4])]);
      } else next.push(...(Array.isArray(v) ? v : Object.values(v)));
    }
    values = next;
  }
  return values;
}
