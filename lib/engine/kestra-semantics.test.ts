/**
 * How executions move through Kestra's states and the execution-level rules Kestra applies:
 * retries, kills, SLAs, labels and inputs. Each test names the Kestra source or test flow
 * (kestra-io/kestra) or the migration guide page that pins the behaviour.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createTestEngine, statesOf } from '../../test/support/engine';

const t = createTestEngine();
afterAll(() => t.close());

describe('retries', () => {
  it('moves the task run and the execution RUNNING → RETRYING → RUNNING and ends WARNING with warningOnRetry (retry-success.yaml)', async () => {
    // Kestra's retry-success.yaml: the Log fails (`ko` is undefined) until attempt 4; `maxAttempt` is the pre-0.24 spelling.
    const { id, done } = t.engine.start({
      flow: t.flow(`
id: retry-success
namespace: io.kestra.tests
tasks:
- id: failed
  type: io.kestra.plugin.core.log.Log
  message: "{{ taskrun.attemptsCount == 3 ? 'ok' : ko}}"
  retry:
    type: constant
    interval: PT0.05S
    maxAttempt: 4
    maxDuration: PT15S
    warningOnRetry: true
errors:
  - id: never-happen
    type: io.kestra.plugin.core.log.Log
    message: Never {{task.id}}
`),
    });
    const result = await done;
    expect(result.state).toBe('WARNING');
    expect(statesOf(result)).toEqual({ failed: 'WARNING' });
    expect(result.taskRuns[0].attempt).toBe(4);
    // Worker.java: a success after a retry with warningOnRetry is a WARNING; ExecutorService marks RETRYING.
    expect(t.taskRunStates(id, 'failed')).toEqual(['CREATED', 'RUNNING', 'RETRYING', 'RUNNING', 'RETRYING', 'RUNNING', 'RETRYING', 'RUNNING', 'WARNING']);
    expect(t.executionStates(id)).toEqual(['CREATED', 'RUNNING', 'RETRYING', 'RUNNING', 'RETRYING', 'RUNNING', 'RETRYING', 'RUNNING', 'WARNING']);
    expect(t.logsOf(id).some((l) => l.taskId === 'failed' && l.message === 'ok')).toBe(true);
  });

  it("reads `maxAttempt` as `maxAttempts`' alias (migration guide v0.24.0, retries-maxattempts) and a flowable's retry for its children (ExecutorService.searchForParentRetry)", async () => {
    const result = await t.run(`
id: retry-flowable-child
namespace: io.kestra.tests
tasks:
  - id: flowable
    type: io.kestra.plugin.core.flow.Sequential
    retry:
      type: constant
      interval: PT0.01S
      maxAttempt: 3
    tasks:
      - id: child
        type: io.kestra.plugin.core.execution.Fail
`);
    expect(result.state).toBe('FAILED');
    expect(result.taskRuns.find((tr) => tr.taskId === 'child')?.attempt).toBe(3);
    expect(result.taskRuns.find((tr) => tr.taskId === 'flowable')?.attempt).toBe(1);
  });

  it('uses the flow-level retry for a task without one', async () => {
    const result = await t.run(`
id: retry-flow
namespace: io.kestra.tests
retry:
  type: constant
  interval: PT0.01S
  maxAttempts: 2
tasks:
  - id: boom
    type: io.kestra.plugin.core.execution.Fail
`);
    expect(result.taskRuns[0].attempt).toBe(2);
  });
});

describe('kill', () => {
  it('moves the execution and running flowables through KILLING to KILLED; the running task run ends KILLED', async () => {
    const { id, done } = t.engine.start({
      flow: t.flow(`
id: killable
namespace: io.kestra.tests
tasks:
  - id: group
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - id: nap
        type: io.kestra.plugin.core.flow.Sleep
        duration: PT30S
      - id: never
        type: io.kestra.plugin.core.log.Log
        message: never
finally:
  - id: not_after_a_kill
    type: io.kestra.plugin.core.log.Log
    message: finally
`),
    });
    while (!t.taskRunStates(id, 'nap').includes('RUNNING')) await new Promise((r) => setTimeout(r, 10));
    expect(t.engine.cancel(id)).toBe(true);
    const result = await done;
    expect(result.state).toBe('KILLED');
    expect(t.executionStates(id)).toEqual(['CREATED', 'RUNNING', 'KILLING', 'KILLED']);
    expect(t.taskRunStates(id, 'group')).toEqual(['CREATED', 'RUNNING', 'KILLING', 'KILLED']);
    expect(t.taskRunStates(id, 'nap')).toEqual(['CREATED', 'RUNNING', 'KILLED']);
    expect(statesOf(result)).toEqual({ group: 'KILLED', nap: 'KILLED' });
  });
});

describe('flow sla', () => {
  it('fails an execution that runs longer than a MAX_DURATION SLA with behavior FAIL (sla-max-duration-fail.yaml, SLATestCase)', async () => {
    const { id, done } = t.engine.start({
      flow: t.flow(`
id: sla-max-duration-fail
namespace: io.kestra.tests
sla:
  - id: maxDuration
    type: MAX_DURATION
    behavior: FAIL
    duration: PT0.5S
tasks:
  - id: sleep
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT2S
`),
    });
    const started = Date.now();
    const result = await done;
    expect(result.state).toBe('FAILED');
    expect(Date.now() - started).toBeLessThan(1800);
    expect(statesOf(result)).toEqual({ sleep: 'FAILED' });
    const lines = t.logsOf(id).map((l) => [l.level, l.message]);
    expect(lines.some(([level, m]) => level === 'WARN' && /^SLA 'maxDuration' violated: execution duration of PT0\.5\d*S exceed the maximum duration of PT0\.5S\.$/.test(m))).toBe(true);
    expect(lines.some(([level, m]) => level === 'ERROR' && m.startsWith("Execution failed due to SLA 'maxDuration' violated"))).toBe(true);
  });

  it('leaves an execution that ends in time alone (sla-max-duration-ok.yaml)', async () => {
    const result = await t.run(`
id: sla-max-duration-ok
namespace: io.kestra.tests
sla:
  - id: maxDuration
    type: MAX_DURATION
    behavior: FAIL
    duration: PT10S
tasks:
  - id: sleep
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT0.1S
`);
    expect(result.state).toBe('SUCCESS');
  });

  const assertion = `
id: sla-execution-condition
namespace: io.kestra.tests
inputs:
  - id: string
    type: SELECT
    values:
      - PASS
      - CANCEL
      - LABEL
    defaults: PASS
sla:
  - id: condition
    type: EXECUTION_ASSERTION
    behavior: CANCEL
    assert: "{{inputs.string != 'CANCEL'}}"
  - id: condition
    type: EXECUTION_ASSERTION
    behavior: NONE
    assert: "{{inputs.string != 'LABEL'}}"
    labels:
      sla: violated
tasks:
  - id: return
    type: io.kestra.plugin.core.debug.Return
    format: "true"
`;

  it('checks EXECUTION_ASSERTION SLAs as the execution changes: CANCEL cancels, NONE only labels (sla-execution-condition.yaml, SLATestCase)', async () => {
    const pass = await t.run(assertion);
    expect(pass.state).toBe('SUCCESS');
    expect(pass.labels.sla).toBeUndefined();

    const { id, done } = t.engine.start({ flow: t.flow(assertion), inputs: { string: 'CANCEL' } });
    const cancel = await done;
    expect(cancel.state).toBe('CANCELLED');
    expect(t.logsOf(id).some((l) => l.level === 'WARN' && l.message === "SLA 'condition' violated: assertion is false: {{inputs.string != 'CANCEL'}}.")).toBe(true);

    const label = await t.run(assertion, { inputs: { string: 'LABEL' } });
    expect(label.state).toBe('SUCCESS');
    expect(label.labels.sla).toBe('violated');
  });

  it('refuses an SLA without a behavior or with a system label', () => {
    expect(() => t.flow(`
id: bad-sla
namespace: io.kestra.tests
sla:
  - id: x
    type: MAX_DURATION
    duration: PT1S
tasks:
  - id: r
    type: io.kestra.plugin.core.debug.Return
    format: x
`)).toThrow('SLA `behavior` must be one of FAIL, CANCEL, NONE');
    expect(() => t.flow(`
id: bad-sla
namespace: io.kestra.tests
sla:
  - id: x
    type: EXECUTION_ASSERTION
    behavior: NONE
    assert: "{{ true }}"
    labels:
      system.correlationId: mine
tasks:
  - id: r
    type: io.kestra.plugin.core.debug.Return
    format: x
`)).toThrow('system labels can only be set by Kestra itself');
  });
});

describe('labels', () => {
  it('gives every execution a system.correlationId, its own id unless one was inherited (Execution.newExecution)', async () => {
    const yaml = `
id: correlated
namespace: io.kestra.tests
labels:
  team: data
  system.readOnly: "true"
tasks:
  - id: show
    type: io.kestra.plugin.core.debug.Return
    format: "{{ labels.system.correlationId }}"
`;
    const own = await t.run(yaml);
    // The flow's system labels are not copied to the execution (LabelService.labelsExcludingSystem).
    expect(own.labels).toEqual({ team: 'data', 'system.correlationId': own.id });
    expect(own.outputs.show).toEqual({ value: own.id });
    const inherited = await t.run(yaml, { labels: { 'system.correlationId': 'parent-execution' } });
    expect(inherited.labels['system.correlationId']).toBe('parent-execution');
  });
});

describe('inputs', () => {
  it('reads an input id with dots as a path: nested.string is inputs.nested.string (inputs.yaml, InputsTest)', async () => {
    const result = await t.run(`
id: nested-inputs
namespace: io.kestra.tests
inputs:
- id: nested.string
  type: STRING
  required: false
- id: nested.more.int
  type: INT
  required: false
- id: nested.bool
  type: BOOLEAN
  required: false
tasks:
  - id: show
    type: io.kestra.plugin.core.debug.Return
    format: "{{ inputs.nested.string }} {{ inputs.nested.more.int + 1 }} {{ inputs.nested.bool }}"
`, { inputs: { 'nested.string': 'a string', 'nested.more.int': '123', 'nested.bool': 'true' } });
    expect(result.state).toBe('SUCCESS');
    expect(result.outputs.show).toEqual({ value: 'a string 124 true' });
    expect(result.inputs).toEqual({ 'nested.string': 'a string', 'nested.more.int': 123, 'nested.bool': true });
  });

  it('renders input defaults written as templates, then checks their type (Kestra 1.x, migration guide "Input defaults are now dynamic")', async () => {
    const yaml = `
id: dynamic-defaults
namespace: io.kestra.tests
inputs:
  - id: table
    type: STRING
    defaults: "{{ flow.namespace }}_{{ 40 + 2 }}"
  - id: answer
    type: INT
    defaults: "{{ 40 + 2 }}"
tasks:
  - id: show
    type: io.kestra.plugin.core.debug.Return
    format: "{{ inputs.table }} {{ inputs.answer + 1 }}"
`;
    const result = await t.run(yaml);
    expect(result.outputs.show).toEqual({ value: 'io.kestra.tests_42 43' });
    expect(result.inputs).toEqual({ table: 'io.kestra.tests_42', answer: 42 });
    // A value the user gives is taken as it is, never rendered.
    const given = await t.run(yaml, { inputs: { table: '{{ not rendered }}' } });
    expect(given.inputs.table).toBe('{{ not rendered }}');
  });
});

describe('pluggable functions as Kestra 1.x has them', () => {
  it("fails a task whose kv() key is missing (migration guide 0.22.0, kv-error-on-missing), unless errorOnMissing=false", async () => {
    const result = await t.run(`
id: kv-missing
namespace: io.kestra.tests
tasks:
  - id: lenient
    type: io.kestra.plugin.core.debug.Return
    format: "Hello {{ kv('NON_EXISTING_KV_PAIR', errorOnMissing=false) }}"
  - id: this_will_fail
    type: io.kestra.plugin.core.log.Log
    message: "Hello {{ kv('NON_EXISTING_KV_PAIR') }}"
`);
    expect(result.state).toBe('FAILED');
    expect(statesOf(result)).toEqual({ lenient: 'SUCCESS', this_will_fail: 'FAILED' });
    expect(result.taskRuns[1].error).toContain('NON_EXISTING_KV_PAIR');
  });

  it("gives an errors branch this execution's ERROR lines with errorLogs(), as Kestra's LogEntry maps (ErrorLogsFunction)", async () => {
    const result = await t.run(`
id: error-logs
namespace: io.kestra.tests
tasks:
  - id: boom
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: the source was empty
errors:
  - id: alert
    type: io.kestra.plugin.core.debug.Return
    format: "Failure alert: {{ errorLogs()[0]['taskId'] }}: {{ errorLogs()[0]['message'] }} ({{ errorLogs()[0].level }}, {{ errorLogs() | length }})"
`);
    expect(result.state).toBe('FAILED');
    expect(result.outputs.alert).toEqual({ value: 'Failure alert: boom: the source was empty (ERROR, 1)' });
  });

  it('reads the output of the current iteration with currentEachOutput() inside nested loops (current-output.yaml, CurrentEachOutputFunctionTest)', async () => {
    const result = await t.run(`
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
            - id: 1-1-1_return
              type: io.kestra.plugin.core.debug.Return
              format: "return-{{ currentEachOutput(outputs['1-1-1_output']).value }}"
  - id: 2_each
    type: io.kestra.plugin.core.flow.ForEach
    values: '["v41", "v42"]'
    tasks:
      - id: 2-1_output
        type: io.kestra.plugin.core.debug.Return
        format: "{{ taskrun.value }}"
      - id: 2-1_return
        type: io.kestra.plugin.core.debug.Return
        format: "return-{{ currentEachOutput(outputs['2-1_output']).value }}"
  - id: 2_sequential
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - id: 2-1_sequential
        type: io.kestra.plugin.core.flow.Sequential
        tasks:
          - id: 2-1-1_output
            type: io.kestra.plugin.core.debug.Return
            format: "{{ taskrun.id }}"
          - id: 2-1-1_return
            type: io.kestra.plugin.core.debug.Return
            format: "return-{{ outputs['2-1-1_output'].value }}"
`);
    expect(result.state).toBe('SUCCESS');
    const out1 = result.outputs['1-1-1_return'] as Record<string, Record<string, Record<string, { value: string }>>>;
    expect(out1.v11.v21.v31.value).toBe('return-v11-v21-v31');
    expect(out1.v11.v22.v32.value).toBe('return-v11-v22-v32');
    expect(out1.v12.v21.v31.value).toBe('return-v12-v21-v31');
    const out2 = result.outputs['2-1_return'] as Record<string, { value: string }>;
    expect(out2.v41.value).toBe('return-v41');
    expect(out2.v42.value).toBe('return-v42');
  });
});
