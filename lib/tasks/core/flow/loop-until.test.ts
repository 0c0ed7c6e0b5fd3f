/**
 * LoopUntil (formerly WaitFor) on Kestra's own test flows (kestra-io/kestra
 * core/src/test/resources/flows/valids/waitfor*.yaml) with the outcomes WaitForCaseTest checks.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createTestEngine, statesOf } from '../../../../test/support/engine';

const t = createTestEngine();
afterAll(() => t.close());

const flow = (id: string, body: string) => `
id: ${id}
namespace: io.kestra.tests
tasks:
${body}`;

describe('LoopUntil', () => {
  it('loops until the condition holds; iterationCount starts at 1 (waitfor-multiple-tasks.yaml)', async () => {
    const { id, done } = t.engine.start({
      flow: t.flow(flow('waitfor-multiple-tasks', `
  - id: waitfor
    type: io.kestra.plugin.core.flow.WaitFor
    condition: "{{ outputs.output_values.values.count == '4'}}"
    checkFrequency:
      interval: PT0.05S
    tasks:
      - id: echo
        type: io.kestra.core.tasks.log.Log
        message: "looping ..."
      - id: output_values
        type: io.kestra.plugin.core.output.OutputValues
        values:
          count: "{{ outputs.waitfor.iterationCount + 1 }}"`)),
    });
    const result = await done;
    expect(result.state).toBe('SUCCESS');
    expect(result.outputs.output_values).toEqual({ values: { count: '4' } });
    expect(result.outputs.waitfor).toEqual({ iterationCount: 4 });
    const iterations = result.taskRuns.filter((tr) => tr.taskId === 'echo').map((tr) => tr.iteration);
    expect(iterations).toEqual([1, 2, 3]);
    // Between iterations Kestra pauses the loop and the execution (ExecutorService "pauseLoop").
    expect(t.taskRunStates(id, 'waitfor')).toEqual(['CREATED', 'RUNNING', 'PAUSED', 'RUNNING', 'PAUSED', 'RUNNING', 'SUCCESS']);
    expect(t.executionStates(id)).toEqual(['CREATED', 'RUNNING', 'PAUSED', 'RUNNING', 'PAUSED', 'RUNNING', 'SUCCESS']);
  });

  it('stops at once when the condition holds after the first iteration (waitfor.yaml)', async () => {
    const result = await t.run(flow('waitfor', `
  - id: waitfor
    type: io.kestra.plugin.core.flow.LoopUntil
    condition: "{{ outputs.output_values.values.count != '4'}}"
    tasks:
      - id: output_values
        type: io.kestra.plugin.core.output.OutputValues
        values:
          count: "{{ outputs.waitfor.iterationCount + 1 }}"`));
    expect(result.state).toBe('SUCCESS');
    expect(result.outputs.waitfor).toEqual({ iterationCount: 2 });
  });

  it('fails once maxIterations is reached with failOnMaxReached (waitfor-max-iterations.yaml)', async () => {
    const { id, done } = t.engine.start({
      flow: t.flow(flow('waitfor-max-iterations', `
  - id: waitfor
    type: io.kestra.plugin.core.flow.WaitFor
    condition: "{{ outputs.output_values.values.count == '10'}}"
    checkFrequency:
      maxIterations: 3
      interval: PT0.02S
    failOnMaxReached: true
    tasks:
      - id: output_values
        type: io.kestra.plugin.core.output.OutputValues
        values:
          count: "{{ outputs.waitfor.iterationCount + 1 }}"`)),
    });
    const result = await done;
    expect(result.state).toBe('FAILED');
    expect(result.taskRuns.filter((tr) => tr.taskId === 'output_values')).toHaveLength(3);
    expect(t.logsOf(id).some((l) => l.level === 'WARN' && l.message === 'Max iterations reached')).toBe(true);
  });

  it('fails once maxDuration is reached with failOnMaxReached (waitfor-max-duration.yaml, shortened)', async () => {
    const result = await t.run(flow('waitfor-max-duration', `
  - id: waitfor
    type: io.kestra.plugin.core.flow.WaitFor
    condition: "{{ outputs.output_values.values.count == '-5'}}"
    checkFrequency:
      maxDuration: PT0.3S
      interval: PT0.05S
    failOnMaxReached: true
    tasks:
      - id: output_values
        type: io.kestra.plugin.core.output.OutputValues
        values:
          count: "{{ outputs.waitfor.iterationCount + 1 }}"`));
    expect(result.state).toBe('FAILED');
    expect(result.taskRuns[0].error).toBe('Max duration reached');
  });

  it('ends as its tasks ended when the maximum is reached without failOnMaxReached (waitfor-no-success.yaml)', async () => {
    const result = await t.run(flow('waitfor-no-success', `
  - id: waitfor
    type: io.kestra.plugin.core.flow.WaitFor
    condition: "{{ outputs.output_values.values.count == '6'}}"
    checkFrequency:
      maxIterations: 5
      interval: PT0.02S
    tasks:
      - id: output_values
        type: io.kestra.plugin.core.output.OutputValues
        values:
          count: "{{ outputs.waitfor.iterationCount + 1 }}"`));
    expect(result.state).toBe('SUCCESS');
    expect(result.taskRuns.filter((tr) => tr.taskId === 'output_values')).toHaveLength(5);
  });

  it('fails on the first iteration whose task fails (waitfor-multiple-tasks-failed.yaml)', async () => {
    const result = await t.run(flow('waitfor-multiple-tasks-failed', `
  - id: waitfor
    type: io.kestra.plugin.core.flow.WaitFor
    condition: "{{ outputs.output_values.values.count == '6'}}"
    checkFrequency:
      maxIterations: 5
      interval: PT0.02S
    tasks:
      - id: output_values
        type: io.kestra.plugin.core.output.OutputValues
        values:
          count: "{{ outputs.waitfor.iterationCount + 1 }}"
      - id: fail
        type: io.kestra.core.tasks.executions.Fail`));
    expect(result.state).toBe('FAILED');
    expect(statesOf(result)).toEqual({ waitfor: 'FAILED', output_values: 'SUCCESS', fail: 'FAILED' });
    expect(result.taskRuns.at(-1)?.attempt).toBe(1);
  });
});
