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
  return draftOf(spec, spec.defaults);
}

/** The draft that shows a value (a default, or a value stored for the notebook). */
export function draftOf(spec: InputSpec, d: unknown): InputDraft {
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

function sameDraft(a: InputDraft, b: InputDraft): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The values to keep for the notebook: those of inputs edited away from their default that
 * read as valid. An input whose text does not read (yet) keeps the value stored before, so a
 * half-typed number never throws away what was kept.
 */
export function valuesToStore(specs: InputSpec[], drafts: Record<string, InputDraft>, stored: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const spec of specs) {
    const draft = drafts[spec.id];
    if (draft === undefined || sameDraft(draft, initialDraft(spec))) continue;
    const r = readInput(spec, draft);
    if (!r.ok) {
      if (stored[spec.id] !== undefined) out[spec.id] = stored[spec.id];
    } else if (r.value !== undefined) out[spec.id] = r.value;
  }
  return out;
}

/** `datetime-local` text for an instant, in the browser's zone (the form reads it back in that zone). */
function localDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Drafts for the stored values of the inputs the flow declares. */
export function draftsFromValues(specs: InputSpec[], values: Record<string, unknown>): Record<string, InputDraft> {
  const out: Record<string, InputDraft> = {};
  for (const spec of specs) {
    const value = values[spec.id];
    if (value === undefined) continue;
    // A stored DATETIME is an instant (the form sent it as UTC); shown again in local time.
    out[spec.id] = widgetFor(spec.type) === 'datetime' && typeof value === 'string' ? localDateTime(value) : draftOf(spec, value);
  }
  return out;
}
