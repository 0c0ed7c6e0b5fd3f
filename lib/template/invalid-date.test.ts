/**
 * A date that holds no time (new Date(NaN), which a variable can carry) renders instead of
 * throwing RangeError out of the template engine: as JSON null, or as "Invalid Date" text.
 * Found by the fault suite's template fuzz (test/faults/template.fuzz.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { defaultHost, renderTemplate } from './index';

const host = defaultHost();

describe('an invalid date in the variables', () => {
  it('renders in a filter block, as JSON, and as text, without an exception', () => {
    const vars = { inputs: { a: new Date(NaN) } };
    expect(() => renderTemplate('{% filter upper %}{{ [inputs] }}{% endfilter %}', vars, host)).not.toThrow();
    expect(renderTemplate('{{ [inputs] }}', vars, host)).toBe('[{"a":null}]');
    expect(renderTemplate('{{ inputs.a }}', vars, host)).toBe('Invalid Date');
  });
});
