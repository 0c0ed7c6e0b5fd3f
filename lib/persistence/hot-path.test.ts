/**
 * The hot path (lib/db/hot-writer*.ts through the store) on both databases: a 100,000-line
 * run stored in order and gapless, a task run's stored state always its latest however its
 * states fall into batches, and a server killed between batches leaving a gapless prefix
 * that the next start closes with its KILLED line.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { stopSharedPostgres, testApp, type Provider } from '../../test/api/harness';
import { openHotWriter } from '../db/hot-writer';
import { openDatabase } from '../db/client';
import { createApp } from '../server/app';
import type { EngineEvent, ExecutionSnapshot, TaskRun } from '../engine';
import type { LogDto } from '../contract';
import type { State } from '../model/states';
import { EventStore, type Broadcaster } from './store';
import { logDto } from './rows';

afterAll(stopSharedPostgres);

const ROOT = path.resolve(import.meta.dirname, '../..');
const LINES = 100_000;

type Heard = { kind: 'log'; log: LogDto } | { kind: 'taskRun'; id: string; state: State; outputs?: Record<string, unknown> } | { kind: 'finished'; lastSeq: number } | { kind: 'state'; state: State };

function recorder(): { heard: Heard[]; broadcaster: Broadcaster } {
  const heard: Heard[] = [];
  return {
    heard,
    broadcaster: {
      log: (log) => heard.push({ kind: 'log', log }),
      taskRun: (t) => heard.push({ kind: 'taskRun', id: t.id, state: t.state, outputs: t.outputs }),
      state: (e) => heard.push({ kind: 'state', state: e.state }),
      finished: (p) => heard.push({ kind: 'finished', lastSeq: p.lastSeq }),
      notebookExecution: () => undefined,
    },
  };
}

/** The first index where `actual` differs from `expected(k)`, or -1: a 100,000-long diff would drown the report. */
function firstMismatch<T>(actual: readonly T[], expected: (k: number) => T): number {
  return actual.findIndex((v, k) => v !== expected(k));
}

