/**
 * The value parsers of knative.dev/pkg configmap/parser (strconv.ParseInt, strconv.ParseBool,
 * time.ParseDuration) with Go's error texts, so a bad ConfigMap value is reported as Knative's
 * controller logs it: `failed to parse "key": strconv.ParseInt: parsing "x": invalid syntax`.
 */

/** A ConfigMap that Knative would refuse to load. `configMap` names it (e.g. `config-network`). */
export class ConfigMapError extends Error {
  override name = 'ConfigMapError';
  constructor(
    readonly configMap: string,
    message: string,
  ) {
    super(message);
  }
}

export type ConfigData = Readonly<Record<string, string>> | undefined;

const has = (data: ConfigData, key: string): data is Record<string, string> =>
  data !== undefined && Object.prototype.hasOwnProperty.call(data, key);

/** strconv.ParseInt(s, 10, 64): optional sign, decimal digits, nothing else (no spaces). */
export function parseGoInt(s: string): number {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new Error(`strconv.ParseInt: parsing ${goQuote(s)}: invalid syntax`);
  const v = Number(s);
  if (!Number.isSafeInteger(v)) throw new Error(`strconv.ParseInt: parsing ${goQuote(s)}: value out of range`);
  return v;
}

/** strconv.ParseFloat(s, 64), decimal forms only. */
export function parseGoFloat(s: string): number {
  if (!/^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(s) && !/^[+-]?(?:inf|infinity|nan)$/i.test(s)) {
    throw new Error(`strconv.ParseFloat: parsing ${goQuote(s)}: invalid syntax`);
  }
  return Number(s.replace(/^([+-]?)inf(inity)?$/i, '$1Infinity'));
}

/** strconv.ParseBool accepts exactly these spellings. */
export function parseGoBool(s: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  throw new Error(`strconv.ParseBool: parsing ${goQuote(s)}: invalid syntax`);
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** time.ParseDuration, returned in milliseconds: "600s", "1m30s", "1.5h", "0". */
export function parseGoDuration(s: string): number {
  const bad = () => new Error(`time: invalid duration ${goQuote(s)}`);
  let rest = s;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest[0] === '-') sign = -1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw bad();
  let total = 0;
  while (rest !== '') {
    const m = /^([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)/.exec(rest);
    if (!m || m[1] === '' || m[1] === '.') {
      if (m === null && /^[0-9.]+/.test(rest)) throw new Error(`time: missing unit in duration ${goQuote(s)}`);
      if (m === null && /^[0-9.]+[a-zA-Zµμ]/.test(rest)) {
        const unit = /^[0-9.]+([^0-9.]+)/.exec(rest)![1];
        throw new Error(`time: unknown unit ${goQuote(unit!)} in duration ${goQuote(s)}`);
      }
      throw bad();
    }
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return sign * total;
}

/** Go's %q for the ASCII strings config values are. */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** cm.Parse step: apply `parse` to data[key] when present, wrapping errors like parser.AsFunc. */
export function asValue<T>(configMap: string, data: ConfigData, key: string, parse: (raw: string) => T, set: (v: T) => void): void {
  if (!has(data, key)) return;
  try {
    set(parse(data[key]!));
  } catch (e) {
    throw new ConfigMapError(configMap, `failed to parse ${goQuote(key)}: ${(e as Error).message}`);
  }
}

/** cm.AsString trims the value. */
export const asString = (cm: string, data: ConfigData, key: string, set: (v: string) => void) =>
  asValue(cm, data, key, (s) => s.trim(), set);
export const asInt = (cm: string, data: ConfigData, key: string, set: (v: number) => void) => asValue(cm, data, key, parseGoInt, set);
export const asBool = (cm: string, data: ConfigData, key: string, set: (v: boolean) => void) => asValue(cm, data, key, parseGoBool, set);
export const asDuration = (cm: string, data: ConfigData, key: string, set: (v: number) => void) =>
  asValue(cm, data, key, parseGoDuration, set);

export { has as hasKey };

const QUANTITY = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?$/;

/** resource.ParseQuantity's syntax check; the value stays the user's string. */
export function parseQuantity(s: string): string {
  if (!QUANTITY.test(s.trim())) {
    // k8s.io/apimachinery resource.ErrFormatWrong
    throw new Error("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  }
  return s.trim();
}

export const asQuantity = (cm: string, data: ConfigData, key: string, set: (v: string) => void) =>
  asValue(cm, data, key, parseQuantity, set);
