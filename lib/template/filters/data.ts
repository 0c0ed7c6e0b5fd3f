/** Kestra's data filters: jq, toIon, className, and Pebble's numberFormat as Kestra names it. */
import { failAt, type FilterDefinition } from '../context';
import { DEFAULT_NUMBER_PATTERN, DecimalFormatError, formatDecimal } from '../decimal-format';
import { toIonText } from '../ion';
import { JqError, runJq } from '../jq';
import { toJson } from '../json-writer';
import { JavaDouble, MapEntry, asNumber, isList, isMap, javaToString, typeName } from '../values';

/**
 * The Java class Kestra would report for a value. The template model keeps Pebble's number
 * kinds (long literals and arithmetic, double), not Jackson's Integer/Float distinctions.
 */
function className(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return 'java.lang.String';
  if (typeof value === 'boolean') return 'java.lang.Boolean';
  if (typeof value === 'bigint') return 'java.math.BigInteger';
  const n = asNumber(value);
  if (n) return n.double ? 'java.lang.Double' : 'java.lang.Long';
  if (isList(value)) return 'java.util.ArrayList';
  if (isMap(value)) return 'java.util.LinkedHashMap';
  if (value instanceof MapEntry) return 'java.util.LinkedHashMap$Entry';
  if (value instanceof Date) return 'java.util.Date';
  return 'java.lang.Object';
}

export const DATA_FILTERS: Record<string, FilterDefinition> = {
  /**
   * Kestra's JqFilter: a string input is read as JSON text, anything else is serialized to
   * JSON first; the result is the list of every value the program outputs.
   */
  jq: {
    args: ['expression'],
    apply(input, args, site) {
      if (input === null || input === undefined) return null;
      if (!args.has('expression')) throw failAt(site, "The 'jq' filter expects an argument 'expression'.");
      const expression = args.get('expression');
      if (typeof expression !== 'string') throw failAt(site, `The 'jq' filter expects 'expression' to be a string, got ${typeName(expression)}`);
      const json = typeof input === 'string' ? input : toJson(input);
      try {
        return runJq(json, expression);
      } catch (e) {
        if (e instanceof JqError) {
          throw failAt(site, `Failed to resolve JQ expression '${expression}' and value '${javaToString(input)}': ${e.message}`, e);
        }
        throw e;
      }
    },
  },
  toIon: {
    args: null,
    apply: (input) => toIonText(input),
  },
  className: {
    args: null,
    apply: (input) => className(input),
  },
  /** Pebble's NumberFormatFilter, registered by Kestra as `numberFormat` (ExtensionCustomizer). */
  numberFormat: {
    args: ['format'],
    apply(input, args, site) {
      if (input === null || input === undefined) return null;
      const n = asNumber(input);
      if (!n) throw failAt(site, "The input for the 'NumberFormat' filter has to be a number.");
      const format = args.get('format');
      const pattern = format === null || format === undefined ? DEFAULT_NUMBER_PATTERN : javaToString(format);
      try {
        return formatDecimal(pattern, n.value, !n.double && !(input instanceof JavaDouble));
      } catch (e) {
        if (e instanceof DecimalFormatError) throw failAt(site, e.message, e);
        throw e;
      }
    },
  },
};
