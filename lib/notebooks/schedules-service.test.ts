/**
 * A notebook's schedules through the app, on a real SQLite database and the real engine:
 * listing, backfilling (executions stored under the notebook), the refusals, and the
 * on/off switch written into the YAML.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../test/api/harness';
import { httpStatus } from '../api/http';
import { installApp } from '../server/app-holder';
import type { App } from '../server/app';
import type { ApiError, ExecutionDetailDto, NotebookDto } from '../contract';
import type { BackfillResponse, ScheduleDto } from '../contract';
import { ScheduleService } from './schedules-service';
import * as schedulesRoute from '../../app/api/notebooks/[id]/schedules/route';
import * as scheduleRoute from '../../app/api/notebooks/[id]/schedules/[triggerId]/route';
import * as backfillRoute from '../../app/api/notebooks/[id]/schedules/[triggerId]/backfill/route';

const MONTHLY = `id: monthly_report
namespace: test.schedules

inputs:
  - id: taxi
    type: SELECT
    values: [green, yellow]
    defaults: yellow

tasks:
  - id: month
    type: io.kestra.plugin.core.debug.Return
    format: "{{ inputs.taxi }}_{{ trigger.date | date('yyyy-MM') }}"

  - id: say
    type: io.kestra.plugin.core.log.Log
    message: "file {{ outputs.month.value }}.csv"

triggers:
  # the course's monthly schedule
  - id: green_schedule
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 9 1 * *"
    inputs:
      taxi: green

  - id: paris_daily
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "30 6 * * *"
    timezone: Europe/Paris
    disabled: true
`;

let app: App;
beforeAll(async () => {
  app = await testApp('sqlite');
  installApp(app);
});
afterAll(async () => {
  installApp(undefined);
  await app.close();
});

const NOW = new Date('2030-05-15T12:00:00Z');
const service = () => new ScheduleService(app.db, app.engine, app.persister, app.notebooks, () => NOW);

async function settle(): Promise<void> {
  await app.engine.drain();
  await app.persister.idle();
}

async function problem(p: Promise<unknown>): Promise<{ status: number; error: string }> {
  try {
    await p;
  } catch (err) {
    return { status: httpStatus(err), error: err instanceof Error ? err.message : String(err) };
  }
  throw new Error('expected a refusal');
}

describe('ScheduleService', () => {
  it('lists Schedule triggers with the cron in words, zone, inputs, next fire and last evaluation', async () => {
    const { id } = await app.notebooks.create(MONTHLY);
    await app.scheduler.tick(new Date('2030-05-15T11:59:00Z'));
    const list = await service().list(id);
    expect(list).toEqual([
      {
        id: 'green_schedule',
        type: 'io.kestra.plugin.core.trigger.Schedule',
        cron: '0 9 1 * *',
        description: 'At 09:00 AM, on day 1 of the month',
        timezone: 'UTC',
        withSeconds: false,
        disabled: false,
        inputs: { taxi: 'green' },
        recoverMissedSchedules: 'ALL',
        nextFire: '2030-06-01T09:00:00.000Z',
        previousFire: '2030-05-01T09:00:00.000Z',
        lastEvaluated: '2030-05-15T11:59:00.000Z',
      },
      {
        id: 'paris_daily',
        type: 'io.kestra.plugin.core.trigger.Schedule',
        cron: '30 6 * * *',
        description: 'At 06:30 AM',
        timezone: 'Europe/Paris',
        withSeconds: false,
        disabled: true,
        inputs: {},
        recoverMissedSchedules: 'ALL',
        previousFire: '2030-05-15T04:30:00.000Z',
        // The scheduler does not look at a disabled trigger, and it will not fire.
      },
    ]);
  });

  it('backfills one execution per slot under the notebook, trigger inputs overlaid and labels kept', async () => {
    const { id } = await app.notebooks.create(MONTHLY);
    const res = await service().backfill(id, 'green_schedule', {
      start: '2019-01-01T00:00:00Z',
      end: '2019-03-31T23:59:00Z',
      labels: { backfill: 'true' },
    });
    expect(res.executions.map((e) => e.triggerDate)).toEqual(['2019-01-01T09:00:00.000Z', '2019-02-01T09:00:00.000Z', '2019-03-01T09:00:00.000Z']);
    await settle();

    const executions = await app.runs.listForNotebook(id);
    expect(executions.map((e) => e.id).sort()).toEqual(res.executions.map((e) => e.executionId).sort());
    for (const e of executions) {
      expect(e).toMatchObject({ state: 'SUCCESS', mode: 'all', labels: { backfill: 'true' }, inputs: { taxi: 'green' } });
    }
    const values = await Promise.all(res.executions.map(async (e) => (await app.runs.detail(e.executionId)).taskRuns.find((t) => t.taskId === 'month')?.outputs?.value));
    expect(values).toEqual(['green_2019-01', 'green_2019-02', 'green_2019-03']);
    const logs = (await app.runs.logs(res.executions[1].executionId)).filter((l) => l.taskId === 'say').map((l) => l.message);
    expect(logs).toEqual(['file green_2019-02.csv']);

    const yellow = await service().backfill(id, 'green_schedule', { start: '2019-04-01T09:00:00Z', end: '2019-04-01T09:00:00Z', inputs: { taxi: 'yellow' } });
    await settle();
    const detail = await app.runs.detail(yellow.executions[0].executionId);
    expect(detail.taskRuns.find((t) => t.taskId === 'month')?.outputs?.value).toBe('yellow_2019-04');
  });

  it('refuses unknown and disabled triggers, reversed or empty windows, over 1000 slots and bad inputs, starting nothing', async () => {
    const { id } = await app.notebooks.create(MONTHLY.replace('cron: "30 6 * * *"', 'cron: "* * * * *"').replace('    disabled: true\n', ''));
    const s = service();
    const win = { start: '2019-01-01T00:00:00Z', end: '2019-03-31T00:00:00Z' };
    expect(await problem(s.backfill(id, 'nope', win))).toEqual({ status: 404, error: 'flow monthly_report has no Schedule trigger "nope" (it has green_schedule, paris_daily)' });
    expect(await problem(s.backfill(id, 'green_schedule', { start: win.end, end: win.start }))).toEqual({
      status: 400,
      error: 'the backfill ends (2019-01-01T00:00:00Z) before it starts (2019-03-31T00:00:00Z)',
    });
    expect(await problem(s.backfill(id, 'paris_daily', { start: '2019-01-01T00:00:00Z', end: '2019-01-02T00:00:00Z' }))).toEqual({
      status: 422,
      error: `the window 2019-01-01T00:00:00.000Z → 2019-01-02T00:00:00.000Z holds more than 1000 slots of "* * * * *"; narrow it`,
    });
    expect(await problem(s.backfill(id, 'green_schedule', { start: '2019-01-02T00:00:00Z', end: '2019-01-31T00:00:00Z' }))).toMatchObject({
      status: 422,
      error: expect.stringContaining('no slot of "0 9 1 * *" (At 09:00 AM, on day 1 of the month, UTC)'),
    });
    expect(await problem(s.backfill(id, 'green_schedule', { ...win, inputs: { taxi: 'blue' } }))).toMatchObject({ status: 422, error: expect.stringContaining('taxi') });

    await s.setDisabled(id, 'green_schedule', true);
    expect(await problem(s.backfill(id, 'green_schedule', win))).toEqual({ status: 409, error: 'trigger green_schedule is disabled: switch it on to backfill it' });
    await settle();
    expect(await app.runs.listForNotebook(id)).toEqual([]);
    await app.notebooks.remove(id);
  });

  it('switches a trigger off by adding `disabled: true` to it and on by removing it, nothing else in the YAML changing', async () => {
    // Its own app: the scheduler below must see no other notebook.
    const own = await testApp('sqlite');
    try {
      await switchOffAndOn(own);
    } finally {
      await own.close();
    }
  });
});

async function switchOffAndOn(app: App): Promise<void> {
  const { id } = await app.notebooks.create(MONTHLY);
  const s = new ScheduleService(app.db, app.engine, app.persister, app.notebooks, () => NOW);
  const off = await s.setDisabled(id, 'green_schedule', true);
  expect(off.yaml).toBe(MONTHLY.replace('      taxi: green\n', '      taxi: green\n    disabled: true\n'));
  expect(off.version).toBe(2);
  const [green] = await s.list(id);
  expect(green).toMatchObject({ id: 'green_schedule', disabled: true });
  expect(green.nextFire).toBeUndefined();

  // The scheduler honours the switch: its June 1 slot passes without an execution.
  await app.scheduler.tick(new Date('2030-05-31T00:00:00Z'));
  expect(await app.scheduler.tick(new Date('2030-06-02T00:00:00Z'))).toEqual([]);

  const on = await s.setDisabled(id, 'green_schedule', false);
  expect(on.yaml).toBe(MONTHLY);
  expect((await s.list(id))[0].nextFire).toBe('2030-06-01T09:00:00.000Z');
  expect(await problem(s.setDisabled(id, 'nope', true))).toMatchObject({ status: 404 });
}

describe('schedule routes', () => {
  const base = 'http://127.0.0.1:3000';
  const params = <T>(p: T) => ({ params: Promise.resolve(p) });
  const body = (method: string, value: unknown) => ({ method, body: JSON.stringify(value), headers: { 'content-type': 'application/json' } });

  it('GET lists, POST backfill answers 202 with execution ids (400 on a bad date), PATCH switches', async () => {
    const { id } = await app.notebooks.create(MONTHLY);
    const listed = (await (await schedulesRoute.GET(new Request(`${base}/api/notebooks/${id}/schedules`), params({ id }))).json()) as ScheduleDto[];
    expect(listed.map((s) => [s.id, s.description, s.disabled])).toEqual([
      ['green_schedule', 'At 09:00 AM, on day 1 of the month', false],
      ['paris_daily', 'At 06:30 AM', true],
    ]);

    const url = `${base}/api/notebooks/${id}/schedules/green_schedule/backfill`;
    const bad = await backfillRoute.POST(new Request(url, body('POST', { start: '2019-01-01', end: '2019-02-01T00:00:00Z' })), params({ id, triggerId: 'green_schedule' }));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ApiError).error).toMatch(/^body\.start: /);

    const ok = await backfillRoute.POST(
      new Request(url, body('POST', { start: '2019-01-01T00:00:00+01:00', end: '2019-02-28T00:00:00Z', labels: { backfill: 'true' } })),
      params({ id, triggerId: 'green_schedule' }),
    );
    expect(ok.status).toBe(202);
    const { executions } = (await ok.json()) as BackfillResponse;
    expect(executions).toHaveLength(2);
    await settle();
    const detail = (await app.runs.detail(executions[0].executionId)) as ExecutionDetailDto;
    expect(detail.execution.notebookId).toBe(id);

    const disabled = await scheduleRoute.PATCH(new Request(`${base}/api/notebooks/${id}/schedules/paris_daily`, body('PATCH', { disabled: false })), params({ id, triggerId: 'paris_daily' }));
    expect(disabled.status).toBe(200);
    expect(((await disabled.json()) as NotebookDto).yaml).toBe(MONTHLY.replace('    disabled: true\n', ''));
    const wrong = await scheduleRoute.PATCH(new Request(`${base}/api/notebooks/${id}/schedules/paris_daily`, body('PATCH', { disabled: 'yes' })), params({ id, triggerId: 'paris_daily' }));
    expect(wrong.status).toBe(400);
  });
});
