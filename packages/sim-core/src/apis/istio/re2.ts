import { RE2JS, RE2JSSyntaxException } from 're2js';

/**
 * RE2 patterns, what Istio's `regex` fields and Envoy's `safe_regex` take, evaluated by re2js
 * (a JavaScript port of RE2/J): linear-time automata, never backtracking, so a hostile pattern
 * such as `(a+)+$` against a long URI or header costs time proportional to the input, as in
 * Envoy. The parser is RE2's own, so what RE2 rejects (look-around, back-references, nested
 * repetition, unbalanced groups and classes, repeat counts over 1000) is rejected with Go's
 * `regexp` error text (`error parsing regexp: <code>: \`<expr>\``), which Istio's validation
 * prints (istio/istio pkg/config/validation validateStringMatchRegexp calls regexp.Compile).
 */
export type Re2Result = { ok: true; regex: Re2Regex } | { ok: false; error: string };

/** A compiled RE2 pattern. */
export interface Re2Regex {
  /** Envoy's safe_regex match: the pattern must match the *whole* value (RE2::FullMatch). */
  fullMatch(value: string): boolean;
  /** RE2::GlobalReplace with Envoy's `\N` substitutions (regex_rewrite). */
  replaceAll(value: string, substitution: string): string;
}

const cache = new Map<string, Re2Result>();

/** Compiles an RE2 pattern, or Go's error text. */
export function compileRe2(pattern: string): Re2Result {
  const hit = cache.get(pattern);
  if (hit !== undefined) return hit;
  let result: Re2Result;
  try {
    const re = RE2JS.compile(pattern);
    result = {
      ok: true,
      regex: {
        fullMatch: (value) => re.matches(value),
        replaceAll: (value, substitution) => re.matcher(value).replaceAll(toRe2jsReplacement(substitution)),
      },
    };
  } catch (e) {
    if (!(e instanceof RE2JSSyntaxException)) throw e;
    result = { ok: false, error: e.message };
  }
  if (cache.size >= 4096) cache.clear();
  cache.set(pattern, result);
  return result;
}

/** Whether `value` matches the whole RE2 pattern; an invalid pattern matches nothing (Envoy NACKs it). */
export function re2FullMatch(pattern: string, value: string): boolean {
  const r = compileRe2(pattern);
  return r.ok && r.regex.fullMatch(value);
}

// Envoy's rewrite substitution names groups `\1`..`\9`; re2js's replaceAll takes JavaScript's
// replacement syntax (`$1`, and `$$` for a literal dollar).
function toRe2jsReplacement(sub: string): string {
  let out = '';
  for (let i = 0; i < sub.length; i++) {
    const c = sub[i]!;
    const next = sub[i + 1];
    if (c === '\\' && next !== undefined && next >= '0' && next <= '9') {
      out += `$${next}`;
      i++;
    } else if (c === '$') out += '$$';
    else out += c;
  }
  return out;
}
