/**
 * Subflow as Kestra runs it (kestra-io/kestra core/src/main/java/io/kestra/plugin/core/flow/Subflow.java,
 * core/src/main/java/io/kestra/core/runners/ExecutableUtils.java): a child execution of its own,
 * with the parent's correlation id, its flow outputs as the task's `outputs`, and its end state
 * passed on by transmitFailed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createTestEngine, statesOf } from '../../../../test/support/engine';
import { flowsResolver, type ResolvedFlow } from '../../../engine';
import type { ExecutionSnapshot } from '../../../engine/events';

const children: ResolvedFlow[] = [];
const t = createTestEngine({ flows: flowsResolver(children, 'this test') });
afterAll(() => t.close());

function child(yaml: string): void {
  children.push({ flow: t.flow(yaml) });
}

/** The child executions the engine started, as their last snapshot. */
function executionsOf(flowId: string): ExecutionSnapshot[] {
  const last = new Map<string, ExecutionSnapshot>();
  for (const e of t.events) if (e.kind === 'execution' && e.execution.flowId === flowId) last.set(e.execution.id, e.execution);
  return [...last.values()];
}

child(`
id: greeter
namespace: company.team
labels:
  team: data
inputs:
  - id: user
    type: STRING
tasks:
  - id: hello
    type: io.kestra.plugin.core.debug.Return
    format: "Hello {{ inputs.user }} from {{ trigger.flowId }}/{{ trigger.taskId }}"
outputs:
  - id: greeting
    type: STRING
    value: "{{ outputs.hello.value }}"
  - id: parent_execution
    type: STRING
    value: "{{ trigger.executionId }}"
`);

child(`
id: failing
namespace: company.team
tasks:
  - id: boom
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: child failed on purpose
`);

child(`
id: slow
namespace: company.team
tasks:
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT0.3S
`);

