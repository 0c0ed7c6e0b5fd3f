/**
 * execution.Assert as Kestra's AssertTest runs it (kestra-io/kestra
 * core/src/test/java/io/kestra/plugin/core/execution/AssertTest.java): the false conditions
 * are logged, counted, and fail the task with the count and the errorMessage.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createTestEngine } from '../../../test/support/engine';

const t = createTestEngine();
afterAll(() => t.close());

const flow = (conditions: string[], extra = '') => `id: assert
namespace: company.team
inputs:
  - id: param
    type: STRING
    defaults: ok
tasks:
  - id: check
    type: io.kestra.plugin.core.execution.Assert
    conditions:
${conditions.map((c) => `      - "${c}"`).join('\n')}
${extra}`;

describe('execution.Assert', () => {
  it('succeeds when every condition is true', async () => {
    const r = await t.run(flow(["{{ inputs.param == 'ok' }}", '{{ 1 + 1 == 2 }}']));
    expect(r.state).toBe('SUCCESS');
  });

  it('fails with "2 assertions failed!" and the errorMessage, logging each false condition', async () => {
    const r = await t.run(flow(["{{ inputs.param == 'ko' }}", '{{ 1 + 1 == 3 }}', '{{ true }}'], '    errorMessage: the input is not ok\n'));
    expect(r.state).toBe('FAILED');
    const logs = t.logsOf(r.id);
    const errors = logs.filter((l) => l.level === 'ERROR').map((l) => l.message);
    expect(errors).toEqual(expect.arrayContaining(["Assertion `{{ inputs.param == 'ko' }}` failed!", 'Assertion `{{ 1 + 1 == 3 }}` failed!']));
    expect(errors.join('\n')).toContain('2 assertions failed!\nthe input is not ok');
  });

  it('counts a condition that cannot render as failed, naming the rendering error', async () => {
    const r = await t.run(flow(['{{ outputs.nothing.value }}']));
    expect(r.state).toBe('FAILED');
    const errors = t.logsOf(r.id).filter((l) => l.level === 'ERROR').map((l) => l.message).join('\n');
    expect(errors).toContain('Assertion `{{ outputs.nothing.value }}` failed, failed to render');
    expect(errors).toContain('1 assertion failed!');
  });
});
