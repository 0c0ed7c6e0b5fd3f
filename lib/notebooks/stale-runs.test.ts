import { describe, expect, it } from 'vitest';
import { testApp } from '../../test/api/harness';
import type { CellDto } from '../contract';
import { nextStaleCell, skippedStaleCells, StaleRunner } from './stale-runs';

/** Flow 01 without its 15-second sleep. */
const HELLO = `id: hello_world
namespace: test.app
inputs:
  - id: name
    type: STRING
    defaults: Will
variables:
  welcome_message: "Hello, {{ inputs.name }}!"
tasks:
  - id: hello_message
    type: io.kestra.plugin.core.log.Log
    message: "{{ render(vars.welcome_message) }}"
  - id: generate_output
    type: io.kestra.plugin.core.debug.Return
    format: I was generated during this workflow.
  - id: log_output
    type: io.kestra.plugin.core.log.Log
    message: "This is an output: {{ outputs.generate_output.value }}"
  - id: goodbye_message
    type: io.kestra.plugin.core.log.Log
    message: "Goodbye, {{ inputs.name }}!"
`;

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !condition(); i++) await new Promise((r) => setTimeout(r, 50));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

const cell = (taskId: string, stale: boolean, extra: Partial<CellDto> = {}) => ({ taskId, stale, disabled: false, ...extra }) as CellDto;

describe('nextStaleCell', () => {
  it('takes stale cells in flow order, each once, a stale flowable instead of its nested cells, and no cell of a branch that does not run', () => {
    const analysis = {
      cells: [cell('a', false), cell('if', true), cell('then1', true, { parentId: 'if' }), cell('else1', true, { parentId: 'if' }), cell('z', true), cell('off', true, { disabled: true })],
      untaken: new Set(['else1']),
    };
    expect(nextStaleCell(analysis, new Set())).toBe('if');
    expect(nextStaleCell(analysis, new Set(['if', 'then1', 'else1']))).toBe('z');
    expect(nextStaleCell(analysis, new Set(['if', 'then1', 'else1', 'z']))).toBeUndefined();
    expect(skippedStaleCells(analysis)).toEqual(['else1']);
  });
});

describe('StaleRunner', () => {
  it('runs exactly the stale cells, one execution each in flow order, and leaves nothing stale', async () => {
    const app = await testApp('sqlite');
    try {
      const { id } = await app.notebooks.create(HELLO);
      const all = await app.runs.start(id, { mode: 'all' });
      await app.runs.settled(all.executionId);
      const edited = await app.notebooks.patchCell(id, 'generate_output', { code: 'I was edited.' });
      expect(edited.cells.filter((c) => c.stale).map((c) => [c.taskId, c.staleReason])).toEqual([
        ['generate_output', 'this cell changed since it ran'],
        ['log_output', 'generate_output changed since this cell ran'],
      ]);

      const runner = new StaleRunner(app.db, app.runs, app.notebooks);
      const started = await runner.start(id);
      expect(started).toMatchObject({ taskIds: ['generate_output', 'log_output'], skipped: [] });
      expect(started.executionId).toBeDefined();
      await expect(runner.start(id)).rejects.toThrow('already running');
      await until(() => !StaleRunner.busy(id), 'the batch to end');
      await app.persister.idle();

      const executions = (await app.runs.listForNotebook(id)).reverse();
      expect(executions.map((e) => [e.mode, e.targetTaskId ?? null, e.state])).toEqual([
        ['all', null, 'SUCCESS'],
        ['cell', 'generate_output', 'SUCCESS'],
        ['cell', 'log_output', 'SUCCESS'],
      ]);
      expect(executions[1].id).toBe(started.executionId);
      const logs = await app.runs.logs(executions[2].id);
      expect(logs.map((l) => l.message)).toContain('This is an output: I was edited.');
      const nb = await app.notebooks.get(id);
      expect(nb.cells.filter((c) => c.stale)).toEqual([]);

      // Nothing stale: nothing runs.
      expect(await runner.start(id)).toEqual({ taskIds: [], skipped: [] });
    } finally {
      await app.close();
    }
  });

  it('a value stored for an input makes the cells that read it stale at once, and the batch runs them with it', async () => {
    const app = await testApp('sqlite');
    try {
      const { id } = await app.notebooks.create(HELLO);
      const all = await app.runs.start(id, { mode: 'all' });
      await app.runs.settled(all.executionId);
      await app.inputs.save(id, { name: 'Ana' });
      const stale = (await app.notebooks.get(id)).cells.filter((c) => c.stale);
      expect(stale.map((c) => [c.taskId, c.staleReason])).toEqual([
        ['hello_message', 'input name changed'],
        ['goodbye_message', 'input name changed'],
      ]);
      const runner = new StaleRunner(app.db, app.runs, app.notebooks);
      const started = await runner.start(id, { name: 'Ana' });
      expect(started.taskIds).toEqual(['hello_message', 'goodbye_message']);
      await until(() => !StaleRunner.busy(id), 'the batch to end');
      await app.persister.idle();
      const nb = await app.notebooks.get(id);
      expect(nb.cells.filter((c) => c.stale)).toEqual([]);
      const last = (await app.runs.listForNotebook(id))[0];
      expect(last).toMatchObject({ targetTaskId: 'goodbye_message', inputs: { name: 'Ana' } });
    } finally {
      await app.close();
    }
  });

  it('stops at a run that fails', async () => {
    const app = await testApp('sqlite');
    try {
      const { id } = await app.notebooks.create(HELLO);
      const all = await app.runs.start(id, { mode: 'all' });
      await app.runs.settled(all.executionId);
      // generate_output now fails; log_output must not run after it.
      await app.notebooks.patchCell(id, 'generate_output', { source: 'id: generate_output\ntype: io.kestra.plugin.core.execution.Fail\nerrorMessage: broken' });
      const started = await new StaleRunner(app.db, app.runs, app.notebooks).start(id);
      expect(started.taskIds).toEqual(['generate_output', 'log_output']);
      await until(() => !StaleRunner.busy(id), 'the batch to end');
      await app.persister.idle();
      const executions = await app.runs.listForNotebook(id);
      expect(executions.map((e) => [e.targetTaskId ?? null, e.state])).toEqual([
        ['generate_output', 'FAILED'],
        [null, 'SUCCESS'],
      ]);
    } finally {
      await app.close();
    }
  });
});
