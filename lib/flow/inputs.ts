/**
 * Execution input values: coercing what a user typed (CLI strings, form fields, JSON) to the
 * typed values a flow sees as `inputs.*`, the way Kestra's input types do.
 */
import { joda } from '../model/joda';
import { parse as parseYaml } from 'yaml';
import type { InputSpec, InputType } from './types';

export class InputError extends Error {
  constructor(
    readonly inputId: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`input "${inputId}": ${message}`, options);
    this.name = 'InputError';
  }
}

/** A coercion failure before the input's name is known; `resolveInputs` adds it. */
class ValueError extends Error {}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function describe(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function asString(value: unknown, what: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new ValueError(`expected ${what}, got ${describe(value)}`);
}

function asNumber(value: unknown, integer: boolean): number {
  const what = integer ? 'an integer' : 'a number';
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && value.trim() !== '' && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value.trim())) n = Number(value.trim());
  else throw new ValueError(`expected ${what}, got ${describe(value)}`);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) throw new ValueError(`expected ${what}, got ${describe(value)}`);
  return n;
}

function asBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  throw new ValueError(`expected true or false, got ${describe(value)}`);
}

/** A list, or a JSON list in a string (CLI, form fields, rendered templates); undefined otherwise. */
export function listFrom(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function asList(value: unknown): unknown[] {
  const list = listFrom(value);
  if (list) return list;
  throw new ValueError(`expected a list (or a JSON list like ["a","b"]), got ${describe(value)}`);
}

function parsing<T>(value: unknown, what: string, parse: (s: string) => T): T {
  const text = asString(value, what);
  try {
    return parse(text.trim());
  } catch {
    throw new ValueError(`expected ${what}, got ${describe(value)}`);
  }
}

/** ISO instant with zone or offset, normalized to UTC like Kestra's `Instant` (`2019-01-01T00:00:00Z`). */
function toInstant(text: string): string {
  const { Instant, OffsetDateTime, ZonedDateTime } = joda().core;
  if (/[zZ]$/.test(text)) return Instant.parse(text.toUpperCase()).toString();
  if (text.includes('[')) return ZonedDateTime.parse(text).toInstant().toString();
  return OffsetDateTime.parse(text).toInstant().toString();
}

function oneOf(value: string, spec: Pick<InputSpec, 'values' | 'raw'>): string {
  if (spec.raw.allowCustomValue === true || !spec.values) return value;
  if (!spec.values.includes(value)) throw new ValueError(`${describe(value)} is not one of ${spec.values.map((v) => JSON.stringify(v)).join(', ')}`);
  return value;
}

function checkRange(n: number, raw: Record<string, unknown>): number {
  if (typeof raw.min === 'number' && n < raw.min) throw new ValueError(`${n} is below the minimum ${raw.min}`);
  if (typeof raw.max === 'number' && n > raw.max) throw new ValueError(`${n} is above the maximum ${raw.max}`);
  return n;
}

/** Coerces one value to an input's type; throws ValueError without the input's name. */
function coerce(type: InputType, value: unknown, spec: Pick<InputSpec, 'values' | 'itemType' | 'raw'>): unknown {
  switch (type) {
    case 'STRING': {
      const s = asString(value, 'a string');
      const validator = spec.raw.validator;
      if (typeof validator === 'string' && !new RegExp(`^(?:${validator})$`).test(s)) {
        throw new ValueError(`${describe(s)} does not match the pattern ${validator}`);
      }
      return s;
    }
    case 'SECRET':
      return asString(value, 'a string');
    case 'INT':
      return checkRange(asNumber(value, true), spec.raw);
    case 'FLOAT':
      return checkRange(asNumber(value, false), spec.raw);
    case 'BOOLEAN':
    case 'BOOL':
      return asBoolean(value);
    case 'SELECT':
    case 'ENUM':
      return oneOf(asString(value, 'a string'), spec);
    case 'MULTISELECT':
      return asList(value).map((item) => oneOf(asString(item, 'a string'), spec));
    case 'ARRAY': {
      const itemType = spec.itemType;
      return asList(value).map((item, i) => {
        if (!itemType) return item;
        try {
          return coerce(itemType, item, { raw: {} });
        } catch (error) {
          if (error instanceof ValueError) throw new ValueError(`item ${i}: ${error.message}`);
          throw error;
        }
      });
    }
    case 'JSON':
      if (typeof value !== 'string') return value;
      return parsing(value, 'JSON', (s) => JSON.parse(s) as unknown);
    case 'YAML':
      if (typeof value !== 'string') return value;
      return parsing(value, 'YAML', (s) => parseYaml(s) as unknown);
    case 'DATETIME':
      return parsing(value, 'an ISO date-time with a zone, like 2019-01-01T09:00:00Z', toInstant);
    case 'DATE':
      return parsing(value, 'a date like 2019-01-31', (s) => joda().core.LocalDate.parse(s).toString());
    case 'TIME':
      return parsing(value, 'a time like 09:30:00', (s) => joda().core.LocalTime.parse(s).toString());
    case 'DURATION':
      return parsing(value, 'an ISO-8601 duration like PT30M or P1D', (s) => joda().core.Duration.parse(s).toString());
    case 'URI':
      return parsing(value, 'a URI like https://example.com/file.csv', (s) => {
        new URL(s);
        return s;
      });
    case 'EMAIL': {
      const s = asString(value, 'an email address');
      if (!EMAIL.test(s)) throw new ValueError(`expected an email address, got ${describe(s)}`);
      return s;
    }
    case 'FILE':
      // A local path or a kestra:/// URI: the engine uploads or resolves it.
      return asString(value, 'a file path or URI');
  }
}

/** A default written as a template is rendered at run time, not checked here. */
export function isTemplate(value: unknown): boolean {
  return typeof value === 'string' && /\{\{|\{%/.test(value);
}

/** Checks one value against an input spec; returns the coerced value or a message. */
export function checkInputValue(spec: InputSpec, value: unknown): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: coerce(spec.type, value, spec) };
  } catch (error) {
    if (error instanceof ValueError) return { ok: false, message: error.message };
    throw error;
  }
}

function isMissing(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/**
 * Coerces raw values (strings from CLI/forms, or JSON values) to typed values, fills defaults,
 * errors name the input. Optional inputs with neither value nor default resolve to null, so
 * `{{ inputs.x ?? 'fallback' }}` works. Defaults written as templates are passed through for
 * the engine to render. Values for inputs the flow does not declare are ignored, as Kestra does.
 */
export function resolveInputs(specs: InputSpec[], raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const spec of specs) {
    const given = raw[spec.id];
    if (isMissing(given)) {
      if (spec.defaults !== undefined && spec.defaults !== null) {
        out[spec.id] = isTemplate(spec.defaults) ? spec.defaults : resolveOne(spec, spec.defaults, 'default ');
      } else if (spec.required) {
        throw new InputError(spec.id, `required ${spec.type} input has no value and no default`);
      } else {
        out[spec.id] = null;
      }
      continue;
    }
    out[spec.id] = resolveOne(spec, given, '');
  }
  return out;
}

/**
 * Inputs as templates see them: an id with dots is a path, so `nested.string` is read as
 * `inputs.nested.string` (Kestra's FlowInputOutput, MapUtils.flattenToNestedMap).
 */
export function nestInputs(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [id, value] of Object.entries(flat)) {
    const parts = id.split('.');
    let node = out;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      node = typeof next === 'object' && next !== null && !Array.isArray(next) ? (next as Record<string, unknown>) : (node[part] = {});
    }
    node[parts[parts.length - 1]] = value;
  }
  return out;
}

function resolveOne(spec: InputSpec, value: unknown, what: string): unknown {
  const result = checkInputValue(spec, value);
  if (!result.ok) throw new InputError(spec.id, `${what}value: ${result.message}`);
  return result.value;
}
