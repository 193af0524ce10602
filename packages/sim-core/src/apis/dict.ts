/**
 * Objects keyed by what a user wrote (annotation and label keys, ConfigMap keys, tag names,
 * header names, env names). A plain `{}` inherits from Object.prototype, so a key such as
 * `constructor` finds something that was never written, and assigning `__proto__` replaces the
 * object's prototype instead of storing a key (and `x.__proto__.k = v` would reach every object
 * in the process). A dictionary has no prototype: every key is its own property.
 */
export function dict<V>(): Record<string, V> {
  return Object.create(null) as Record<string, V>;
}

/** `o[k] = v` that stores `__proto__` as an ordinary own key (as JSON.parse and the YAML parser do). */
export function setOwn<V>(o: Record<string, V>, k: string, v: V): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/** Whether `k` is `o`'s own key (never an inherited one such as `constructor`). */
export function hasOwn(o: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}
