/**
 * A paused execution outlives a server restart, as a PAUSED execution outlives a Kestra
 * executor's restart (Kestra keeps it in its repository, and the ExecutionDelay of its
 * pauseDuration in `executionDelayStorage`, JdbcExecutor.executionDelaySend): after the
 * restart it is still PAUSED, can be resumed with its onResume inputs
 * (core/.../services/ExecutionService.java `resume`), and a pauseDuration that passed while
 * the server was down resumes it on start. On SQLite and PostgreSQL.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { stopSharedPostgres, testApp, type Provider } from '../../test/api/harness';
import { createApp, type App } from '../server/app';
import { isProblem } from '../model/problem';

afterAll(stopSharedPostgres);

const APPROVAL = `id: approval
namespace: test.app
tasks:
  - id: before
    type: io.kestra.plugin.core.debug.Return
    format: "prepared"
  - id: wait_for_approval
    type: io.kestra.plugin.core.flow.Pause
    onResume:
      - id: reason
        type: STRING
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.before.value }} and approved: {{ outputs.wait_for_approval.onResume.reason }}"
`;

async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 20));
}

/** The server dies: nothing it does from now on reaches the database (its store waits forever). */
async function crash(app: App): Promise<void> {
  void app.persister.exclusive(() => new Promise<never>(() => undefined));
  await app.database.close();
}

/**
 * Starts the flow and returns once the execution and its Pause are stored PAUSED. Told by
 * the store itself as it sends them, not found by polling: a Pause with a short
 * pauseDuration may resume before a poll on a busy machine comes round.
 */
async function runToPause(app: App, yaml: string): Promise<string> {
  const { id: notebookId } = await app.notebooks.create(yaml);
  let executionPaused = false;
  let pauseStored = false;
  let told!: () => void;
  const stored = new Promise<void>((resolve) => (told = resolve));
  const tell = () => executionPaused && pauseStored && told();
  app.persister.setBroadcaster({
    log() {},
    finished() {},
    notebookExecution() {},
    taskRun: (tr) => {
      if (tr.taskId === 'wait_for_approval' && tr.state === 'PAUSED') pauseStored = true;
      tell();
    },
    state: (e) => {
      if (e.notebookId === notebookId && e.state === 'PAUSED') executionPaused = true;
      tell();
    },
  });
  const { executionId } = await app.runs.start(notebookId, { mode: 'all' });
  await stored;
  const detail = await app.runs.detail(executionId);
  expect(detail.execution.state).toBe('PAUSED');
  return executionId;
}

describe.each<Provider>(['sqlite', 'postgresql'])('a paused execution across a restart on %s', (provider) => {
  it('is still PAUSED after the restart, refuses a resume without its required input, and resumed goes on with the tasks it had not run', async () => {
    const first = await testApp(provider);
    const executionId = await runToPause(first, APPROVAL);
    await crash(first);

    const second = await createApp({ dataDir: first.tmp, database: first.databaseConfig, env: { FLOWBOOK_DEFAULT_RUNNER: 'process' } });
    try {
      const detail = await second.runs.detail(executionId);
      expect(detail.execution.state).toBe('PAUSED');
      expect(detail.taskRuns.map((tr) => [tr.taskId, tr.state])).toEqual([
        ['before', 'SUCCESS'],
        ['wait_for_approval', 'PAUSED'],
      ]);

      const refused = await second.runs.resume(executionId, {}).catch((err: unknown) => err);
      expect(isProblem(refused) && refused.kind).toBe('unprocessable');
      expect(isProblem(refused) && refused.message).toBe('input "reason": required STRING input has no value and no default');

      await second.runs.resume(executionId, { reason: 'looks right' });
      await second.runs.settled(executionId);
      const after = await second.runs.detail(executionId);
      expect(after.execution.state).toBe('SUCCESS');
      // `before` ran once, before the restart.
      expect(after.taskRuns.map((tr) => [tr.taskId, tr.state])).toEqual([
        ['before', 'SUCCESS'],
        ['wait_for_approval', 'SUCCESS'],
        ['after', 'SUCCESS'],
      ]);
      expect(after.taskRuns[1].outputs).toMatchObject({ onResume: { reason: 'looks right' }, resumed: { to: 'SUCCESS' } });
      const messages = (await second.runs.logs(executionId)).map((l) => l.message);
      expect(messages).toContain('prepared and approved: looks right');
      expect(messages.some((m) => m.includes('KILLED'))).toBe(false);

      const again = await second.runs.resume(executionId, { reason: 'twice' }).catch((err: unknown) => err);
      expect(isProblem(again) && again.kind).toBe('conflict');
    } finally {
      await second.close();
      first.engine.cancel(executionId);
    }
  });

  it('resumes on start when its pauseDuration passed while the server was down', async () => {
    const first = await testApp(provider);
    const yaml = APPROVAL.replace('    onResume:\n      - id: reason\n        type: STRING\n', '    pauseDuration: PT1S\n').replace('{{ outputs.wait_for_approval.onResume.reason }}', '{{ outputs.wait_for_approval.resumed.to }}');
    const executionId = await runToPause(first, yaml);
    await crash(first);
    const pausedAt = Date.parse((await readPausedAt(first.databaseConfig, executionId)) ?? '');
    expect(Number.isFinite(pausedAt), 'the stored Pause says when it paused').toBe(true);
    await until(async () => Date.now() > pausedAt + 1000);

    const second = await createApp({ dataDir: first.tmp, database: first.databaseConfig, env: { FLOWBOOK_DEFAULT_RUNNER: 'process' } });
    try {
      await second.runs.settled(executionId);
      const after = await second.runs.detail(executionId);
      expect(after.execution.state, JSON.stringify(after.taskRuns.map((t) => [t.taskId, t.state]))).toBe('SUCCESS');
      expect((await second.runs.logs(executionId)).map((l) => l.message)).toContain('prepared and approved: SUCCESS');
    } finally {
      await second.close();
    }
  });
});

/** The moment the Pause paused, read from the stored task run (a third look at the database). */
async function readPausedAt(database: Parameters<typeof createApp>[0]['database'], executionId: string): Promise<string | undefined> {
  const { openDatabase } = await import('../db/client');
  const opened = await openDatabase(database);
  try {
    const row = await opened.db.taskRun.findFirst({ where: { executionId, taskId: 'wait_for_approval' } });
    return row?.details ? (JSON.parse(row.details) as { pausedAt?: string }).pausedAt : undefined;
  } finally {
    await opened.close();
  }
}
