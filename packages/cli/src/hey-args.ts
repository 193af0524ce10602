// Loaded at start by main.ts (it rewrites the arguments before commander sees them): keep it small.

/** hey's flags that are words, not letters: Go takes them with one dash (`-host`), commander with two. */
const HEY_WORD_FLAGS = new Set(['host', 'h2', 'cpus', 'disable-compression', 'disable-keepalive', 'disable-redirects', 'help']);
const HEY_BOOL_FLAGS = new Set(['h2', 'disable-compression', 'disable-keepalive', 'disable-redirects', 'help']);
/** hey's one-letter flags (all take a value). */
const HEY_LETTERS = new Set(['n', 'c', 'q', 'z', 'o', 'm', 'H', 't', 'A', 'd', 'D', 'T', 'U', 'a', 'x']);
/** knsim's own options of `hey` that take a value. */
const KNSIM_VALUED = new Set(['-f', '--file', '--after', '--seed', '--set', '--ready-timeout']);

/**
 * hey's command line as Go's flag package reads it, made into commander's: `-host x` and
 * `--host x` become `--host x`, `-n=10` and `--n 10` become `-n 10`, `-h2=true` is `--h2` and
 * `-h2=false` nothing. A flag's value is never rewritten.
 */
export function normalizeHeyArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      out.push(...args.slice(i));
      break;
    }
    const m = /^--?([A-Za-z][\w-]*)(?:=([\s\S]*))?$/.exec(a);
    if (m === null) {
      out.push(a);
      continue;
    }
    const [, name, value] = m as unknown as [string, string, string | undefined];
    let flag: string | undefined;
    if (HEY_WORD_FLAGS.has(name)) flag = `--${name}`;
    else if (HEY_LETTERS.has(name)) flag = `-${name}`;
    if (flag === undefined) {
      out.push(a);
      if (value === undefined && KNSIM_VALUED.has(a) && i + 1 < args.length) out.push(args[++i]!);
      continue;
    }
    if (HEY_BOOL_FLAGS.has(name)) {
      if (value === undefined || value === 'true') out.push(flag);
      else if (value !== 'false') out.push(`${flag}=${value}`);
      continue;
    }
    out.push(flag);
    if (value !== undefined) out.push(value);
    else if (i + 1 < args.length) out.push(args[++i]!);
  }
  return out;
}
