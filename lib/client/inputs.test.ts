import { describe, expect, it } from 'vitest';
import type { InputSpec } from '@/lib/contract';
import { initialDraft, readInput, readInputs } from './inputs';

const spec = (over: Partial<InputSpec>): InputSpec => ({ id: 'x', type: 'STRING', required: false, raw: {}, ...over });

describe('inputs form', () => {
  it('starts SELECT from its default and refuses values outside the list', () => {
    const taxi = spec({ id: 'taxi', type: 'SELECT', values: ['yellow', 'green'], defaults: 'yellow' });
    expect(initialDraft(taxi)).toBe('yellow');
    expect(readInput(taxi, 'green')).toEqual({ ok: true, value: 'green' });
    expect(readInput(taxi, 'blue')).toEqual({ ok: false, error: 'one of yellow, green' });
  });

  it('checks numbers, JSON and durations', () => {
    expect(readInput(spec({ type: 'INT' }), '12')).toEqual({ ok: true, value: 12 });
    expect(readInput(spec({ type: 'INT' }), '1.5')).toMatchObject({ ok: false });
    expect(readInput(spec({ type: 'JSON' }), '["a","b"]')).toEqual({ ok: true, value: ['a', 'b'] });
    expect(readInput(spec({ type: 'JSON' }), '{')).toMatchObject({ ok: false });
    expect(readInput(spec({ type: 'DURATION' }), 'PT30M')).toEqual({ ok: true, value: 'PT30M' });
    expect(readInput(spec({ type: 'DURATION' }), '30 minutes')).toMatchObject({ ok: false });
  });

  it('requires a required input without default, and omits an empty optional one', () => {
    const { values, errors } = readInputs(
      [spec({ id: 'name', required: true }), spec({ id: 'opt' }), spec({ id: 'flag', type: 'BOOLEAN', defaults: true })],
      {},
    );
    expect(errors).toEqual({ name: 'required' });
    expect(values).toEqual({ flag: true });
  });

  it('turns an ARRAY textarea into one item per line', () => {
    const cols = spec({ type: 'ARRAY', defaults: ['brand', 'price'] });
    expect(initialDraft(cols)).toBe('brand\nprice');
    expect(readInput(cols, 'brand\n\nprice\n')).toEqual({ ok: true, value: ['brand', 'price'] });
  });
});
