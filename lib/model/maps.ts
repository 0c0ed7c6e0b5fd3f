/**
 * Kestra's MapUtils.deepMerge (core/src/main/java/io/kestra/core/utils/MapUtils.java): maps
 * merge key by key, recursively; any other value of `b` replaces `a`'s. Neither input changes.
 */
export function deepMerge(a: unknown, b: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = isPlainMap(a) ? { ...a } : {};
  for (const [key, value] of Object.entries(b)) {
    const existing = out[key];
    out[key] = isPlainMap(existing) && isPlainMap(value) ? deepMerge(existing, value) : value;
  }
  return out;
}

export function isPlainMap(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
