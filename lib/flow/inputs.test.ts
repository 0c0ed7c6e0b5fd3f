import { describe, expect, it } from 'vitest';
import { InputError, resolveInputs } from './inputs';
import { parseFlow } from '../tasks/catalog';
import type { InputSpec, InputType } from './types';

function spec(id: string, type: InputType, extra: Partial<InputSpec> = {}): InputSpec {
  return { id, type, required: true, raw: {}, ...extra };
}

function failure(specs: InputSpec[], raw: Record<string, unknown>): InputError {
  try {
    resolveInputs(specs, raw);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('resolveInputs', () => {
  it('fills the course flow 04 defaults and checks SELECT values', () => {
    const { flow } = parseFlow(
      'id: f\nnamespace: n\ninputs:\n  - id: taxi\n    type: SELECT\n    values: [yellow, green]\n    defaults: yellow\n  - id: year\n    type: SELECT\n    values: ["2019", "2020"]\n    defaults: "2019"\ntasks:\n  - id: a\n    type: t.T\n',
    );
    expect(resolveInputs(flow!.inputs, {})).toEqual({ taxi: 'yellow', year: '2019' });
    expect(resolveInputs(flow!.inputs, { taxi: 'green', year: 2020 })).toEqual({ taxi: 'green', year: '2020' });
    const error = failure(flow!.inputs, { taxi: 'blue' });
    expect(error.inputId).toBe('taxi');
    expect(error.message).toBe('input "taxi": value: "blue" is not one of "yellow", "green"');
  });

  it('coerces CLI strings to numbers and booleans, and names the input on failure', () => {
    const specs = [spec('n', 'INT'), spec('f', 'FLOAT'), spec('b', 'BOOLEAN'), spec('c', 'BOOL')];
    expect(resolveInputs(specs, { n: '42', f: '2.5', b: 'true', c: false })).toEqual({ n: 42, f: 2.5, b: true, c: false });
    expect(failure(specs, { n: '4.2', f: 1, b: true, c: true }).message).toBe('input "n": value: expected an integer, got "4.2"');
    expect(failure(specs, { n: 1, f: 'x', b: true, c: true }).inputId).toBe('f');
    expect(failure(specs, { n: 1, f: 1, b: 'yes', c: true }).message).toBe('input "b": value: expected true or false, got "yes"');
  });

  it('reads lists as lists or JSON strings; ARRAY items take the itemType', () => {
    const specs = [spec('tags', 'MULTISELECT', { values: ['a', 'b', 'c'] }), spec('nums', 'ARRAY', { itemType: 'INT' })];
    expect(resolveInputs(specs, { tags: '["a","c"]', nums: ['1', 2] })).toEqual({ tags: ['a', 'c'], nums: [1, 2] });
    expect(failure(specs, { tags: ['a', 'z'], nums: [] }).message).toBe('input "tags": value: "z" is not one of "a", "b", "c"');
    expect(failure(specs, { tags: [], nums: '[1, "x"]' }).message).toBe('input "nums": value: item 1: expected an integer, got "x"');
    expect(failure(specs, { tags: 'a,b', nums: [] }).message).toMatch(/expected a list/);
  });

  it('parses JSON and YAML, keeps structured values', () => {
    const specs = [spec('j', 'JSON'), spec('y', 'YAML')];
    expect(resolveInputs(specs, { j: '{"columns":["brand","price"]}', y: 'a: 1\nb: [x]' })).toEqual({ j: { columns: ['brand', 'price'] }, y: { a: 1, b: ['x'] } });
    expect(resolveInputs(specs, { j: ['brand'], y: { a: 1 } })).toEqual({ j: ['brand'], y: { a: 1 } });
    expect(failure(specs, { j: '{oops', y: 'a: 1' }).message).toBe('input "j": value: expected JSON, got "{oops"');
  });

  it('checks and normalizes dates, times, instants and durations', () => {
    const specs = [spec('dt', 'DATETIME'), spec('d', 'DATE'), spec('t', 'TIME'), spec('p', 'DURATION')];
    expect(resolveInputs(specs, { dt: '2019-01-01T10:00:00+01:00', d: '2019-02-28', t: '09:30', p: 'PT90M' })).toEqual({
      dt: '2019-01-01T09:00:00Z',
      d: '2019-02-28',
      t: '09:30',
      p: 'PT1H30M',
    });
    expect(failure(specs, { dt: '2019-01-01', d: '2019-02-28', t: '09:30', p: 'PT1M' }).message).toMatch(/^input "dt": value: expected an ISO date-time/);
    expect(failure(specs, { dt: '2019-01-01T00:00:00Z', d: '2019-02-30', t: '09:30', p: 'PT1M' }).inputId).toBe('d');
    expect(failure(specs, { dt: '2019-01-01T00:00:00Z', d: '2019-02-28', t: '25:00', p: 'PT1M' }).inputId).toBe('t');
    expect(failure(specs, { dt: '2019-01-01T00:00:00Z', d: '2019-02-28', t: '10:00', p: 'P1M' }).inputId).toBe('p');
  });

  it('checks URIs and emails, keeps FILE and SECRET strings', () => {
    const specs = [spec('u', 'URI'), spec('e', 'EMAIL'), spec('f', 'FILE'), spec('s', 'SECRET')];
    const ok = { u: 'https://github.com/DataTalksClub/nyc-tlc-data/releases', e: 'a@b.io', f: '/tmp/data.csv', s: 'hunter2' };
    expect(resolveInputs(specs, ok)).toEqual(ok);
    expect(failure(specs, { ...ok, u: 'not a uri' }).inputId).toBe('u');
    expect(failure(specs, { ...ok, e: 'nobody' }).inputId).toBe('e');
  });

  it('requires values without defaults; optional ones resolve to null; template defaults pass through', () => {
    expect(failure([spec('name', 'STRING')], {}).message).toBe('input "name": required STRING input has no value and no default');
    expect(resolveInputs([spec('name', 'STRING', { required: false })], {})).toEqual({ name: null });
    expect(resolveInputs([spec('at', 'DATETIME', { defaults: '{{ now() }}' })], {})).toEqual({ at: '{{ now() }}' });
    expect(resolveInputs([spec('name', 'STRING')], { name: 'x', extra: 'ignored' })).toEqual({ name: 'x' });
  });

  it('applies a STRING validator and INT min/max', () => {
    const specs = [spec('code', 'STRING', { raw: { validator: '[A-Z]{3}' } }), spec('n', 'INT', { raw: { min: 1, max: 12 } })];
    expect(resolveInputs(specs, { code: 'ABC', n: '12' })).toEqual({ code: 'ABC', n: 12 });
    expect(failure(specs, { code: 'ABCD', n: 1 }).message).toBe('input "code": value: "ABCD" does not match the pattern [A-Z]{3}');
    expect(failure(specs, { code: 'ABC', n: 13 }).message).toBe('input "n": value: 13 is above the maximum 12');
  });
});
