/**
 * `a.b`, `a['b']`, `a[0]` and a few Java methods flows commonly call. Pebble resolves map
 * entries, then list indexes, then bean members; here only an allow-list of methods exists,
 * so nothing can reach a prototype (`__proto__`, `constructor`) or a host object.
 */
import { MapEntry, asNumber, formatDouble, hasOwn, isList, isMap, javaEquals, javaToString, makeDouble } from './values';

export type Resolution = { found: true; value: unknown } | { found: false };

const NOT_FOUND: Resolution = { found: false };
const found = (value: unknown): Resolution => ({ found: true, value });

/** Key text as Pebble makes it: `String.valueOf(attribute)`. */
export function attributeName(attribute: unknown): string {
  if (typeof attribute === 'string') return attribute;
  const n = asNumber(attribute);
  if (n) return n.double ? formatDouble(n.value) : String(n.value);
  return javaToString(attribute);
}

export function resolveAttribute(object: unknown, attribute: unknown, call: unknown[] | undefined): Resolution {
  const name = attributeName(attribute);
  if (call === undefined) {
    if (isMap(object)) return hasOwn(object, name) ? found(object[name]) : NOT_FOUND;
    if (isList(object) && /^-?[0-9]+$/.test(name)) {
      const index = Number(name);
      return index >= 0 && index < object.length ? found(object[index]) : NOT_FOUND;
    }
    if (object instanceof MapEntry) {
      if (name === 'key') return found(object.key);
      if (name === 'value') return found(object.value);
      return NOT_FOUND;
    }
  }
  const method = METHODS[name];
  if (!method || !hasOwn(METHODS, name)) return NOT_FOUND;
  return method(object, call ?? []);
}

type Method = (self: unknown, args: unknown[]) => Resolution;

const str = (v: unknown): string => javaToString(v);

/** Bean-style access Pebble allows without parentheses (`list.size`, `s.empty`) and a few calls. */
const METHODS: Record<string, Method> = {
  size: (self, args) => (args.length === 0 && (isList(self) || isMap(self)) ? found(isList(self) ? self.length : Object.keys(self).length) : NOT_FOUND),
  length: (self, args) => (args.length === 0 && typeof self === 'string' ? found(self.length) : NOT_FOUND),
  empty: (self, args) => isEmptyMethod(self, args),
  isEmpty: (self, args) => isEmptyMethod(self, args),
  toUpperCase: (self, args) => (typeof self === 'string' && args.length === 0 ? found(self.toUpperCase()) : NOT_FOUND),
  toLowerCase: (self, args) => (typeof self === 'string' && args.length === 0 ? found(self.toLowerCase()) : NOT_FOUND),
  trim: (self, args) => (typeof self === 'string' && args.length === 0 ? found(self.trim()) : NOT_FOUND),
  startsWith: (self, args) => (typeof self === 'string' && args.length === 1 ? found(self.startsWith(str(args[0]))) : NOT_FOUND),
  endsWith: (self, args) => (typeof self === 'string' && args.length === 1 ? found(self.endsWith(str(args[0]))) : NOT_FOUND),
  indexOf: (self, args) => {
    if (args.length !== 1) return NOT_FOUND;
    if (typeof self === 'string') return found(self.indexOf(str(args[0])));
    if (isList(self)) return found(self.findIndex((v) => javaEquals(v, args[0])));
    return NOT_FOUND;
  },
  contains: (self, args) => {
    if (args.length !== 1) return NOT_FOUND;
    if (typeof self === 'string') return found(self.includes(str(args[0])));
    if (isList(self)) return found(self.some((v) => javaEquals(v, args[0])));
    return NOT_FOUND;
  },
  substring: (self, args) => {
    if (typeof self !== 'string' || args.length < 1 || args.length > 2) return NOT_FOUND;
    const from = asNumber(args[0]);
    const to = args.length === 2 ? asNumber(args[1]) : { value: self.length, double: false };
    if (!from || !to || from.value < 0 || to.value > self.length || from.value > to.value) return NOT_FOUND;
    return found(self.substring(from.value, to.value));
  },
  replace: (self, args) => (typeof self === 'string' && args.length === 2 ? found(self.replaceAll(str(args[0]), str(args[1]))) : NOT_FOUND),
  equals: (self, args) => (args.length === 1 ? found(javaEquals(self, args[0])) : NOT_FOUND),
  get: (self, args) => {
    if (args.length !== 1) return NOT_FOUND;
    if (isMap(self)) {
      const key = attributeName(args[0]);
      return found(hasOwn(self, key) ? self[key] : null);
    }
    if (isList(self)) {
      const i = asNumber(args[0]);
      return i && i.value >= 0 && i.value < self.length ? found(self[i.value]) : NOT_FOUND;
    }
    return NOT_FOUND;
  },
  containsKey: (self, args) => (isMap(self) && args.length === 1 ? found(hasOwn(self, attributeName(args[0]))) : NOT_FOUND),
  keySet: (self, args) => (isMap(self) && args.length === 0 ? found(Object.keys(self)) : NOT_FOUND),
  values: (self, args) => (isMap(self) && args.length === 0 ? found(Object.keys(self).map((k) => self[k])) : NOT_FOUND),
  toString: (self: unknown, args: unknown[]) => (args.length === 0 ? found(javaToString(self)) : NOT_FOUND),
  intValue: (self, args) => numberMethod(self, args, (n) => Math.trunc(n)),
  longValue: (self, args) => numberMethod(self, args, (n) => Math.trunc(n)),
  doubleValue: (self, args) => numberMethod(self, args, (n) => makeDouble(n)),
};

function isEmptyMethod(self: unknown, args: unknown[]): Resolution {
  if (args.length !== 0) return NOT_FOUND;
  if (typeof self === 'string') return found(self.length === 0);
  if (isList(self)) return found(self.length === 0);
  if (isMap(self)) return found(Object.keys(self).length === 0);
  return NOT_FOUND;
}

function numberMethod(self: unknown, args: unknown[], convert: (n: number) => unknown): Resolution {
  const n = asNumber(self);
  return n && args.length === 0 ? found(convert(n.value)) : NOT_FOUND;
}
