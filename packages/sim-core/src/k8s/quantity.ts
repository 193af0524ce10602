/**
 * The value of a Kubernetes resource quantity (k8s.io/apimachinery pkg/api/resource
 * quantity.go): a decimal number with a binary (Ki, Mi, Gi, Ti, Pi, Ei), decimal (n, u, m, k, M,
 * G, T, P, E) or exponent (e3, E-2) suffix. `"25m"` → 0.025, `"128Mi"` → 134217728.
 * NaN when the text is not a quantity (the config and manifest checks reject those first).
 */
export function quantityValue(text: string): number {
  const m = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/.exec(text.trim());
  if (m === null) return NaN;
  const n = Number(m[1]);
  const suffix = m[2]!;
  if (suffix === '') return n;
  const binary = BINARY[suffix];
  if (binary !== undefined) return n * binary;
  const decimal = DECIMAL[suffix];
  if (decimal !== undefined) return n * decimal;
  if (/^[eE][-+]?[0-9]+$/.test(suffix)) return n * 10 ** Number(suffix.slice(1));
  return NaN;
}

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
