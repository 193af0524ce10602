import { DurationError, parseDuration } from '../../engine/duration.js';
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

/** strconv.ParseInt(s, 10, bits): sign and decimal digits only. */
export function parseGoInt(s: string, bits = 64): number {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new Error(`strconv.ParseInt: parsing ${goQuote(s)}: invalid syntax`);
  const v = Number(s);
  const limit = 2 ** (bits - 1);
  if (v < -limit || v > limit - 1 || !Number.isSafeInteger(v)) {
    throw new Error(`strconv.ParseInt: parsing ${goQuote(s)}: value out of range`);
  }
  return v;
}

export const parseGoInt32 = (s: string) => parseGoInt(s, 32);

const DECIMAL_FLOAT = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const SPECIAL_FLOAT = /^[+-]?(?:inf|infinity|nan)$/i;

/**
 * Why knsim refuses "NaN" where Knative takes a float: Go's ParseFloat accepts it and no range
 * check (`v < 1 || v > 100`) is ever true of NaN, so Knative stores it and computes with it
 * (a panic window of NaN seconds). A deliberate difference, listed in docs/cluster.md.
 */
export const NAN_REFUSED = 'knsim refuses NaN: Go\'s ParseFloat accepts it, but no range check stops it (docs/cluster.md)';

/** parseGoFloat without NaN (infinities stay: "+Inf" is Knative's way to say "no limit" for rates). */
export function parseGoFloatNotNaN(s: string): number {
  const v = parseGoFloat(s);
  if (Number.isNaN(v)) throw new Error(`strconv.ParseFloat: parsing ${goQuote(s)}: ${NAN_REFUSED}`);
  return v;
}

/** strconv.ParseFloat(s, 64) for decimal and special (inf, nan) forms; hex floats are not modelled. */
export function parseGoFloat(s: string): number {
  if (SPECIAL_FLOAT.test(s)) {
    if (/nan/i.test(s)) return Number.NaN;
    return s.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (!DECIMAL_FLOAT.test(s)) throw new Error(`strconv.ParseFloat: parsing ${goQuote(s)}: invalid syntax`);
  const v = Number(s);
  if (!Number.isFinite(v)) throw new Error(`strconv.ParseFloat: parsing ${goQuote(s)}: value out of range`);
  return v;
}

/** strconv.ParseBool accepts exactly these spellings. */
export function parseGoBool(s: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  throw new Error(`strconv.ParseBool: parsing ${goQuote(s)}: invalid syntax`);
}

/** time.ParseDuration in milliseconds (the engine's parser), with Go's error text as a plain Error. */
export function parseGoDuration(s: string): number {
  try {
    return parseDuration(s);
  } catch (e) {
    if (e instanceof DurationError) throw new Error(e.message);
    throw e;
  }
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

/** A Kubernetes resource.Quantity, as written (no surrounding space). */
export const QUANTITY = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?$/;

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
