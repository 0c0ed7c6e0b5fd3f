import { afterAll, describe, expect, it } from 'vitest';
import { stopSharedPostgres, testApp, type Provider } from '../../test/api/harness';
import { isProblem } from '../model/problem';
import { parseFlow } from '../tasks/catalog';
import { firstTriggerRead, triggerReadIn } from '../flow/trigger-refs';

afterAll(stopSharedPostgres);

const MONTHLY = `id: monthly
namespace: test.app
inputs:
  - id: taxi
    type: SELECT
    values: [yellow, green]
    defaults: yellow
variables:
  file: "{{ inputs.taxi }}_tripdata_{{ trigger.date | date('yyyy-MM') }}.csv"
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: no trigger needed here
  - id: file
    type: io.kestra.plugin.core.debug.Return
    format: "{{ render(vars.file) }}"
  - id: around
    type: io.kestra.plugin.core.debug.Return
    format: "{{ trigger.previous }} < {{ trigger.date }} < {{ trigger.next }}"
triggers:
  - id: green_schedule
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 9 1 * *"
    inputs:
      taxi: green
  - id: yellow_schedule
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 10 1 * *"
    inputs:
      taxi: yellow
`;

async function problemOf(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    if (isProblem(err)) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

describe('finding trigger reads', () => {
  it('sees trigger.* directly and through render(vars.x), but not a guarded read or another variable', () => {
    expect(triggerReadIn(" trigger.date | date('yyyy-MM') ")).toBe('trigger.date');
    expect(triggerReadIn(" trigger['next'] ")).toBe('trigger.next');
    expect(triggerReadIn(' trigger.date ?? execution.startDate ')).toBeUndefined();
    expect(triggerReadIn(' trigger is defined ? trigger.date : now() ')).toBeUndefined();
    expect(triggerReadIn(' my_trigger.date ')).toBeUndefined();
    expect(triggerReadIn(' outputs.trigger.value ')).toBeUndefined();
    const flow = parseFlow(MONTHLY).flow!;
    expect(firstTriggerRead(flow)).toEqual({ taskId: 'file', expression: 'trigger.date' });
    expect(firstTriggerRead(flow, [flow.tasks[0]])).toBeUndefined();
  });
});

describe.each<Provider>(['sqlite', 'postgresql'])('runs at a trigger date on %s', (provider) => {
  it('refuses a run without a trigger date that reads trigger.date, saying what to do', async () => {
    const app = await testApp(provider);
    try {
      const { id } = await app.notebooks.create(MONTHLY);
      const refused = await problemOf(app.runs.start(id, { mode: 'all' }));
      expect(refused.kind).toBe('unprocessable');
      expect(refused.message).toContain('this flow reads trigger.date: use Run as trigger… (or --trigger-date on the CLI)');
      expect(refused.message).toContain('Cell file reads it');
      // A cell that reads no trigger still runs by hand.
      const { executionId } = await app.runs.start(id, { mode: 'cell', taskId: 'hello' });
      await app.runs.settled(executionId);
      expect((await app.runs.detail(executionId)).execution.state).toBe('SUCCESS');
    } finally {
      await app.close();
    }
  });

  it('runs as the chosen trigger: trigger.date, next and previous as a scheduled run, the trigger inputs, stored with the execution', async () => {
    const app = await testApp(provider);
    try {
      const { id } = await app.notebooks.create(MONTHLY);
      const { executionId } = await app.runs.start(id, { mode: 'all', inputs: { taxi: 'yellow' }, triggerId: 'green_schedule', triggerDate: '2019-02-01T09:00:00.000Z' });
      await app.runs.settled(executionId);
      const detail = await app.runs.detail(executionId);
      expect(detail.execution).toMatchObject({ state: 'SUCCESS', triggerId: 'green_schedule', triggerDate: '2019-02-01T09:00:00.000Z', inputs: { taxi: 'green' } });
      const outputs = Object.fromEntries(detail.taskRuns.map((tr) => [tr.taskId, tr.outputs?.value]));
      expect(outputs.file).toBe('green_tripdata_2019-02.csv');
      expect(outputs.around).toBe('2019-01-01T09:00:00Z < 2019-02-01T09:00:00Z < 2019-03-01T09:00:00Z');
      expect((await app.runs.listForNotebook(id))[0]).toMatchObject({ triggerId: 'green_schedule', triggerDate: '2019-02-01T09:00:00.000Z' });

      // A manual run records no trigger.
      const manual = await app.runs.start(id, { mode: 'cell', taskId: 'hello' });
      await app.runs.settled(manual.executionId);
      expect((await app.runs.detail(manual.executionId)).execution.triggerDate).toBeUndefined();
    } finally {
      await app.close();
    }
  });

  it('says which trigger when it cannot tell, and refuses one the flow does not have', async () => {
    const app = await testApp(provider);
    try {
      const { id } = await app.notebooks.create(MONTHLY);
      const which = await problemOf(app.runs.start(id, { mode: 'all', triggerDate: '2019-02-01T09:00:00Z' }));
      expect(which).toMatchObject({ kind: 'invalid' });
      expect(which.message).toContain('green_schedule, yellow_schedule');
      expect(await problemOf(app.runs.start(id, { mode: 'all', triggerId: 'nope', triggerDate: '2019-02-01T09:00:00Z' }))).toMatchObject({ kind: 'not-found' });
      const plain = await app.notebooks.create(MONTHLY.slice(0, MONTHLY.indexOf('triggers:')).replace('id: monthly', 'id: unscheduled'));
      expect(await problemOf(app.runs.start(plain.id, { mode: 'all', triggerDate: '2019-02-01T09:00:00Z' }))).toMatchObject({ kind: 'unprocessable' });
      const refused = await problemOf(app.runs.start(plain.id, { mode: 'all' }));
      expect(refused.message).toContain('add a Schedule trigger and use Run as trigger…');
    } finally {
      await app.close();
    }
  });

  it('stores the slot of each backfilled execution as its trigger date', async () => {
    const app = await testApp(provider);
    try {
      const { id } = await app.notebooks.create(MONTHLY);
      const res = await app.schedules.backfill(id, 'green_schedule', { start: '2019-01-01T00:00:00Z', end: '2019-02-28T00:00:00Z' });
      expect(res.executions).toHaveLength(2);
      // Backfills start outside the run service: wait for the engine, then for their events to be stored.
      await app.engine.drain();
      await app.persister.idle();
      const runs = await app.runs.listForNotebook(id);
      expect(runs.map((r) => r.triggerDate).sort()).toEqual(['2019-01-01T09:00:00.000Z', '2019-02-01T09:00:00.000Z']);
      expect(runs.every((r) => r.triggerId === 'green_schedule')).toBe(true);
    } finally {
      await app.close();
    }
  });
});