describe('Subflow', () => {
  it("gives the child flow's outputs as outputs.<id>.outputs, with executionId and state (Subflow.Output)", async () => {
    const result = await t.run(`
id: parent
namespace: company.team
tasks:
  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: company.team
    flowId: greeter
    inputs:
      user: Ada
      unknown_input: dropped
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.call.outputs.greeting }} ({{ outputs.call.state }})"
`);
    expect(result.state).toBe('SUCCESS');
    const call = result.outputs.call;
    expect(call.outputs).toEqual({ greeting: 'Hello Ada from parent/call', parent_execution: result.id });
    expect(call.state).toBe('SUCCESS');
    expect(result.outputs.after).toEqual({ value: 'Hello Ada from parent/call (SUCCESS)' });
    // The child is an execution of its own, and the task run says which.
    expect(call.executionId).not.toBe(result.id);
    const [childRun] = executionsOf('greeter').filter((e) => e.id === call.executionId);
    expect(childRun.state).toBe('SUCCESS');
    expect(result.taskRuns.find((tr) => tr.taskId === 'call')?.details?.subflowExecutionId).toBe(call.executionId);
    // ExecutableUtils: an input the child does not declare is dropped with a warning on the parent task run.
    const warnings = t.logsOf(result.id).filter((l) => l.level === 'WARN').map((l) => l.message);
    expect(warnings).toContain(`Input unknown_input was provided by parent execution ${result.id} for subflow company.team.greeter but isn't declared at the subflow inputs`);
    expect(t.logsOf(result.id).map((l) => l.message)).toContain(`Create new execution for flow 'company.team'.'greeter' with id '${call.executionId}'`);
  });

  it('passes the correlation id on, and with inheritLabels the parent labels except those the child flow sets (ExecutableUtils.subflowExecution)', async () => {
    const yaml = (inherit: boolean) => `
id: labelled_parent
namespace: company.team
labels:
  team: parent-team
  owner: ada
tasks:
  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: company.team
    flowId: greeter
    inheritLabels: ${inherit}
    labels:
      batch: "{{ flow.id }}"
    inputs:
      user: Bob
`;
    const plain = await t.run(yaml(false));
    const plainChild = executionsOf('greeter').find((e) => e.id === plain.outputs.call.executionId);
    expect(plainChild?.labels).toEqual({ team: 'data', batch: 'labelled_parent', 'system.correlationId': plain.id });

    const inherited = await t.run(yaml(true));
    const inheritedChild = executionsOf('greeter').find((e) => e.id === inherited.outputs.call.executionId);
    // `team` is set by the child flow itself, so the parent's value is not inherited.
    expect(inheritedChild?.labels).toEqual({ team: 'data', owner: 'ada', batch: 'labelled_parent', 'system.correlationId': inherited.id });
  });

  it('fails the parent task with a failing child when transmitFailed is true (the default), and not when it is false', async () => {
    const flow = (transmitFailed: boolean) => `
id: parent_of_failing
namespace: company.team
tasks:
  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: company.team
    flowId: failing
    transmitFailed: ${transmitFailed}
`;
    const transmitted = await t.run(flow(true));
    expect(transmitted.state).toBe('FAILED');
    const failedRun = transmitted.taskRuns.find((tr) => tr.taskId === 'call');
    expect(failedRun?.state).toBe('FAILED');
    expect(failedRun?.error).toMatch(/^Subflow execution \S+ of company\.team\.failing ends in FAILED state$/);
    // The failed task run still says which child it started, so the cell can link to it.
    expect(executionsOf('failing').find((e) => e.id === failedRun?.details?.subflowExecutionId)?.state).toBe('FAILED');

    const kept = await t.run(flow(false));
    expect(kept.state).toBe('SUCCESS');
    expect(kept.outputs.call.state).toBe('FAILED');
  });

  it('does not wait with wait: false: the task ends at once with the executionId only', async () => {
    const result = await t.run(`
id: fire_and_forget
namespace: company.team
tasks:
  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: company.team
    flowId: slow
    wait: false
`);
    expect(result.state).toBe('SUCCESS');
    expect(Object.keys(result.outputs.call)).toEqual(['executionId']);
    const childId = result.outputs.call.executionId as string;
    // The parent ended while the child still sleeps.
    expect(executionsOf('slow').find((e) => e.id === childId)?.state).toBe('RUNNING');
    await t.engine.drain();
    expect(executionsOf('slow').find((e) => e.id === childId)?.state).toBe('SUCCESS');
  });

  it('fails with the namespace and id when no flow has them (ExecutableUtils: "Unable to find flow")', async () => {
    const result = await t.run(`
id: lost
namespace: company.team
tasks:
  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: company.team
    flowId: nowhere
`);
    expect(statesOf(result)).toEqual({ call: 'FAILED' });
    expect(result.taskRuns[0].error).toBe("Unable to find flow 'company.team'.'nowhere': no flow with this namespace and id in this test");
  });

  it('runs one child per value inside a ForEach, each with the value as trigger.taskRunValue', async () => {
    child(`
id: echo_value
namespace: company.team
inputs:
  - id: value
    type: STRING
tasks:
  - id: noop
    type: io.kestra.plugin.core.debug.Return
    format: "{{ trigger.taskRunValue }}"
outputs:
  - id: seen
    type: STRING
    value: "{{ inputs.value }}={{ outputs.noop.value }}"
`);
    const result = await t.run(`
id: loop_parent
namespace: company.team
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a", "b"]
    tasks:
      - id: call
        type: io.kestra.plugin.core.flow.Subflow
        namespace: company.team
        flowId: echo_value
        inputs:
          value: "{{ taskrun.value }}"
`);
    expect(result.state).toBe('SUCCESS');
    expect(result.outputs.call).toMatchObject({ a: { outputs: { seen: 'a=a' } }, b: { outputs: { seen: 'b=b' } } });
  });

  it('kills the child it waits for when the parent is killed', async () => {
    const started = t.engine.start({
      flow: t.flow(`
id: killed_parent
namespace: company.team
tasks:
  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: company.team
    flowId: slow
`),
    });
    // Once the child runs (its id is on the parent's task run), stop the parent.
    const childIdOf = () => t.events.flatMap((e) => (e.kind === 'taskrun' && e.taskRun.executionId === started.id ? [e.taskRun.details?.subflowExecutionId] : [])).find(Boolean);
    while (!childIdOf() || executionsOf('slow').find((e) => e.id === childIdOf())?.state !== 'RUNNING') await new Promise((r) => setTimeout(r, 10));
    t.engine.cancel(started.id);
    const result = await started.done;
    expect(result.state).toBe('KILLED');
    await t.engine.drain();
    const childId = result.taskRuns.find((tr) => tr.taskId === 'call')?.details?.subflowExecutionId;
    expect(executionsOf('slow').find((e) => e.id === childId)?.state).toBe('KILLED');
  });
});
