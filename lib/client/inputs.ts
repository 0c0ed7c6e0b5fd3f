/**
 * The notebook's inputs form as pure functions: the text each widget starts with, and the
 * value (or error) each input sends with a run.
 */
import type { InputSpec, InputType } from '@/lib/contract';

/** What a widget holds: text for most, a boolean for checkboxes, a list for multiselect. */
export type InputDraft = string | boolean | string[];

export type Widget = 'text' | 'email' | 'url' | 'password' | 'int' | 'float' | 'checkbox' | 'select' | 'multiselect' | 'lines' | 'json' | 'yaml' | 'datetime' | 'date' | 'time' | 'duration' | 'file';

export function widgetFor(type: InputType): Widget {
  switch (type) {
    case 'STRING':
      return 'text';
    case 'EMAIL':
      return 'email';
    case 'URI':
      return 'url';
    case 'SECRET':
      return 'password';
    case 'INT':
      return 'int';
    case 'FLOAT':
      return 'float';
    case 'BOOLEAN':
    case 'BOOL':
      return 'checkbox';
    case 'SELECT':
    case 'ENUM':
      return 'select';
    case 'MULTISELECT':
      return 'multiselect';
    case 'ARRAY':
      return 'lines';
    case 'JSON':
      return 'json';
    case 'YAML':
      return 'yaml';
    case 'DATETIME':
      return 'datetime';
    case 'DATE':
      return 'date';
    case 'TIME':
      return 'time';
    case 'DURATION':
      return 'duration';
    case 'FILE':
      return 'file';
  }
}

function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** The draft a widget starts with, from the input's default. */
export function initialDraft(spec: InputSpec): InputDraft {
  const d = spec.defaults;
  switch (widgetFor(spec.type)) {
    case 'checkbox':
      return d === true || d === 'true';
    case 'multiselect':
      return Array.isArray(d) ? d.map(String) : typeof d === 'string' && d ? [d] : [];
    case 'lines':
      return Array.isArray(d) ? d.map(text).join('\n') : text(d);
    case 'json':
      return d === undefined ? '' : typeof d === 'string' ? d : JSON.stringify(d, null, 2);
    case 'datetime':
      // <input type=datetime-local> wants "YYYY-MM-DDTHH:mm[:ss]" without a zone.
      return typeof d === 'string' ? d.replace(/(\.\d+)?(Z|[+-]\d\d:\d\d)$/, '') : '';
    default:
      return text(d);
  }
}

export type InputResult = { ok: true; value: unknown } | { ok: false; error: string } | { ok: true; value: undefined; omitted: true };

const DURATION = /^-?P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$/;

/** Checks one draft and turns it into the value sent with the run. */
export function readInput(spec: InputSpec, draft: InputDraft): InputResult {
  const widget = widgetFor(spec.type);
  if (widget === 'checkbox') return { ok: true, value: draft === true };
  if (widget === 'multiselect') {
    const list = Array.isArray(draft) ? draft : [];
    if (spec.required && list.length === 0) return { ok: false, error: 'choose at least one value' };
    return { ok: true, value: list };
  }
  const raw = typeof draft === 'string' ? draft : '';
  if (raw.trim() === '') {
    return spec.required && spec.defaults === undefined ? { ok: false, error: 'required' } : { ok: true, value: undefined, omitted: true };
  }
  switch (widget) {
    case 'int':
      return /^-?\d+$/.test(raw.trim()) ? { ok: true, value: Number(raw) } : { ok: false, error: 'a whole number' };
    case 'float':
      return Number.isFinite(Number(raw)) ? { ok: true, value: Number(raw) } : { ok: false, error: 'a number' };
    case 'email':
      return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(raw) ? { ok: true, value: raw } : { ok: false, error: 'an email address' };
    case 'url':
      try {
        new URL(raw);
        return { ok: true, value: raw };
      } catch {
        return { ok: false, error: 'a URI like https://host/path' };
      }
    case 'select':
      return !spec.values || spec.values.includes(raw) ? { ok: true, value: raw } : { ok: false, error: `one of ${spec.values.join(', ')}` };
    case 'lines':
      return { ok: true, value: raw.split('\n').map((s) => s.trim()).filter(Boolean) };
    case 'json':
      try {
        return { ok: true, value: JSON.parse(raw) };
      } catch (err) {
        return { ok: false, error: `invalid JSON: ${err instanceof Error ? err.message : String(err)}` };
      }
    case 'duration':
      return DURATION.test(raw.trim()) ? { ok: true, value: raw.trim() } : { ok: false, error: 'an ISO-8601 duration like PT30M' };
    case 'datetime': {
      const d = new Date(raw);
      return Number.isNaN(d.getTime()) ? { ok: false, error: 'a date and time' } : { ok: true, value: d.toISOString() };
    }
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(raw) ? { ok: true, value: raw } : { ok: false, error: 'a date YYYY-MM-DD' };
    case 'time':
      return /^\d{2}:\d{2}(:\d{2})?$/.test(raw) ? { ok: true, value: raw.length === 5 ? `${raw}:00` : raw } : { ok: false, error: 'a time HH:mm' };
    default:
      return { ok: true, value: raw };
  }
}

/** All inputs at once: the values to send, or the error per input id. */
export function readInputs(specs: InputSpec[], drafts: Record<string, InputDraft>): { values: Record<string, unknown>; errors: Record<string, string> } {
  const values: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const spec of specs) {
    const r = readInput(spec, drafts[spec.id] ?? initialDraft(spec));
    if (!r.ok) errors[spec.id] = r.error;
    else if (r.value !== undefined) values[spec.id] = r.value;
  }
  return { values, errors };
}