describe.each<Provider>(['sqlite', 'postgresql'])('the hot path on %s', (provider) => {
  it(`stores a ${LINES.toLocaleString('en')}-line run in order and gapless, and sends finished only after its last line`, async () => {
    const app = await testApp(provider);
    try {
      const rec = recorder();
      app.persister.setBroadcaster(rec.broadcaster);
      const { id } = await app.notebooks.create(`id: chatty
namespace: test.hot
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: starting
  - id: print
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    commands:
      - seq 1 ${LINES} | sed 's/^/line /'
`);
      const { executionId } = await app.runs.start(id, { mode: 'all' });
      await app.runs.settled(executionId);

      const rows = await app.db.logLine.findMany({ where: { executionId }, orderBy: { seq: 'asc' }, select: { seq: true, taskId: true, message: true } });
      expect(firstMismatch(rows.map((r) => r.seq), (k) => k + 1), 'first seq out of place').toBe(-1);
      const printed = rows.filter((r) => r.taskId === 'print').map((r) => r.message);
      expect(printed).toHaveLength(LINES);
      expect(firstMismatch(printed, (k) => `line ${k + 1}`), 'first line out of place').toBe(-1);

      // A page read through the hot path is the stored row as the wire shows it.
      const stored = await app.db.logLine.findMany({ where: { executionId, seq: { gt: 99_990 } }, orderBy: { seq: 'asc' } });
      expect(await app.runs.logs(executionId, 99_990, 5)).toEqual(stored.slice(0, 5).map(logDto));
      await expect(app.runs.logs('no-such-execution')).rejects.toThrow(/execution no-such-execution/);

      const execution = await app.runs.detail(executionId);
      expect(execution.execution.state).toBe('SUCCESS');
      expect((await app.db.execution.findUniqueOrThrow({ where: { id: executionId } })).lastSeq).toBe(rows.length);
      expect(execution.taskRuns.map((t) => [t.taskId, t.state])).toEqual([
        ['hello', 'SUCCESS'],
        ['print', 'SUCCESS'],
      ]);

      // What the browsers were sent: every line once, in seq order, and finished after the last.
      const sent = rec.heard.flatMap((h) => (h.kind === 'log' ? [h.log.seq] : []));
      expect(sent).toHaveLength(rows.length);
      expect(firstMismatch(sent, (k) => k + 1), 'first line sent out of order').toBe(-1);
      const finished = rec.heard.findIndex((h) => h.kind === 'finished');
      expect(finished).toBeGreaterThan(rec.heard.map((h) => h.kind).lastIndexOf('log'));
      expect(rec.heard[finished]).toEqual({ kind: 'finished', lastSeq: rows.length });
    } finally {
      await app.close();
    }
  }, 180_000);

  it("stores each task run's latest state however its states fall into batches", async () => {
    const app = await testApp(provider);
    const hot = await openHotWriter(app.databaseConfig);
    try {
      const { id: notebookId } = await app.notebooks.create('id: states\nnamespace: test.hot\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n');
      const script = (executionId: string): EngineEvent[] => {
        const t0 = '2026-01-01T00:00:00.000Z';
        const exec = (state: State, endDate?: string): EngineEvent => {
          const execution: ExecutionSnapshot = {
            id: executionId,
            origin: { notebookId, mode: 'all', flowYaml: 'id: states', cellHashes: {} },
            namespace: 'test.hot',
            flowId: 'states',
            state,
            labels: {},
            inputs: {},
            startDate: t0,
            endDate,
          };
          return { kind: 'execution', execution };
        };
        const run = (taskId: string, state: State, more: Partial<TaskRun> = {}): EngineEvent => ({
          kind: 'taskrun',
          taskRun: { id: `${executionId}-${taskId}`, executionId, taskId, state, attempt: 1, ...more },
        });
        const log = (taskId: string, message: string): EngineEvent => ({ kind: 'log', log: { executionId, taskRunId: `${executionId}-${taskId}`, taskId, level: 'INFO', message, at: t0 } });
        return [
          exec('CREATED'),
          exec('RUNNING'),
          run('a', 'CREATED'),
          run('a', 'RUNNING', { startDate: t0 }),
          log('a', 'a says hi'),
          run('a', 'SUCCESS', { startDate: t0, endDate: t0, outputs: { n: 1, big: 2n ** 63n - 1n } }),
          run('b', 'CREATED'),
          run('b', 'RUNNING', { startDate: t0 }),
          log('b', 'b fails'),
          run('b', 'FAILED', { startDate: t0, endDate: t0, error: 'boom' }),
          exec('FAILED', t0),
        ];
      };
      // Every place one cut can fall, plus all in one batch and one event per batch.
      const n = script('x').length;
      const cuttings: number[][] = [[], Array.from({ length: n - 1 }, (_, k) => k + 1), ...Array.from({ length: n - 1 }, (_, k) => [k + 1])];
      for (const [c, cuts] of cuttings.entries()) {
        const executionId = `cut-${c}`;
        const events = script(executionId);
        const rec = recorder();
        const store = new EventStore(hot, rec.broadcaster);
        const bounds = [0, ...cuts, events.length];
        for (let k = 0; k + 1 < bounds.length; k++) await store.store(events.slice(bounds[k], bounds[k + 1]));

        const where = `cuts at ${cuts.join(',') || 'none'}`;
        const detail = await app.runs.detail(executionId);
        expect(detail.execution.state, where).toBe('FAILED');
        expect(detail.taskRuns.map((t) => [t.taskId, t.state, t.outputs, t.error]), where).toEqual([
          ['a', 'SUCCESS', { n: 1, big: '9223372036854775807' }, undefined],
          ['b', 'FAILED', undefined, 'boom'],
        ]);
        expect((await app.runs.logs(executionId)).map((l) => [l.seq, l.message]), where).toEqual([
          [1, 'a says hi'],
          [2, 'b fails'],
        ]);
        // Every state was still sent, in the order it happened.
        expect(rec.heard.flatMap((h) => (h.kind === 'taskRun' ? [`${h.id.slice(executionId.length + 1)} ${h.state}`] : [])), where).toEqual([
          'a CREATED',
          'a RUNNING',
          'a SUCCESS',
          'b CREATED',
          'b RUNNING',
          'b FAILED',
        ]);
        expect(rec.heard.at(-1), where).toEqual({ kind: 'finished', lastSeq: 2 });
        // A bigint output (PostgreSQL int8, DuckDB BIGINT) goes to the browser as the string stored.
        expect(rec.heard.find((h) => h.kind === 'taskRun' && h.state === 'SUCCESS'), where).toMatchObject({ outputs: { n: 1, big: '9223372036854775807' } });
      }
    } finally {
      await hot.close();
      await app.close();
    }
  }, 120_000);

  it('a server killed between batches leaves a gapless prefix of the log, which the next start closes with its KILLED line', async () => {
    const first = await testApp(provider);
    const { tmp: dataDir, databaseConfig } = first;
    await first.close();

    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/support/crash-mid-log.ts'), dataDir, JSON.stringify(databaseConfig)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const executionId = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).on('line', (line) => {
          const m = /^started (\S+)$/.exec(line);
          if (m) resolve(m[1]);
        });
        child.once('exit', (code) => reject(new Error(`the server exited (${code}) before its run started`)));
      });
      // Kill it once several batches are stored, while the task still prints.
      const watcher = await openDatabase(databaseConfig, { migrationsRoot: ROOT });
      try {
        while ((await watcher.db.logLine.count({ where: { executionId } })) < 20_000) await new Promise((r) => setTimeout(r, 50));
      } finally {
        await watcher.close();
      }
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));

      const app = await createApp({ dataDir, database: databaseConfig, env: { FLOWBOOK_DEFAULT_RUNNER: 'process' } });
      try {
        const row = await app.db.execution.findUniqueOrThrow({ where: { id: executionId } });
        expect(row.state).toBe('KILLED');
        const rows = await app.db.logLine.findMany({ where: { executionId }, orderBy: { seq: 'asc' }, select: { seq: true, taskId: true, message: true } });
        expect(rows.length).toBeGreaterThan(20_000);
        expect(firstMismatch(rows.map((r) => r.seq), (k) => k + 1), 'first seq out of place').toBe(-1);
        expect(row.lastSeq).toBe(rows.length);
        const printed = rows.filter((r) => r.taskId === 'flood').map((r) => r.message);
        expect(firstMismatch(printed, (k) => `line ${k + 1}`), 'first line out of place').toBe(-1);
        expect(rows.at(-1)?.message).toBe('execution KILLED: the Flowbook server stopped while it was running');
      } finally {
        await app.close();
      }
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 180_000);
});
