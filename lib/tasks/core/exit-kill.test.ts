/**
 * execution.Exit and execution.Kill on Kestra's example (kestra-io/kestra
 * core/src/main/java/io/kestra/plugin/core/execution/Exit.java): the execution ends at once in
 * the Exit's state, the Exit task run and its parent with it, and no later task starts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createTestEngine } from '../../../test/support/engine';

const t = createTestEngine();
afterAll(() => t.close());

const exitFlow = (state: string) => `id: exit
namespace: company.team
inputs:
  - id: state
    type: SELECT
    values: [CONTINUE, END]
    defaults: END
tasks:
  - id: if
    type: io.kestra.plugin.core.flow.If
    condition: "{{ inputs.state == 'CONTINUE' }}"
    then:
      - id: hello
        type: io.kestra.plugin.core.log.Log
        message: I'm continuing
    else:
      - id: exit
        type: io.kestra.plugin.core.execution.Exit
        state: ${state}
  - id: end
    type: io.kestra.plugin.core.log.Log
    message: I'm ending
errors:
  - id: on_error
    type: io.kestra.plugin.core.log.Log
    message: errors ran
`;

describe('execution.Exit', () => {
  it.each([
    ['SUCCESS', 'SUCCESS'],
    ['WARNING', 'WARNING'],
    ['FAILED', 'FAILED'],
    ['CANCELED', 'CANCELLED'],
    ['KILLED', 'KILLED'],
  ])('state %s: the execution, the Exit and its If end %s; the tasks after it and `errors` do not run', async (state, expected) => {
    const r = await t.run(exitFlow(state));
    expect(r.state).toBe(expected);
    expect(r.taskRuns.find((tr) => tr.taskId === 'exit')?.state).toBe(expected);
    expect(r.taskRuns.find((tr) => tr.taskId === 'if')?.state).toBe(expected);
    expect(r.taskRuns.map((tr) => tr.taskId)).not.toContain('end');
    expect(r.taskRuns.map((tr) => tr.taskId)).not.toContain('on_error');
  });

  it('when the branch does not exit, the flow runs on', async () => {
    const r = await t.run(exitFlow('SUCCESS'), { inputs: { state: 'CONTINUE' } });
    expect(r.state).toBe('SUCCESS');
    expect(r.taskRuns.map((tr) => tr.taskId)).toEqual(expect.arrayContaining(['hello', 'end']));
  });
});

describe('execution.Kill', () => {
  it('kills this execution by default: a parallel sleeper stops and nothing after runs', async () => {
    const r = await t.run(`id: kill
namespace: company.team
tasks:
  - id: parallel
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: sleeper
        type: io.kestra.plugin.core.flow.Sleep
        duration: PT30S
      - id: kill
        type: io.kestra.plugin.core.execution.Kill
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: never
`);
    expect(r.state).toBe('KILLED');
    expect(r.taskRuns.find((tr) => tr.taskId === 'sleeper')?.state).toBe('KILLED');
    expect(r.taskRuns.map((tr) => tr.taskId)).not.toContain('after');
  });

  it('an execution id that is not running is a warning, not a failure', async () => {
    const r = await t.run(`id: kill_other
namespace: company.team
tasks:
  - id: kill
    type: io.kestra.plugin.core.execution.Kill
    executionId: nothing-here
`);
    expect(r.state).toBe('SUCCESS');
    expect(t.logsOf(r.id).map((l) => l.message)).toContain('execution nothing-here is not running: nothing to kill');
  });
});
