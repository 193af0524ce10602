/**
 * RE2 patterns (what Istio's `regex` fields and Envoy's `safe_regex` take) as JavaScript
 * regexps anchored `^(?:...)$`, because Envoy's RE2 matcher must match the *whole* value.
 *
 * The translation rejects what RE2 rejects, with Go's `regexp` error text
 * (`error parsing regexp: <code>: \`<expr>\``), so validation can print Istio's message:
 * look-around, back-references, possessive/nested quantifiers, unbalanced groups and classes,
 * a quantifier with nothing to repeat, repeat counts over 1000. RE2 syntax JavaScript has no
 * equivalent for (a flag group anywhere but the start, `\C`, `(?U)`) is reported as
 * unsupported by the simulator rather than silently mistranslated.
 */
export type Re2Result = { ok: true; regex: RegExp; source: string; flags: string } | { ok: false; error: string };

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const goErr = (code: string, expr: string) => `error parsing regexp: ${code}: \`${expr}\``;

class Re2SyntaxError extends Error {}

const escapeLiteral = (s: string) => s.replace(/[\\^$.*+?()[\]{}|/-]/g, (c) => `\\${c}`);

const cache = new Map<string, Re2Result>();

/** Compiles an RE2 pattern to an anchored JavaScript RegExp, or Go's error text. */
export function compileRe2(pattern: string): Re2Result {
  const hit = cache.get(pattern);
  if (hit !== undefined) return hit;
  let result: Re2Result;
  try {
    const { source, flags } = translate(pattern);
    try {
      const regex = new RegExp(`^(?:${source})$`, flags);
      result = { ok: true, regex, source, flags };
    } catch (e) {
      result = { ok: false, error: `unsupported by the simulator's RE2 translation: ${(e as Error).message}` };
    }
  } catch (e) {
    if (!(e instanceof Re2SyntaxError)) throw e;
    result = { ok: false, error: e.message };
  }
  cache.set(pattern, result);
  return result;
}

/** Whether `value` matches the whole RE2 pattern; an invalid pattern matches nothing (Envoy NACKs it). */
export function re2FullMatch(pattern: string, value: string): boolean {
  const r = compileRe2(pattern);
  return r.ok && r.regex.test(value);
}

function translate(pattern: string): { source: string; flags: string } {
  let p = pattern;
  const flags = new Set<string>();
  // Leading flag groups, e.g. (?i) or (?is): the form Istio documents for case-insensitivity.
  for (;;) {
    const m = /^\(\?([imsU]+)\)/.exec(p);
    if (m === null) break;
    for (const f of m[1]!) {
      if (f === 'U') throw new Re2SyntaxError(`unsupported by the simulator's RE2 translation: (?U)`);
      flags.add(f);
    }
    p = p.slice(m[0].length);
  }
  let out = '';
  let depth = 0;
  let needsUnicode = false;
  // What the previous token was, to catch quantifiers with nothing to repeat and nested ones.
  let prev: 'start' | 'atom' | 'quant' | 'lazyquant' = 'start';
  let i = 0;
  const n = p.length;
  while (i < n) {
    const c = p[i]!;
    if (c === '\\') {
      const { js, len, unicode } = translateEscape(p, i, false);
      needsUnicode ||= unicode;
      out += js;
      i += len;
      prev = 'atom';
      continue;
    }
    if (c === '[') {
      const { js, len, unicode } = translateClass(p, i);
      needsUnicode ||= unicode;
      out += js;
      i += len;
      prev = 'atom';
      continue;
    }
    if (c === '(') {
      if (p[i + 1] === '?') {
        const rest = p.slice(i);
        let m: RegExpExecArray | null;
        if (rest.startsWith('(?:')) {
          out += '(?:';
          i += 3;
        } else if ((m = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest)) !== null) {
          out += `(?<${m[1]}>`;
          i += m[0].length;
        } else if (/^\(\?[imsU-]+[:)]/.test(rest)) {
          throw new Re2SyntaxError(`unsupported by the simulator's RE2 translation: flag group ${/^\(\?[imsU-]+[:)]/.exec(rest)![0]} after the start of the pattern`);
        } else {
          // (?=, (?!, (?<=, (?<!, (?>, (?# ... : Go reports the offending prefix.
          const bad = /^\(\?<?[=!]?/.exec(rest)![0];
          throw new Re2SyntaxError(goErr('invalid or unsupported Perl syntax', bad.length < 3 ? rest.slice(0, 3) : bad));
        }
      } else {
        out += '(';
        i += 1;
      }
      depth++;
      prev = 'start';
      continue;
    }
    if (c === ')') {
      if (depth === 0) throw new Re2SyntaxError(goErr('unexpected )', pattern));
      depth--;
      out += ')';
      i += 1;
      prev = 'atom';
      continue;
    }
    if (c === '|') {
      out += '|';
      i += 1;
      prev = 'start';
      continue;
    }
    if (c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(,\d*)?\}/.test(p.slice(i)))) {
      const q = c === '{' ? /^\{\d+(,\d*)?\}/.exec(p.slice(i))![0] : c;
      if (prev === 'start') throw new Re2SyntaxError(goErr('missing argument to repetition operator', q));
      if (prev === 'quant' && c === '?') {
        out += '?';
        i += 1;
        prev = 'lazyquant';
        continue;
      }
      if (prev === 'quant' || prev === 'lazyquant') {
        // RE2 has no possessive quantifiers: `a**`, `a*+`, `a{2}*` are errors.
        throw new Re2SyntaxError(goErr('invalid nested repetition operator', nestedExpr(p, i, q)));
      }
      if (c === '{') {
        const nums = q.slice(1, -1).split(',').filter((s) => s !== '').map(Number);
        if (nums.some((x) => x > 1000) || (nums.length === 2 && nums[0]! > nums[1]!)) throw new Re2SyntaxError(goErr('invalid repeat count', q));
      }
      out += q;
      i += q.length;
      prev = 'quant';
      continue;
    }
    if (c === '/') {
      out += '\\/';
      i += 1;
      prev = 'atom';
      continue;
    }
    out += c;
    i += 1;
    prev = 'atom';
  }
  if (depth > 0) throw new Re2SyntaxError(goErr('missing closing )', pattern));
  const f = [...flags].filter((x) => x !== 'U').sort().join('') + (needsUnicode ? 'u' : '');
  return { source: out, flags: f };
}

