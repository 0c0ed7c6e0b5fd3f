/**
 * Flowable tasks as Kestra runs them. Each test runs one of Kestra's own test flows
 * (kestra-io/kestra core/src/test/resources/flows/valids/…, adapted where noted) and checks
 * what Kestra's test of it checks.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createTestEngine, statesOf } from '../../test/support/engine';

const t = createTestEngine();
afterAll(() => t.close());

function taskRunsOf(result: { taskRuns: { taskId: string; state: string; value?: string }[] }, taskId: string) {
  return result.taskRuns.filter((tr) => tr.taskId === taskId);
}

describe('errors and finally on flowable tasks', () => {
  it("runs a Sequential's own errors when its children fail (sequential-with-local-errors.yaml, SequentialTest)", async () => {
    const result = await t.run(`
id: sequential-with-local-errors
namespace: io.kestra.tests
tasks:
  - id: parent-seq
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - id: t1
        type: io.kestra.plugin.core.debug.Return
        format: "{{task.id}} > {{taskrun.startDate}}"
      - id: t2_seq
        type: io.kestra.plugin.core.flow.Sequential
        tasks:
          - id: t2-t1
            type: io.kestra.plugin.core.execution.Fail
          - id: t2-t2
            type: io.kestra.plugin.core.debug.Return
            format: "{{task.id}} > {{taskrun.id}}"
        errors:
          - id: error-t1
            type: io.kestra.plugin.core.debug.Return
            format: "Error Trigger ! {{task.id}}"
          - id: error-t2
            type: io.kestra.plugin.core.debug.Return
            format: "Error Trigger ! {{task.id}}"
`);
    expect(result.state).toBe('FAILED');
    expect(result.taskRuns).toHaveLength(6);
    expect(statesOf(result)).toEqual({
      'parent-seq': 'FAILED',
      t1: 'SUCCESS',
      t2_seq: 'FAILED',
      't2-t1': 'FAILED',
      'error-t1': 'SUCCESS',
      'error-t2': 'SUCCESS',
    });
    expect(result.outputs['error-t2']).toEqual({ value: 'Error Trigger ! error-t2' });
  });

  it('runs a flowable\'s errors, then its finally, and finally also after a success (FinallyTest: finally-sequential-error)', async () => {
    const yaml = `
id: finally-sequential-error
namespace: io.kestra.tests
inputs:
  - id: failed
    type: BOOLEAN
tasks:
  - id: seq
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - id: ok
        type: io.kestra.plugin.core.debug.Return
        format: ok
      - id: ko
        type: io.kestra.plugin.core.execution.Fail
        runIf: "{{ inputs.failed }}"
    errors:
      - id: e1
        type: io.kestra.plugin.core.debug.Return
        format: e1
      - id: e2
        type: io.kestra.plugin.core.debug.Return
        format: e2
    finally:
      - id: a1
        type: io.kestra.plugin.core.debug.Return
        format: a1
      - id: a2
        type: io.kestra.plugin.core.debug.Return
        format: a2
`;
    const failed = await t.run(yaml, { inputs: { failed: true } });
    expect(failed.state).toBe('FAILED');
    expect(failed.taskRuns).toHaveLength(7);
    expect(statesOf(failed)).toEqual({ seq: 'FAILED', ok: 'SUCCESS', ko: 'FAILED', e1: 'SUCCESS', e2: 'SUCCESS', a1: 'SUCCESS', a2: 'SUCCESS' });
    // errors run before finally
    expect(order(failed, 'e2')).toBeLessThan(order(failed, 'a1'));
    const ok = await t.run(yaml, { inputs: { failed: false } });
    expect(ok.state).toBe('SUCCESS');
    expect(statesOf(ok)).toEqual({ seq: 'SUCCESS', ok: 'SUCCESS', ko: 'SKIPPED', a1: 'SUCCESS', a2: 'SUCCESS' });
  });

  it('runs the errors of a ForEach and of a Switch when one of their tasks fails (FlowableUtils.resolveState for every flowable)', async () => {
    const result = await t.run(`
id: flowable-errors
namespace: io.kestra.tests
tasks:
  - id: loop
    type: io.kestra.plugin.core.flow.ForEach
    values: [a, b]
    tasks:
      - id: pick
        type: io.kestra.plugin.core.flow.Switch
        value: "{{ taskrun.value }}"
        cases:
          b:
            - id: broken
              type: io.kestra.plugin.core.execution.Fail
              errorMessage: "b is broken"
        defaults:
          - id: fine
            type: io.kestra.plugin.core.debug.Return
            format: "{{ parent.taskrun.value }} is fine"
        errors:
          - id: switch_error
            type: io.kestra.plugin.core.debug.Return
            format: "switch saw {{ errorLogs()[0].message }}"
    errors:
      - id: loop_error
        type: io.kestra.plugin.core.debug.Return
        format: loop handled it
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: never
`);
    expect(result.state).toBe('FAILED');
    expect(statesOf(result)).toEqual({ loop: 'FAILED', pick: 'FAILED', fine: 'SUCCESS', broken: 'FAILED', switch_error: 'SUCCESS', loop_error: 'SUCCESS' });
    expect(result.outputs.fine).toEqual({ a: { value: 'a is fine' } });
    expect(result.outputs.switch_error).toEqual({ b: { value: 'switch saw b is broken' } });
    expect(result.outputs.loop_error).toEqual({ value: 'loop handled it' });
  });

  it('lets AllowFailure end WARNING after its own errors ran, and the flow go on (allow-failure.yaml, AllowFailureTest)', async () => {
    // Adapted: `crash` is optional and tested with `!= null` instead of Kestra's `is defined`.
    const yaml = `
id: allow-failure
namespace: io.kestra.tests
inputs:
  - id: crash
    type: STRING
    required: false
tasks:
  - id: first
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - id: 1-1-allow-failure
        type: io.kestra.plugin.core.flow.AllowFailure
        tasks:
          - id: 1-1-1_seq
            type: io.kestra.plugin.core.flow.Sequential
            tasks:
              - id: 1-1-1-1
                type: io.kestra.plugin.core.debug.Return
                format: "{{task.id}} > {{taskrun.startDate}}"
              - id: ko
                type: io.kestra.plugin.core.execution.Fail
              - id: 1-1-1-3
                type: io.kestra.plugin.core.debug.Return
                format: "{{task.id}} > {{taskrun.startDate}}"
        errors:
          - id: local-error
            type: io.kestra.plugin.core.debug.Return
            format: "Error Trigger ! {{task.id}}"
      - id: 1-2-todo
        type: io.kestra.plugin.core.debug.Return
        format: "{{task.id}} > {{taskrun.startDate}}"
  - id: switch
    type: io.kestra.plugin.core.flow.Switch
    value: "{{ inputs.crash != null }}"
    cases:
      "true":
        - id: crash
          type: io.kestra.plugin.core.execution.Fail
    defaults:
      - id: last
        type: io.kestra.plugin.core.debug.Return
        format: "{{task.id}} > {{taskrun.startDate}}"
errors:
  - id: global-error
    type: io.kestra.plugin.core.debug.Return
    format: "Error Trigger ! {{task.id}}"
`;
    const success = await t.run(yaml);
    expect(success.taskRuns).toHaveLength(9);
    expect(success.state).toBe('WARNING');
    expect(statesOf(success)).toMatchObject({ first: 'WARNING', '1-1-allow-failure': 'WARNING', '1-1-1_seq': 'FAILED', ko: 'FAILED', 'local-error': 'SUCCESS', '1-2-todo': 'SUCCESS', last: 'SUCCESS' });
    expect(taskRunsOf(success, 'global-error')).toHaveLength(0);

    const failed = await t.run(yaml, { inputs: { crash: '1' } });
    expect(failed.taskRuns).toHaveLength(10);
    expect(failed.state).toBe('FAILED');
    expect(statesOf(failed)).toMatchObject({ first: 'WARNING', switch: 'FAILED', crash: 'FAILED', 'global-error': 'SUCCESS' });
  });
});

function order(result: { taskRuns: { taskId: string }[] }, taskId: string): number {
  return result.taskRuns.findIndex((tr) => tr.taskId === taskId);
}

describe('ForEach values, parents and outputs', () => {
  it("stores nested loop outputs under every enclosing value, so outputs['t'].s1['a a'] reads one (each-sequential-nested.yaml, EachSequentialTest)", async () => {
    const result = await t.run(`
id: each-sequential-nested
namespace: io.kestra.tests
tasks:
  - id: 1_each
    type: io.kestra.plugin.core.flow.EachSequential
    value: ["s1", "s2", "s3"]
    tasks:
      - id: 1-1_return
        type: io.kestra.plugin.core.debug.Return
        format: "{{task.id}} > {{taskrun.value}} > {{taskrun.startDate}}"
      - id: 1-2_each
        type: io.kestra.plugin.core.flow.EachSequential
        value: '["a a", "b b"]'
        tasks:
          - id: 1-2-1_return
            type: io.kestra.plugin.core.debug.Return
            format: "{{task.id}} > {{taskrun.value}} > {{taskrun.startDate}}"
          - id: 1-2-2_return
            type: io.kestra.plugin.core.debug.Return
            format: "{{task.id}} > {{ outputs['1-2-1_return'].s1[taskrun.value].value }} >> get {{ outputs['1-2-1_return']['s1'][taskrun.value].value }} > {{taskrun.startDate}}"
      - id: 1-3_return
        type: io.kestra.plugin.core.debug.Return
        format: "{{task.id}} > {{ outputs['1-1_return'][taskrun.value].value }} > {{taskrun.startDate}}"
  - id: 2_return
    type: io.kestra.plugin.core.debug.Return
    format: "{{task.id}} > {{outputs['1-2-1_return'].s1['a a'].value}}"
`);
    expect(result.state).toBe('SUCCESS');
    expect(result.taskRuns).toHaveLength(23);
    const byTask = result.outputs as Record<string, Record<string, Record<string, Record<string, string>>>>;
    const lastWithValue = byTask['1-2-1_return'].s1['a a'];
    expect(lastWithValue.value).toMatch(/^1-2-1_return > a a > /);
    expect((result.outputs['2_return'] as { value: string }).value).toBe(`2_return > ${lastWithValue.value}`);
    // 1-3 reads 1-1's output of its own value.
    const evalL1 = (result.outputs['1-3_return'] as Record<string, { value: string }>).s1.value;
    expect(evalL1).toContain((result.outputs['1-1_return'] as Record<string, { value: string }>).s1.value);
    const evalL2 = byTask['1-2-2_return'].s1['a a'].value;
    expect(evalL2).toContain(`get ${lastWithValue.value}`);
    // Only a loop's own children carry its value.
    expect(taskRunsOf(result, '1-2-1_return').map((tr) => tr.value)).toEqual(['a a', 'b b', 'a a', 'b b', 'a a', 'b b']);
    expect(taskRunsOf(result, '1-2_each').map((tr) => tr.value)).toEqual(['s1', 's2', 's3']);
  });

  it('gives parents[0].taskrun.value the enclosing loop value, skipping parents with neither value nor outputs (current-output.yaml, each-switch.yaml)', async () => {
    const nested = await t.run(`
id: test-current-output
namespace: io.kestra.tests
tasks:
  - id: 1_each
    type: io.kestra.plugin.core.flow.ForEach
    values: '["v11", "v12"]'
    tasks:
      - id: 1-1_each
        type: io.kestra.plugin.core.flow.ForEach
        values: '["v21", "v22"]'
        tasks:
          - id: 1-1-1_each
            type: io.kestra.plugin.core.flow.ForEach
            values: '["v31", "v32"]'
            tasks:
            - id: 1-1-1_output
              type: io.kestra.plugin.core.debug.Return
              format: "{{ parents[1].taskrun.value }}-{{ parents[0].taskrun.value }}-{{ taskrun.value }}"
`);
    expect(nested.state).toBe('SUCCESS');
    const out = nested.outputs['1-1-1_output'] as Record<string, Record<string, Record<string, { value: string }>>>;
    expect(out.v11.v21.v31.value).toBe('v11-v21-v31');
    expect(out.v12.v22.v32.value).toBe('v12-v22-v32');

    const withSwitch = await t.run(`
id: each-switch
namespace: io.kestra.tests
tasks:
  - id: t1
    type: io.kestra.plugin.core.debug.Return
    format: "{{task.id}} > {{taskrun.startDate}}"
  - id: 2_each
    type: io.kestra.plugin.core.flow.ForEach
    values: '["a", "b"]'
    tasks:
      - id: 2-1_switch
        type: io.kestra.plugin.core.flow.Switch
        value: "{{taskrun.value}}"
        cases:
          a:
            - id: 2-1_switch-letter-a
              type: io.kestra.plugin.core.debug.Return
              format: "{{task.id}}"
          b:
            - id: 2-1_switch-letter-b
              type: io.kestra.plugin.core.debug.Return
              format: "{{task.id}}"
            - id: 2-1_each
              type: io.kestra.plugin.core.flow.ForEach
              values: '["1", "2"]'
              tasks:
              - id: 2-1-1_switch
                type: io.kestra.plugin.core.flow.Switch
                value: "{{taskrun.value}}"
                cases:
                  1:
                    - id: 2-1-1_switch-number-1
                      type: io.kestra.plugin.core.debug.Return
                      format: "{{parents[0].taskrun.value}}"
                  2:
                    - id: 2-1-1_switch-number-2
                      type: io.kestra.plugin.core.debug.Return
                      format: "{{parents[0].taskrun.value}} {{parents[1].taskrun.value}}"
  - id: 2_end
    type: io.kestra.plugin.core.debug.Return
    format: "{{task.id}} > {{taskrun.startDate}}"
`);
    expect(withSwitch.state).toBe('SUCCESS');
    expect(withSwitch.taskRuns).toHaveLength(12);
    const number1 = withSwitch.outputs['2-1-1_switch-number-1'] as Record<string, Record<string, { value: string }>>;
    const number2 = withSwitch.outputs['2-1-1_switch-number-2'] as Record<string, Record<string, { value: string }>>;
    expect(number1.b['1'].value).toBe('1');
    expect(number2.b['2'].value).toBe('2 b');
  });

  it('fails a ForEach whose values contain null, before any child runs (each-null.yaml, EachSequentialTest#eachNull)', async () => {
    const result = await t.run(`
id: each-null
namespace: io.kestra.tests
tasks:
  - id: 1_each
    type: io.kestra.plugin.core.flow.ForEach
    values: '[1, null, {"key": "my-key", "value": "my-value"}]'
    tasks:
      - id: 1-1
        type: io.kestra.plugin.core.debug.Return
        format: "{{task.id}} > {{taskrun.value}} > {{taskrun.startDate}}"
  - id: 2_end
    type: io.kestra.plugin.core.debug.Return
    format: "{{task.id}} > {{taskrun.startDate}}"
`);
    expect(result.state).toBe('FAILED');
    expect(result.taskRuns).toHaveLength(1);
    expect(result.taskRuns[0].error).toBe('Found a null value inside the iteration values="[1, null, {\\"key\\": \\"my-key\\", \\"value\\": \\"my-value\\"}]"');
    const listed = await t.run(`
id: each-null-list
namespace: io.kestra.tests
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: [a, null]
    tasks:
      - id: never
        type: io.kestra.plugin.core.debug.Return
        format: x
`);
    expect(listed.state).toBe('FAILED');
    expect(statesOf(listed)).toEqual({ each: 'FAILED' });
  });

  it('succeeds on an empty list and runs duplicate values once (each-empty.yaml, FlowableUtils.resolveValues distinct)', async () => {
    const empty = await t.run(`
id: each-empty
namespace: io.kestra.tests
tasks:
  - id: 1_each
    type: io.kestra.plugin.core.flow.ForEach
    values: '[]'
    tasks:
      - id: 1-1
        type: io.kestra.plugin.core.debug.Return
        format: "{{task.id}}"
  - id: 2_end
    type: io.kestra.plugin.core.debug.Return
    format: "{{task.id}}"
`);
    expect(empty.state).toBe('SUCCESS');
    expect(empty.taskRuns).toHaveLength(2);
    const dup = await t.run(`
id: each-dup
namespace: io.kestra.tests
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: [a, b, a, 1]
    tasks:
      - id: r
        type: io.kestra.plugin.core.debug.Return
        format: "{{ taskrun.value }}"
`);
    expect(taskRunsOf(dup, 'r').map((tr) => tr.value)).toEqual(['a', 'b', '1']);
  });
});

describe('Switch', () => {
  it('accepts `defaults: null` when the flow is read and fails the run when no case matches (switch-impossible.yaml, SwitchTest#switchImpossible)', async () => {
    const yaml = `
id: switch-impossible
namespace: io.kestra.tests
inputs:
  - id: string
    type: STRING
tasks:
  - id: impossible
    type: io.kestra.plugin.core.flow.Switch
    value: "{{inputs.string}}"
    cases:
      "NO":
      - id: date
        type: io.kestra.plugin.core.debug.Return
        format: "{{taskrun.startDate}}"
    defaults: null
`;
    const { id, done } = t.engine.start({ flow: t.flow(yaml), inputs: { string: 'impossible' } });
    const result = await done;
    expect(result.state).toBe('FAILED');
    expect(statesOf(result)).toEqual({ impossible: 'FAILED' });
    expect(result.outputs.impossible).toEqual({ value: 'impossible', defaults: true });
    expect(t.logsOf(id).some((l) => l.level === 'WARN' && l.message.startsWith("No task found on flow 'io.kestra.tests.switch-impossible', task 'impossible'"))).toBe(true);
    const matching = await t.engine.start({ flow: t.flow(yaml), inputs: { string: 'NO' } }).done;
    expect(matching.state).toBe('SUCCESS');
  });

  it('refuses a Switch with neither cases nor defaults, as SwitchTaskValidator does (flows/invalids/switch-invalid.yaml)', () => {
    expect(() => t.flow(`
id: switch-invalid
namespace: io.kestra.tests
tasks:
  - id: impossible
    type: io.kestra.plugin.core.flow.Switch
    value: x
    cases: {}
    defaults: null
`)).toThrow('No task defined, neither cases or default have any tasks');
  });
});

describe('Dag', () => {
  const dagYaml = (concurrent: number) => `
id: dag
namespace: io.kestra.tests
tasks:
  - id: dag
    description: "my task"
    type: io.kestra.plugin.core.flow.Dag
    concurrent: ${concurrent}
    tasks:
      - task:
          id: task1
          type: io.kestra.plugin.core.flow.Sleep
          duration: PT0.05S
      - task:
          id: task2
          type: io.kestra.plugin.core.flow.Sleep
          duration: PT0.1S
        dependsOn:
          - task1
      - task:
          id: task3
          type: io.kestra.plugin.core.flow.Sleep
          duration: PT0.1S
        dependsOn:
          - task1
      - task:
          id: task4
          type: io.kestra.plugin.core.log.Log
          message: "{{ task.id }}"
        dependsOn:
          - task2
      - task:
          id: task5
          type: io.kestra.plugin.core.log.Log
          message: "{{ task.id }}"
        dependsOn:
          - task4
          - task3
      - task:
          id: task6
          type: io.kestra.plugin.core.log.Log
          message: "{{ task.id }}"
        dependsOn:
          - task2
          - task3
`;

  it('starts each task once its dependencies have ended, independent ones side by side (dag.yaml, DagTest)', async () => {
    const { id, done } = t.engine.start({ flow: t.flow(dagYaml(0)) });
    const result = await done;
    expect(result.state).toBe('SUCCESS');
    expect(result.taskRuns).toHaveLength(7);
    const at = (taskId: string, state: string) =>
      t.events.findIndex((e) => e.kind === 'taskrun' && e.taskRun.executionId === id && e.taskRun.taskId === taskId && e.taskRun.state === state);
    expect(at('task2', 'RUNNING')).toBeGreaterThan(at('task1', 'SUCCESS'));
    expect(at('task5', 'RUNNING')).toBeGreaterThan(at('task4', 'SUCCESS'));
    expect(at('task5', 'RUNNING')).toBeGreaterThan(at('task3', 'SUCCESS'));
    expect(at('task6', 'RUNNING')).toBeGreaterThan(at('task2', 'SUCCESS'));
    // task2 and task3 ran side by side: the second started before the first ended.
    expect(at('task3', 'RUNNING')).toBeLessThan(at('task2', 'SUCCESS'));
  });

  it('runs at most `concurrent` tasks at once', async () => {
    const { id, done } = t.engine.start({ flow: t.flow(dagYaml(1)) });
    expect((await done).state).toBe('SUCCESS');
    const at = (taskId: string, state: string) =>
      t.events.findIndex((e) => e.kind === 'taskrun' && e.taskRun.executionId === id && e.taskRun.taskId === taskId && e.taskRun.state === state);
    expect(at('task3', 'RUNNING')).toBeGreaterThan(at('task2', 'SUCCESS'));
  });

  it('refuses unknown dependencies and cycles with DagTaskValidator\'s messages', () => {
    const dag = (deps: string) => `
id: bad-dag
namespace: io.kestra.tests
tasks:
  - id: dag
    type: io.kestra.plugin.core.flow.Dag
    tasks:
      - task:
          id: a
          type: io.kestra.plugin.core.log.Log
          message: a
        dependsOn: [${deps}]
      - task:
          id: b
          type: io.kestra.plugin.core.log.Log
          message: b
        dependsOn: [a]
`;
    expect(() => t.flow(dag('nope'))).toThrow('Not existing task id in dependency: nope');
    expect(() => t.flow(dag('b'))).toThrow('Cyclic dependency detected: a, b');
  });

  it('stops starting tasks after one failed and runs the Dag\'s errors', async () => {
    const result = await t.run(`
id: dag-fail
namespace: io.kestra.tests
tasks:
  - id: dag
    type: io.kestra.plugin.core.flow.Dag
    tasks:
      - task:
          id: boom
          type: io.kestra.plugin.core.execution.Fail
      - task:
          id: after
          type: io.kestra.plugin.core.log.Log
          message: never
        dependsOn: [boom]
    errors:
      - id: handled
        type: io.kestra.plugin.core.log.Log
        message: handled
`);
    expect(result.state).toBe('FAILED');
    expect(statesOf(result)).toEqual({ dag: 'FAILED', boom: 'FAILED', handled: 'SUCCESS' });
  });
});
