/**
 * The Go text/template subset Knative's templates use (domain-template, tag-template,
 * container-name-template): literal text, `{{.Field}}`, `{{.Map.key}}` and
 * `{{index .Map "key"}}`, with `{{-`/`-}}` trimming. Anything else is refused when the
 * template is parsed, rather than rendered differently from Go.
 */

export type TemplateValue = string | Readonly<Record<string, string>> | undefined;
export type TemplateData = Readonly<Record<string, TemplateValue>>;

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'field'; path: string[] }
  | { kind: 'index'; path: string[]; key: string };

export interface GoTemplate {
  readonly source: string;
  readonly name: string;
  readonly nodes: readonly Node[];
}

export class TemplateError extends Error {
  override name = 'TemplateError';
}

const FIELD = /^((?:\.[A-Za-z_][A-Za-z0-9_]*)+)$/;
const INDEX = /^index\s+((?:\.[A-Za-z_][A-Za-z0-9_]*)+)\s+"((?:[^"\\]|\\.)*)"$/;

/** template.New(name).Parse(source). */
export function parseGoTemplate(name: string, source: string): GoTemplate {
  const nodes: Node[] = [];
  let rest = source;
  let pendingTrim = false;
  while (rest !== '') {
    const open = rest.indexOf('{{');
    let text = open < 0 ? rest : rest.slice(0, open);
    if (pendingTrim) text = text.replace(/^\s+/, '');
    if (open < 0) {
      if (text) nodes.push({ kind: 'text', text });
      break;
    }
    const close = rest.indexOf('}}', open + 2);
    if (close < 0) throw new TemplateError(`template: ${name}:1: unclosed action`);
    let action = rest.slice(open + 2, close);
    if (action.startsWith('- ') || action === '-') {
      text = text.replace(/\s+$/, '');
      action = action.slice(1);
    }
    pendingTrim = false;
    if (action.endsWith(' -')) {
      pendingTrim = true;
      action = action.slice(0, -1);
    }
    if (text) nodes.push({ kind: 'text', text });
    const a = action.trim();
    let m: RegExpExecArray | null;
    if ((m = FIELD.exec(a))) nodes.push({ kind: 'field', path: m[1]!.slice(1).split('.') });
    else if ((m = INDEX.exec(a))) nodes.push({ kind: 'index', path: m[1]!.slice(1).split('.'), key: JSON.parse(`"${m[2]}"`) as string });
    else throw new TemplateError(`template: ${name}: knsim supports only {{.Field}}, {{.Map.key}} and {{index .Map "key"}}, not {{${action}}}`);
    rest = rest.slice(close + 2);
  }
  return { source, name, nodes };
}

function lookup(t: GoTemplate, data: TemplateData, path: readonly string[], forIndex: boolean): TemplateValue | null {
  let cur: TemplateValue | TemplateData = data;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    if (i === 0) {
      // Struct fields: a name the data type lacks is an execution error in Go.
      if (!Object.prototype.hasOwnProperty.call(data, seg)) {
        throw new TemplateError(`template: ${t.name}:1: executing "${t.name}" at <.${path.join('.')}>: can't evaluate field ${seg}`);
      }
      cur = data[seg];
      continue;
    }
    if (typeof cur === 'string') {
      throw new TemplateError(`template: ${t.name}:1: executing "${t.name}" at <.${path.slice(0, i + 1).join('.')}>: can't evaluate field ${seg} in type string`);
    }
    // A map lookup of a missing key (or on a nil map) yields an invalid value, printed "<no value>".
    const map: Readonly<Record<string, string>> | undefined = cur as Readonly<Record<string, string>> | undefined;
    if (map === undefined || !Object.prototype.hasOwnProperty.call(map, seg)) return forIndex ? undefined : null;
    cur = map[seg];
  }
  return cur as TemplateValue;
}

/** tmpl.Execute(&buf, data). */
export function executeGoTemplate(t: GoTemplate, data: TemplateData): string {
  let out = '';
  for (const n of t.nodes) {
    if (n.kind === 'text') out += n.text;
    else if (n.kind === 'field') {
      const v = lookup(t, data, n.path, false);
      if (v === null) out += '<no value>';
      else if (v === undefined) out += 'map[]'; // a nil map prints as an empty one
      else if (typeof v === 'string') out += v;
      else out += `map[${Object.keys(v).sort().map((k) => `${k}:${v[k]}`).join(' ')}]`;
    } else {
      const m = lookup(t, data, n.path, true);
      if (typeof m === 'string') throw new TemplateError(`template: ${t.name}:1: executing "${t.name}": error calling index: can't index item of type string`);
      // index on a map returns the zero value ("") for a missing key.
      out += m?.[n.key] ?? '';
    }
  }
  return out;
}
