/**
 * Fault test: another program holds SQLite's write lock (BEGIN IMMEDIATE) for 10 seconds while
 * a run prints its log, a user saves a cell and the scheduler ticks. No busy error reaches the
 * user: the run ends SUCCESS with every line stored in order, the save succeeds, and the
 * schedule's slots fire (each once) once the lock is gone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { stopSharedPostgres, testApp } from '../api/harness';
import { installApp } from '../../lib/server/app-holder';
import type { NotebookDto } from '../../lib/contract';
import * as cell from '../../app/api/notebooks/[id]/cells/[taskId]/route';
import * as logsRoute from '../../app/api/executions/[id]/logs/route';

afterAll(stopSharedPostgres);

/** FLOWBOOK_FAULTS_BUSY_SECONDS holds it longer, to find where the waits give up. */
const HOLD_SECONDS = Number(process.env.FLOWBOOK_FAULTS_BUSY_SECONDS ?? 10);
const params = <T>(p: T) => ({ params: Promise.resolve(p) });
const LINES = 60;
const FLOW = `id: busy
namespace: test.faults
tasks:
  - id: chatty
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    commands:
      - for i in $(seq 1 ${LINES}); do echo "line $i"; sleep 0.25; done
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: after the lock
triggers:
  - id: minutely
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "* * * * *"
`;

/** Another program on the same file: holds the write lock for `seconds`, says when it has it. */
function holdWriteLock(file: string, seconds: number): { locked: Promise<void>; released: Promise<void>; child: ChildProcess } {
  const script = `import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
c.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
c.execute("COMMIT")
print("released", flush=True)
`;
  const child = spawn('python3', ['-c', script, file, String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const said = (word: string) =>
    new Promise<void>((resolve, reject) => {
      lines.on('line', (l) => l === word && resolve());
      child.once('exit', (code) => reject(new Error(`the lock holder exited (${code}) before "${word}"`)));
    });
  return { locked: said('locked'), released: said('released'), child };
}

describe('SQLite held busy by another program', () => {
  it(`keeps every log line, a user's save and the schedule through a ${HOLD_SECONDS} s write lock`, { timeout: 180_000 }, async () => {
    const app = await testApp('sqlite');
    installApp(app);
    const errors: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => {
      errors.push(args.map(String).join(' '));
      original(...args);
    };
    try {
      const { id } = await app.notebooks.create(FLOW);
      const t0 = new Date('2030-01-01T10:00:30Z');
      await app.scheduler.tick(t0); // first sight of the trigger
      const { executionId } = await app.runs.start(id, { mode: 'all' });
      const holder = holdWriteLock(path.join(app.tmp, 'flowbook.db'), HOLD_SECONDS);
      await holder.locked;

      // While it is held: a user saves a cell and reads the run's log, the scheduler ticks past two slots.
      const { version } = await app.notebooks.get(id);
      const body = JSON.stringify({ code: 'saved during the lock', version });
      const save = cell.PATCH(new Request('http://127.0.0.1:3000/x', { method: 'PATCH', body, headers: { 'content-type': 'application/json' } }), params({ id, taskId: 'after' }));
      const read = logsRoute.GET(new Request(`http://127.0.0.1:3000/api/executions/${executionId}/logs`), params({ id: executionId }));
      const tick = app.scheduler.tick(new Date('2030-01-01T10:02:10Z'));
      const [saved, readLogs, fired] = await Promise.all([save, read, tick]);
      await holder.released;
      expect(saved.status).toBe(200);
      expect(((await saved.json()) as NotebookDto).yaml).toContain('message: saved during the lock');
      expect(readLogs.status).toBe(200);
      // A tick that could not claim during the lock fires its window at the next one.
      const later = await app.scheduler.tick(new Date('2030-01-01T10:02:11Z'));

      await app.runs.settled(executionId);
      await app.engine.drain();
      await app.persister.idle();
      const detail = await app.runs.detail(executionId);
      expect(detail.execution.state).toBe('SUCCESS');
      const logs = await app.runs.logs(executionId);
      expect(logs.filter((l) => l.taskId === 'chatty').map((l) => l.message)).toEqual(Array.from({ length: LINES }, (_, i) => `line ${i + 1}`));
      expect(logs.map((l) => l.seq)).toEqual(Array.from({ length: logs.length }, (_, i) => i + 1));

      const scheduled = (await app.runs.listForNotebook(id)).filter((e) => e.id !== executionId);
      expect(scheduled.map((e) => e.triggerDate).sort()).toEqual(['2030-01-01T10:01:00.000Z', '2030-01-01T10:02:00.000Z']);
      expect(fired.length + later.length).toBe(2);
      // Nothing failed to store and no request failed. (A scheduler claim that timed out waiting
      // is logged for the operator and retried at the next tick, as checked above.)
      expect(errors.filter((e) => /flowbook: (storing|request failed)/.test(e))).toEqual([]);
    } finally {
      console.error = original;
      installApp(undefined);
      await app.close();
    }
  });
});
