/** String filters from Pebble core and Kestra. */
import { argString, failAt, requireString, type FilterDefinition } from '../context';
import { JavaRegexError, javaRegExp, javaReplacement } from '../java-regex';
import { asNumber, isList, isMap, javaToString, newMap, typeName } from '../values';

const stringFilter = (fn: (s: string) => string): FilterDefinition => ({
  args: null,
  apply: (input, _args, site) => (input === null || input === undefined ? null : fn(requireString(input, site))),
});

/** Kestra `Slugify.of`. */
export function slugify(input: string): string {
  let slug = input.replace(/\s/g, '-').normalize('NFD').replace(/[^\w-]/g, '').replace(/_/g, '-');
  while (slug.includes('--')) slug = slug.replaceAll('--', '-');
  if (slug.startsWith('-')) slug = slug.slice(1);
  if (slug.endsWith('-')) slug = slug.slice(0, -1);
  return slug.toLowerCase();
}

/** Kestra substringBefore/After(/Last), commons-lang `StringUtils` semantics. */
function substring(kind: 'before' | 'after' | 'beforeLast' | 'afterLast'): FilterDefinition {
  return {
    args: ['separator'],
    apply(input, args, site) {
      if (input === null || input === undefined) return null;
      const s = javaToString(input);
      if (!args.has('separator')) throw failAt(site, `The '${site.name}' filter expects an argument 'separator'`);
      const sep = javaToString(args.get('separator'));
      switch (kind) {
        case 'before': {
          if (sep === '') return '';
          const i = s.indexOf(sep);
          return i < 0 ? s : s.slice(0, i);
        }
        case 'after': {
          if (sep === '') return s;
          const i = s.indexOf(sep);
          return i < 0 ? '' : s.slice(i + sep.length);
        }
        case 'beforeLast': {
          if (sep === '') return s;
          const i = s.lastIndexOf(sep);
          return i < 0 ? s : s.slice(0, i);
        }
        case 'afterLast': {
          if (sep === '') return '';
          const i = s.lastIndexOf(sep);
          return i < 0 || i === s.length - sep.length ? '' : s.slice(i + sep.length);
        }
      }
    },
  };
}

function escapeChar(value: unknown, type: string, site: Parameters<FilterDefinition['apply']>[2]): unknown {
  const escape = (s: string): string => {
    switch (type) {
      case 'shell': return s.replaceAll("'", "'\\''");
      case 'single': return s.replaceAll("'", "\\'");
      case 'double': return s.replaceAll('"', '\\"');
      default:
        throw failAt(site, "The 'escapeChar' filter expects the value of 'type' to be either 'single', 'double', or 'shell'");
    }
  };
  if (isList(value)) return value.map((v) => escapeChar(v, type, site));
  if (isMap(value)) return newMap(Object.keys(value).map((k) => [k, escapeChar(value[k], type, site)] as const));
  return escape(javaToString(value));
}

/** Java `String.split(regex, limit)`: trailing empty strings dropped when limit is 0. */
export function javaSplit(input: string, delimiter: string, limit: number): string[] {
  const parts: string[] = [];
  let index = 0;
  let matched = false;
  for (const m of input.matchAll(new RegExp(delimiter, 'g'))) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    if (limit > 0 && parts.length === limit - 1) break;
    // Java skips a zero-width match at the very start (no leading empty string).
    if (index === 0 && start === 0 && end === 0) continue;
    matched = true;
    parts.push(input.slice(index, start));
    index = end;
  }
  if (!matched) return [input];
  parts.push(input.slice(index));
  if (limit === 0) while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

function indent(kind: 'indent' | 'nindent'): FilterDefinition {
  return {
    args: ['amount', 'prefix'],
    apply(input, args, site) {
      if (input === null || input === undefined) return null;
      const s = javaToString(input);
      if (s === '') return s;
      if (!args.has('amount')) throw failAt(site, `The '${kind}' filter expects an integer as argument 'amount'`);
      const amount = asNumber(args.get('amount'));
      if (!amount || amount.double) throw failAt(site, `The '${kind}' filter expects an integer as argument 'amount'`);
      if (amount.value < 0) throw failAt(site, `The '${kind}' filter expects a positive integer >=0 as argument 'amount'`);
      const prefix = args.has('prefix') ? javaToString(args.get('prefix')) : ' ';
      const newline = s.includes('\r\n') ? '\r\n' : s.includes('\n\r') ? '\n\r' : s.includes('\n') ? '\n' : s.includes('\r') ? '\r' : '\n';
      const pad = prefix.repeat(amount.value);
      return kind === 'indent' ? s.replaceAll(newline, newline + pad) : (newline + s).replaceAll(newline, newline + pad);
    },
  };
}