// Go prints the previous quantifier with the new one, e.g. `**` or `*+`.
function nestedExpr(p: string, i: number, q: string): string {
  let j = i - 1;
  if (p[j] === '}') {
    while (j > 0 && p[j] !== '{') j--;
  } else if (p[j] === '?' && j > 0 && '*+?}'.includes(p[j - 1]!)) j--;
  return p.slice(j, i) + q;
}

function translateEscape(p: string, i: number, inClass: boolean): { js: string; len: number; unicode: boolean } {
  const next = p[i + 1];
  if (next === undefined) throw new Re2SyntaxError(goErr('trailing backslash at end of expression', ''));
  if (next === 'Q' && !inClass) {
    const end = p.indexOf('\\E', i + 2);
    const lit = end < 0 ? p.slice(i + 2) : p.slice(i + 2, end);
    return { js: `(?:${escapeLiteral(lit)})`, len: end < 0 ? p.length - i : end + 2 - i, unicode: false };
  }
  if (/[dDsSwW]/.test(next)) return { js: `\\${next}`, len: 2, unicode: false };
  if (!inClass && /[bB]/.test(next)) return { js: `\\${next}`, len: 2, unicode: false };
  if (!inClass && next === 'A') return { js: '^', len: 2, unicode: false };
  if (!inClass && next === 'z') return { js: '$', len: 2, unicode: false };
  if (/[fnrtv]/.test(next)) return { js: `\\${next}`, len: 2, unicode: false };
  if (next === 'a') return { js: '\\x07', len: 2, unicode: false };
  if (next === 'x') {
    const braced = /^\\x\{([0-9A-Fa-f]{1,6})\}/.exec(p.slice(i));
    if (braced) return { js: `\\u{${braced[1]}}`, len: braced[0].length, unicode: true };
    const two = /^\\x([0-9A-Fa-f]{2})/.exec(p.slice(i));
    if (two) return { js: two[0], len: 4, unicode: false };
    throw new Re2SyntaxError(goErr('invalid escape sequence', p.slice(i, i + 4)));
  }
  if (next === 'p' || next === 'P') {
    const braced = /^\\[pP]\{(\^?)([A-Za-z_]+)\}/.exec(p.slice(i));
    if (braced) {
      const neg = (next === 'P') !== (braced[1] === '^');
      return { js: `\\${neg ? 'P' : 'p'}{${braced[2]}}`, len: braced[0].length, unicode: true };
    }
    const one = /^\\[pP]([A-Za-z])/.exec(p.slice(i));
    if (one) return { js: `\\${next}{${one[1]}}`, len: 3, unicode: true };
    throw new Re2SyntaxError(goErr('invalid character class range', p.slice(i, i + 3)));
  }
  if (next === '0' || (/[1-7]/.test(next) && /^[0-7]{2}/.test(p.slice(i + 2)))) {
    // Octal escapes (\0, \012, \123).
    const m = /^\\([0-7]{1,3})/.exec(p.slice(i))!;
    return { js: `\\x${parseInt(m[1]!, 8).toString(16).padStart(2, '0')}`, len: m[0].length, unicode: false };
  }
  if (/[1-9]/.test(next)) throw new Re2SyntaxError(goErr('invalid escape sequence', `\\${next}`));
  // RE2 allows escaping any punctuation; a letter or digit it does not know is an error.
  if (/[A-Za-z0-9]/.test(next)) throw new Re2SyntaxError(goErr('invalid escape sequence', `\\${next}`));
  return { js: `\\${next}`, len: 2, unicode: false };
}

function translateClass(p: string, i: number): { js: string; len: number; unicode: boolean } {
  let j = i + 1;
  let out = '[';
  let unicode = false;
  if (p[j] === '^') {
    out += '^';
    j++;
  }
  // A ']' first in the class is a literal.
  if (p[j] === ']') {
    out += '\\]';
    j++;
  }
  while (j < p.length && p[j] !== ']') {
    const c = p[j]!;
    if (c === '[' && p[j + 1] === ':') {
      const m = /^\[:(\^?)([a-z]+):\]/.exec(p.slice(j));
      if (m) {
        const cls = POSIX_CLASSES[m[2]!];
        if (cls === undefined) throw new Re2SyntaxError(goErr('invalid character class range', m[0]));
        if (m[1] === '^') throw new Re2SyntaxError(`unsupported by the simulator's RE2 translation: negated POSIX class ${m[0]}`);
        out += cls;
        j += m[0].length;
        continue;
      }
    }
    if (c === '\\') {
      const e = translateEscape(p, j, true);
      unicode ||= e.unicode;
      out += e.js;
      j += e.len;
      continue;
    }
    if (c === '[' || c === '/') {
      out += `\\${c}`;
      j++;
      continue;
    }
    out += c;
    j++;
  }
  if (j >= p.length) throw new Re2SyntaxError(goErr('missing closing ]', p.slice(i)));
  return { js: `${out}]`, len: j + 1 - i, unicode };
}
