/** List, map and number filters from Pebble core and Kestra. */
import { failAt, type FilterDefinition } from '../context';
import { isEmpty } from '../tests';
import { asNumber, isList, isMap, javaEquals, javaToString, makeDouble, newMap, typeName } from '../values';

function compareValues(a: unknown, b: unknown): number {
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na && nb) return na.value - nb.value;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  throw new Error(`cannot compare ${typeName(a)} with ${typeName(b)}`);
}

const nullSafe = (fn: FilterDefinition['apply']): FilterDefinition['apply'] =>
  (input, args, site) => (input === null || input === undefined ? null : fn(input, args, site));

function requireList(input: unknown, site: Parameters<FilterDefinition['apply']>[2]): unknown[] {
  if (!isList(input)) throw failAt(site, `'${site.name}' filter can only be applied to a list, got ${typeName(input)}`);
  return input;
}

export const COLLECTION_FILTERS: Record<string, FilterDefinition> = {
  default: {
    args: ['default'],
    apply: (input, args) => (isEmpty(input) ? args.get('default') ?? null : input),
  },
  first: {
    args: null,
    apply: nullSafe((input) => {
      if (typeof input === 'string') return input === '' ? null : input.charAt(0);
      if (isList(input)) return input.length === 0 ? null : input[0];
      return input;
    }),
  },
  last: {
    args: null,
    apply: nullSafe((input) => {
      if (typeof input === 'string') return input === '' ? null : input.charAt(input.length - 1);
      if (isList(input)) return input.length === 0 ? null : input[input.length - 1];
      return input;
    }),
  },
  length: {
    args: null,
    apply(input) {
      if (input === null || input === undefined) return 0;
      if (typeof input === 'string' || isList(input)) return input.length;
      if (isMap(input)) return Object.keys(input).length;
      return 0;
    },
  },
  join: {
    args: ['separator'],
    apply: nullSafe((input, args, site) => {
      const sep = args.has('separator') && args.get('separator') !== null ? javaToString(args.get('separator')) : '';
      return requireList(input, site).map(javaToString).join(sep);
    }),
  },
  keys: {
    args: null,
    apply: nullSafe((input, _args, site) => {
      if (isMap(input)) return Object.keys(input);
      if (isList(input)) return input.map((_v, i) => i);
      throw failAt(site, `'keys' filter can only be applied to a map or a list, got ${typeName(input)}`);
    }),
  },
  values: {
    args: null,
    apply: nullSafe((input, _args, site) => {
      if (isMap(input)) return Object.keys(input).map((k) => input[k]);
      throw failAt(site, `'values' filter can only be applied to a map, got ${typeName(input)}`);
    }),
  },
  sort: { args: null, apply: nullSafe((input, _a, site) => [...requireList(input, site)].sort(compareValues)) },
  rsort: { args: null, apply: nullSafe((input, _a, site) => [...requireList(input, site)].sort(compareValues).reverse()) },
  reverse: {
    args: null,
    apply: nullSafe((input, _a, site) => {
      if (typeof input === 'string') return [...input].reverse().join('');
      return [...requireList(input, site)].reverse();
    }),
  },
  distinct: {
    args: null,
    apply: nullSafe((input, _a, site) => {
      const out: unknown[] = [];
      for (const v of requireList(input, site)) if (!out.some((o) => javaEquals(o, v))) out.push(v);
      return out;
    }),
  },
  slice: {
    args: ['fromIndex', 'toIndex'],
    apply: nullSafe((input, args, site) => {
      const fromArg = args.get('fromIndex') ?? 0;
      const from = asNumber(fromArg);
      if (!from) throw failAt(site, `Argument fromIndex must be a number. Actual type: ${typeName(fromArg)}`);
      if (from.value < 0) throw failAt(site, 'fromIndex must be greater than 0');
      if (typeof input !== 'string' && !isList(input)) {
        throw failAt(site, `Slice filter can only be applied to String, List and array inputs. Actual type was: ${typeName(input)}`);
      }
      let to = input.length;
      const toArg = args.get('toIndex');
      if (toArg !== undefined && toArg !== null) {
        const t = asNumber(toArg);
        if (!t) throw failAt(site, `Argument toIndex must be a number. Actual type: ${typeName(toArg)}`);
        if (t.value > input.length) throw failAt(site, `toIndex must be smaller than input size: ${input.length}`);
        if (from.value >= t.value) throw failAt(site, 'toIndex must be greater than fromIndex');
        to = Math.trunc(t.value);
      }
      return input.slice(Math.trunc(from.value), to);
    }),
  },
  merge: {
    args: ['items'],
    apply: nullSafe((input, args, site) => {
      const items = args.get('items');
      if (isList(input)) return isList(items) ? [...input, ...items] : isMap(items) ? [...input, ...Object.keys(items).map((k) => items[k])] : [...input, items];
      if (isMap(input) && isMap(items)) return newMap([...Object.entries(input), ...Object.entries(items)]);
      throw failAt(site, `'merge' cannot merge ${typeName(items)} into ${typeName(input)}`);
    }),
  },
  chunk: {
    args: ['size'],
    apply: nullSafe((input, args, site) => {
      if (!args.has('size')) throw failAt(site, "'chunk' filter expects an argument 'size'");
      const list = requireList(input, site);
      const size = asNumber(args.get('size'));
      if (!size) throw failAt(site, `'chunk' filter argument 'size' must be a number. Actual type was: ${typeName(args.get('size'))}`);
      if (size.value <= 0) throw failAt(site, "'chunk' filter argument 'size' must be greater than 0");
      const out: unknown[][] = [];
      for (let i = 0; i < list.length; i += size.value) out.push(list.slice(i, i + size.value));
      return out;
    }),
  },
  flatten: {
    args: null,
    apply: nullSafe((input, _a, site) => {
      if (!isList(input)) throw failAt(site, "The 'flatten' filter can only be applied to lists");
      return input.flatMap((v) => (isList(v) ? v : [v]));
    }),
  },
  abs: {
    args: null,
    apply: nullSafe((input, _a, site) => {
      const n = asNumber(input);
      if (!n) throw failAt(site, `'abs' can only be applied to a number, got ${typeName(input)}`);
      return n.double ? makeDouble(Math.abs(n.value)) : Math.abs(n.value);
    }),
  },
  number: {
    args: ['type'],
    apply: nullSafe((input, args, site) => {
      if (typeof input !== 'string') {
        throw failAt(site, `'number' filter can only be applied to String. Actual type was: ${typeName(input)}`);
      }
      const type = args.has('type') ? javaToString(args.get('type')) : '';
      const text = input.trim();
      const invalid = () => failAt(site, `'${input}' is not a valid number`);
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[dDfFlL]?$/.test(text) && !/^[+-]?0[xX][0-9a-fA-F]+$/.test(text)) throw invalid();
      const value = Number(text.replace(/[dDfFlL]$/, ''));
      if (Number.isNaN(value)) throw invalid();
      const integerText = /^[+-]?(0[xX][0-9a-fA-F]+|\d+)[lL]?$/.test(text);
      switch (type) {
        case 'INT': case 'LONG': case 'BIGINTEGER':
          if (!integerText) throw invalid();
          return value;
        case 'FLOAT': case 'DOUBLE': case 'BIGDECIMAL':
          return makeDouble(value);
        default:
          return integerText ? value : makeDouble(value);
      }
    }),
  },
};