export const STRING_FILTERS: Record<string, FilterDefinition> = {
  upper: stringFilter((s) => s.toUpperCase()),
  lower: stringFilter((s) => s.toLowerCase()),
  trim: stringFilter((s) => s.trim()),
  capitalize: stringFilter((s) => (s === '' ? s : s.charAt(0).toUpperCase() + s.slice(1))),
  title: stringFilter((s) => s.replace(/(^|\s)(\S)/g, (_m, space: string, c: string) => space + c.toUpperCase())),
  slugify: { args: null, apply: (input) => (input === null || input === undefined ? null : slugify(javaToString(input))) },
  abbreviate: {
    args: ['length'],
    apply(input, args, site) {
      if (input === null || input === undefined) return null;
      const value = requireString(input, site);
      const max = asNumber(args.get('length'));
      if (!max) throw failAt(site, "The 'abbreviate' filter expects a number as argument 'length'");
      if (max.value < 0) throw failAt(site, 'Invalid argument to abbreviate filter; must be greater than zero');
      // Pebble's exact rule: a string exactly `length` long is still abbreviated.
      if (value.length < max.value || value.length <= 3) return value;
      if (max.value <= 3) return value.slice(0, max.value);
      return `${value.slice(0, max.value - 3)}...`;
    },
  },
  /**
   * Kestra's ReplaceFilter: each pair in turn, literally or as a Java regex with
   * `regexp=true`; a map or list is walked and every value replaced as text.
   */
  replace: {
    args: ['replace_pairs', 'regexp'],
    apply(input, args, site) {
      if (input === null || input === undefined) return null;
      const pairs = args.get('replace_pairs');
      if (pairs === null || pairs === undefined) throw failAt(site, "The argument 'replace_pairs' is required.");
      if (!isMap(pairs)) throw failAt(site, `'replace' expects a map like {'old': 'new'}, got ${typeName(pairs)}`);
      const regexp = args.get('regexp') ?? false;
      if (typeof regexp !== 'boolean') throw failAt(site, `'replace' expects 'regexp' to be a boolean, got ${typeName(regexp)}`);
      const steps = Object.keys(pairs).map((k) => {
        const to = javaToString(pairs[k]);
        if (!regexp) return (s: string) => s.replaceAll(k, () => to);
        try {
          const re = javaRegExp(k);
          const replacer = javaReplacement(to);
          return (s: string) => s.replace(re, replacer);
        } catch (e) {
          throw failAt(site, `'replace' ${e instanceof Error ? e.message : String(e)}`, e);
        }
      });
      const one = (s: string): string => {
        try {
          return steps.reduce((data, step) => step(data), s);
        } catch (e) {
          if (e instanceof JavaRegexError) throw failAt(site, `'replace' ${e.message}`, e);
          throw e;
        }
      };
      const walk = (v: unknown): unknown => {
        if (isMap(v)) return newMap(Object.keys(v).map((k) => [k, walk(v[k])] as const));
        if (isList(v)) return v.map(walk);
        // Kestra fails on a null inside a map or list (toString of null); keeping it is kinder.
        if (v === null || v === undefined) return null;
        return one(javaToString(v));
      };
      return walk(input);
    },
  },
  split: {
    args: ['delimiter', 'limit'],
    apply(input, args, site) {
      if (input === null || input === undefined) return null;
      const delimiter = argString(args, 'delimiter', site);
      if (delimiter === undefined) throw failAt(site, 'missing delimiter parameter in split filter');
      const limit = args.has('limit') ? asNumber(args.get('limit'))?.value ?? 0 : 0;
      try {
        return javaSplit(requireString(input, site), delimiter, limit);
      } catch (e) {
        if (e instanceof SyntaxError) throw failAt(site, `Invalid split delimiter '${delimiter}': ${e.message}`, e);
        throw e;
      }
    },
  },
  startsWith: {
    args: ['value'],
    apply: (input, args) => (input === null || input === undefined ? false : javaToString(input).startsWith(javaToString(args.get('value')))),
  },
  endsWith: {
    args: ['value'],
    apply: (input, args) => (input === null || input === undefined ? false : javaToString(input).endsWith(javaToString(args.get('value')))),
  },
  substringBefore: substring('before'),
  substringAfter: substring('after'),
  substringBeforeLast: substring('beforeLast'),
  substringAfterLast: substring('afterLast'),
  escapeChar: {
    args: ['type'],
    apply(input, args, site) {
      if (input === null || input === undefined) return null;
      if (!args.has('type')) throw failAt(site, "The 'escapeChar' filter expects an argument 'type'");
      return escapeChar(input, javaToString(args.get('type')).toLowerCase(), site);
    },
  },
  indent: indent('indent'),
  nindent: indent('nindent'),
};
