/**
 * A notebook calling another notebook as a Subflow (Kestra's
 * core/src/main/java/io/kestra/plugin/core/flow/Subflow.java): the child runs as an execution
 * of its own notebook, stored like any run of it, with the parent's correlation id and
 * `trigger.*`, and the parent's task run says which execution it started.
 */
import { afterAll, expect, it } from 'vitest';
import { stopSharedPostgres, testApp } from '../../test/api/harness';

afterAll(stopSharedPostgres);

const CHILD = `id: cleaner
namespace: course.app
inputs:
  - id: month
    type: STRING
tasks:
  - id: clean
    type: io.kestra.plugin.core.debug.Return
    format: "cleaned {{ inputs.month }} for {{ trigger.flowId }}"
outputs:
  - id: summary
    type: STRING
    value: "{{ outputs.clean.value }}"
`;

const PARENT = `id: pipeline
namespace: course.app
tasks:
  - id: call_cleaner
    type: io.kestra.plugin.core.flow.Subflow
    namespace: course.app
    flowId: cleaner
    inputs:
      month: "2019-01"
  - id: report
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.call_cleaner.outputs.summary }}"
`;

it.each(['sqlite', 'postgresql'] as const)('runs a notebook called as a Subflow as a stored run of that notebook (%s)', async (provider) => {
  const app = await testApp(provider);
  try {
    const { id: childNotebook } = await app.notebooks.create(CHILD);
    // A duplicate shares the namespace and id: the original is the flow that runs.
    await app.notebooks.duplicate(childNotebook);
    const { id: parentNotebook } = await app.notebooks.create(PARENT);

    const { executionId } = await app.runs.start(parentNotebook, { mode: 'all' });
    await app.runs.settled(executionId);
    const parent = await app.runs.detail(executionId);
    expect(parent.execution.state).toBe('SUCCESS');
    const call = parent.taskRuns.find((tr) => tr.taskId === 'call_cleaner');
    expect(call?.outputs).toMatchObject({ state: 'SUCCESS', outputs: { summary: 'cleaned 2019-01 for pipeline' } });
    const childId = call?.outputs?.executionId;
    expect(typeof childId).toBe('string');
    expect(call?.details?.subflowExecutionId).toBe(childId);

    // Stored as a run of the child notebook, with the parent's correlation id.
    const childRuns = await app.runs.listForNotebook(childNotebook);
    expect(childRuns.map((r) => r.id)).toEqual([childId]);
    const child = await app.runs.detail(childId as string);
    expect(child.execution).toMatchObject({ notebookId: childNotebook, state: 'SUCCESS', inputs: { month: '2019-01' } });
    expect(child.execution.labels['system.correlationId']).toBe(executionId);
    expect(child.taskRuns.map((tr) => tr.taskId)).toEqual(['clean']);
    // The parent's logs carry Kestra's line naming the child.
    const logs = await app.runs.logs(executionId);
    expect(logs.map((l) => l.message)).toContain(`Create new execution for flow 'course.app'.'cleaner' with id '${String(childId)}'`);
  } finally {
    await app.close();
  }
});
