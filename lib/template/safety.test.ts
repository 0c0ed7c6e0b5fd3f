import { describe, expect, it } from 'vitest';
import { defaultHost, evaluateExpression, MissingVariableError, renderTemplate, renderValue } from './index';

const host = defaultHost();
const vars = { inputs: { name: 'x' }, s: 'text', list: [1, 2] };

describe('evaluation is safe', () => {
  it.each([
    '{{ inputs.__proto__ }}', "{{ inputs['constructor'] }}", '{{ s.constructor }}', '{{ list.__proto__ }}',
    '{{ constructor }}', '{{ toString }}', "{{ inputs['hasOwnProperty'] }}",
  ])('%s is a missing variable, never a prototype', (template) => {
    expect(() => renderTemplate(template, vars, host)).toThrow(MissingVariableError);
  });

  it('does not let a map literal set a prototype', () => {
    expect(renderTemplate("{% set m = {'__proto__': 1} %}{{ m['__proto__'] }}", vars, host)).toBe('1');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('caps nesting instead of overflowing the stack', () => {
    const deep = `${'('.repeat(500)}1${')'.repeat(500)}`;
    expect(() => evaluateExpression(deep, vars, host)).toThrow(/nested deeper/);
  });

  it('refuses a huge range', () => {
    expect(() => renderTemplate('{{ 1..100000000 }}', vars, host)).toThrow(/larger than/);
  });
});

describe('public API', () => {
  it('evaluateExpression returns native values', () => {
    expect(evaluateExpression("inputs.name == 'x' and list | length > 1", vars, host)).toBe(true);
    expect(evaluateExpression('[1, 2.0, {"a": 3}]', vars, host)).toEqual([1, 2, { a: 3 }]);
  });

  it('renderValue renders keys and values of maps and lists, and leaves other scalars', () => {
    expect(renderValue({ '{{ inputs.name }}_key': ['{{ s }}', 3, true, null] }, vars, host)).toEqual({ x_key: ['text', 3, true, null] });
  });

  it('reads secrets from SECRET_<KEY> as base64, like Kestra OSS', () => {
    const h = defaultHost();
    process.env.SECRET_DB_PASSWORD = Buffer.from('s3cret').toString('base64');
    try {
      expect(renderTemplate("{{ secret('db_password') }}", {}, h)).toBe('s3cret');
    } finally {
      delete process.env.SECRET_DB_PASSWORD;
    }
    expect(() => renderTemplate("{{ secret('nope') }}", {}, h)).toThrow(/SECRET_NOPE/);
  });
});
