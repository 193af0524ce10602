/**
 * metav1.LabelSelector and what LabelSelectorAsSelector makes of it (k8s.io/apimachinery
 * pkg/apis/meta/v1/helpers.go, pkg/labels/selector.go NewRequirement): matchLabels and every
 * matchExpression must hold. An empty selector matches everything.
 */
export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export type LabelMatcher = (labels: Readonly<Record<string, string>>) => boolean;

const has = (labels: Readonly<Record<string, string>>, key: string) => Object.prototype.hasOwnProperty.call(labels, key);

function requirement(r: LabelSelectorRequirement): LabelMatcher {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
    case 'NotIn': {
      if (values.length === 0) throw new Error("for 'in', 'notin' operators, values set can't be empty");
      const set = new Set(values);
      return r.operator === 'In' ? (l) => has(l, r.key) && set.has(l[r.key]!) : (l) => !has(l, r.key) || !set.has(l[r.key]!);
    }
    case 'Exists':
    case 'DoesNotExist':
      if (values.length !== 0) throw new Error('values set must be empty for exists and does not exist');
      return r.operator === 'Exists' ? (l) => has(l, r.key) : (l) => !has(l, r.key);
    default:
      throw new Error(`${JSON.stringify(r.operator)} is not a valid label selector operator`);
  }
}

/** LabelSelectorAsSelector: a matcher, or the apimachinery error for a malformed selector. */
export function labelSelectorAsSelector(sel: LabelSelector): LabelMatcher {
  const reqs: LabelMatcher[] = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => (l) => has(l, k) && l[k] === v);
  for (const r of sel.matchExpressions ?? []) reqs.push(requirement(r));
  return (labels) => reqs.every((m) => m(labels));
}
