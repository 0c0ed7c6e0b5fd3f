import { afterAll, describe, expect, it } from 'vitest';
import { stopSharedPostgres, testApp, LOG_FLOW, type Provider } from '../../test/api/harness';
import { isProblem } from '../model/problem';
import type { Broadcaster } from '../persistence/persister';
import { killOrphanedExecutions } from '../persistence';
import { executionSnapshot } from '../realtime/server';
import type { ExecutionSnapshotPayload, LogDto } from '../contract';

afterAll(stopSharedPostgres);

const LINES = 400;
const CHATTY_FLOW = `id: chatty
namespace: test.app
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: starting
  - id: print
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    commands:
      - for i in $(seq 1 ${LINES}); do echo "line $i"; done
`;

type Recorded = { kind: 'log'; log: LogDto } | { kind: 'finished'; lastSeq: number } | { kind: 'other' };

function recorder(): { events: Recorded[]; broadcaster: Broadcaster } {
  const events: Recorded[] = [];
  return {
    events,
    broadcaster: {
      log: (log) => events.push({ kind: 'log', log }),
      finished: (p) => events.push({ kind: 'finished', lastSeq: p.lastSeq }),
      taskRun: () => events.push({ kind: 'other' }),
      state: () => events.push({ kind: 'other' }),
      notebookExecution: () => events.push({ kind: 'other' }),
    },
  };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe.each<Provider>(['sqlite', 'postgresql'])('runs on %s', (provider) => {
  it('stores every log line with a gapless seq, resumes after a seq, and says finished only after the last line', async () => {
    const app = await testApp(provider);
    try {
      const rec = recorder();
      app.persister.setBroadcaster(rec.broadcaster);
      const { id: notebookId } = await app.notebooks.create(CHATTY_FLOW);
      const { executionId } = await app.runs.start(notebookId, { mode: 'all' });

      // A subscriber arriving mid-run: snapshot, then the live events after it.
      let snapshot: ExecutionSnapshotPayload | undefined;
      let mark = 0;
      while (!snapshot) {
        await new Promise((r) => setTimeout(r, 20));
        snapshot = await app.persister.exclusive(async () => {
          mark = rec.events.length;
          return executionSnapshot(app.db, app.persister, executionId, 0);
        });
      }
      await app.runs.settled(executionId);

      const all = await app.runs.logs(executionId);
      const seqs = all.map((l) => l.seq);
      expect(seqs).toEqual(range(1, all.length));
      const printed = all.filter((l) => l.taskId === 'print' && l.message.startsWith('line ')).map((l) => l.message);
      expect(printed).toEqual(range(1, LINES).map((i) => `line ${i}`));

      const after = await app.runs.logs(executionId, 100, 50);
      expect(after.map((l) => l.seq)).toEqual(range(101, 150));

      const combined = [...snapshot.logs, ...rec.events.slice(mark).flatMap((e) => (e.kind === 'log' ? [e.log] : []))];
      expect(combined.map((l) => l.seq)).toEqual(range(1, all.length));

      const lastLogIndex = rec.events.map((e) => e.kind).lastIndexOf('log');
      const finishedIndex = rec.events.findIndex((e) => e.kind === 'finished');
      expect(finishedIndex).toBeGreaterThan(lastLogIndex);
      expect(rec.events[finishedIndex]).toEqual({ kind: 'finished', lastSeq: all.length });

      const detail = await app.runs.detail(executionId);
      expect(detail.execution).toMatchObject({ state: 'SUCCESS', mode: 'all', notebookId });
      expect(detail.taskRuns.map((t) => [t.taskId, t.state])).toEqual([['hello', 'SUCCESS'], ['print', 'SUCCESS']]);
      expect((await app.runs.listForNotebook(notebookId)).map((e) => e.id)).toEqual([executionId]);
    } finally {
      await app.close();
    }
  });

  it('runs one cell with earlier outputs, says which cell to run first, and marks later cells stale', async () => {
    const app = await testApp(provider);
    try {
      const { id } = await app.notebooks.create(LOG_FLOW);
      let problem: unknown;
      try {
        await app.runs.start(id, { mode: 'cell', taskId: 'second' });
      } catch (err) {
        problem = err;
      }
      expect(isProblem(problem) && problem.kind).toBe('conflict');
      expect(isProblem(problem) && problem.details.missingTaskId).toBe('first');
      expect(isProblem(problem) && problem.message).toContain('run cell first first');

      const a = await app.runs.start(id, { mode: 'cell', taskId: 'first' });
      await app.runs.settled(a.executionId);
      const b = await app.runs.start(id, { mode: 'cell', taskId: 'second' });
      await app.runs.settled(b.executionId);
      expect((await app.runs.logs(b.executionId)).map((l) => l.message)).toContain('got hello');

      let nb = await app.notebooks.get(id);
      expect(nb.cells.map((c) => [c.taskId, c.run?.state, c.stale])).toEqual([
        ['first', 'SUCCESS', false],
        ['second', 'SUCCESS', false],
        ['third', undefined, false],
      ]);

      const again = await app.runs.start(id, { mode: 'cell', taskId: 'first' });
      await app.runs.settled(again.executionId);
      nb = await app.notebooks.get(id);
      expect(nb.cells.find((c) => c.taskId === 'second')).toMatchObject({ stale: true, staleReason: 'first ran again' });
      // third does not use first: order alone makes nothing stale.
      expect(nb.cells.find((c) => c.taskId === 'third')).toMatchObject({ stale: false });

      // The answer to the save already says what went stale.
      nb = await app.notebooks.patchCell(id, 'first', { source: 'id: first\ntype: io.kestra.plugin.core.debug.Return\nformat: "changed"' });
      expect(nb.cells.find((c) => c.taskId === 'first')).toMatchObject({ stale: true, staleReason: 'this cell changed since it ran' });
    } finally {
      await app.close();
    }
  });

  it('marks executions a crash left running as KILLED, with a log line saying why', async () => {
    const app = await testApp(provider);
    try {
      const { id } = await app.notebooks.create(LOG_FLOW);
      await app.db.execution.create({
        data: { id: 'orphan', notebookId: id, namespace: 'test.app', flowId: 'logs', state: 'RUNNING', mode: 'all', flowYaml: LOG_FLOW, startDate: new Date(), lastSeq: 2 },
      });
      expect(await killOrphanedExecutions(app.db)).toEqual(['orphan']);
      const detail = await app.runs.detail('orphan');
      expect(detail.execution.state).toBe('KILLED');
      const logs = await app.runs.logs('orphan');
      expect(logs).toEqual([expect.objectContaining({ seq: 3, level: 'ERROR', message: expect.stringContaining('server stopped') })]);
    } finally {
      await app.close();
    }
  });
});
