import { afterAll, describe, expect, it } from 'vitest';
import { stopSharedPostgres, testApp, LOG_FLOW, type Provider } from '../../test/api/harness';
import { isProblem } from '../model/problem';

afterAll(stopSharedPostgres);

async function problemOf(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    if (isProblem(err)) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

describe.each<Provider>(['sqlite', 'postgresql'])('notebooks on %s', (provider) => {
  it('creates, lists, reads, searches, duplicates, deletes and restores', async () => {
    const app = await testApp(provider);
    try {
      const { id } = await app.notebooks.create(LOG_FLOW);
      const nb = await app.notebooks.get(id);
      expect(nb.yaml).toBe(LOG_FLOW);
      expect(nb.version).toBe(1);
      expect(nb.flow).toMatchObject({ id: 'logs', namespace: 'test.app' });
      expect(nb.cells.map((c) => c.taskId)).toEqual(['first', 'second', 'third']);
      expect(nb.cells[0].note).toContain('A first **note**.');
      expect(nb.cells[1]).toMatchObject({ usesOutputsOf: ['first'], kind: 'runnable', stale: false });
      expect(nb.cells[0].usedBy).toEqual(['second']);

      expect((await app.notebooks.list({ q: 'LOGS' })).map((n) => n.id)).toEqual([id]);
      expect(await app.notebooks.list({ q: 'nothing-like-this' })).toEqual([]);

      const copy = await app.notebooks.duplicate(id);
      expect((await app.notebooks.get(copy.id)).yaml).toBe(LOG_FLOW);
      await app.notebooks.remove(id);
      expect((await app.notebooks.list()).map((n) => n.id)).toEqual([copy.id]);
      expect((await app.notebooks.list({ deleted: true })).map((n) => n.id)).toEqual([id]);
      await app.notebooks.restore(id);
      expect((await app.notebooks.list()).map((n) => n.id).sort()).toEqual([id, copy.id].sort());
    } finally {
      await app.close();
    }
  });

  it('refuses bad YAML with line and column and saves nothing', async () => {
    const app = await testApp(provider);
    try {
      const bad = 'id: broken\nnamespace: test.app\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: [unclosed\n';
      const problem = await problemOf(app.notebooks.create(bad));
      expect(problem.kind).toBe('unprocessable');
      expect(problem.details.issues?.[0]?.pos).toMatchObject({ line: expect.any(Number), column: expect.any(Number) });
      expect(await app.notebooks.list()).toEqual([]);

      const { id } = await app.notebooks.create(LOG_FLOW);
      const updateProblem = await problemOf(app.notebooks.update(id, 'id: x\nnamespace: test.app\ntasks: []\n', 1));
      expect(updateProblem.kind).toBe('unprocessable');
      const after = await app.notebooks.get(id);
      expect(after.yaml).toBe(LOG_FLOW);
      expect(after.version).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('shows reference warnings under their cell, and refuses a cell saved with an unknown property, each with task id, line and column', async () => {
    const app = await testApp(provider);
    try {
      const yaml = `id: refs
namespace: test.app
tasks:
  - id: early
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.later.value }}"
  - id: later
    type: io.kestra.plugin.core.debug.Return
    format: x
`;
      const { id } = await app.notebooks.create(yaml);
      const nb = await app.notebooks.get(id);
      expect(nb.issues).toEqual([
        {
          severity: 'warning',
          taskId: 'early',
          path: ['tasks', 0, 'message'],
          pos: { line: 6, column: 18 },
          message: '`outputs.later.value`: task `later` (line 7) runs after `early`, so its outputs are not there yet',
        },
      ]);

      const problem = await problemOf(app.notebooks.patchCell(id, 'later', { source: 'id: later\ntype: io.kestra.plugin.core.debug.Return\nformt: x\n' }));
      expect(problem.kind).toBe('unprocessable');
      expect(problem.details.issues).toContainEqual({
        severity: 'error',
        taskId: 'later',
        path: ['tasks', 1, 'formt'],
        pos: { line: 9, column: 5 },
        message: 'unknown property `formt`: io.kestra.plugin.core.debug.Return has no such property, and Kestra rejects the flow; did you mean `format`?',
      });
      expect((await app.notebooks.get(id)).yaml).toBe(yaml);
    } finally {
      await app.close();
    }
  });

  it('a save against an old version is a conflict', async () => {
    const app = await testApp(provider);
    try {
      const { id } = await app.notebooks.create(LOG_FLOW);
      const v2 = await app.notebooks.update(id, LOG_FLOW.replace('message: third\n', 'message: third!\n'), 1);
      expect(v2.version).toBe(2);
      const conflict = await problemOf(app.notebooks.update(id, LOG_FLOW, 1));
      expect(conflict.kind).toBe('conflict');
      expect((await app.notebooks.get(id)).yaml).toContain('third!');
    } finally {
      await app.close();
    }
  });

  it('editing one cell keeps every other byte of the YAML identical', async () => {
    const app = await testApp(provider);
    try {
      const { id } = await app.notebooks.create(LOG_FLOW);
      const edited = await app.notebooks.patchCell(id, 'third', { code: 'third, edited' });
      const before = LOG_FLOW;
      const after = edited.yaml;
      const start = before.indexOf('    message: third');
      expect(after.slice(0, start)).toBe(before.slice(0, start));
      expect(after.slice(start)).toBe('    message: third, edited\n');
      expect(edited.version).toBe(2);

      const noted = await app.notebooks.patchCell(id, 'second', { note: 'Why this cell logs.' });
      expect(noted.cells.find((c) => c.taskId === 'second')?.note).toBe('Why this cell logs.');
      expect(noted.yaml).toContain('# a comment that must survive edits');

      const broken = await problemOf(app.notebooks.patchCell(id, 'second', { source: 'id: second\ntype: [nope' }));
      expect(broken.kind).toBe('unprocessable');
      expect((await app.notebooks.get(id)).yaml).toBe(noted.yaml);

      const inserted = await app.notebooks.insertCell(id, 'first', 'id: added\ntype: io.kestra.plugin.core.log.Log\nmessage: added');
      expect(inserted.cells.map((c) => c.taskId)).toEqual(['first', 'added', 'second', 'third']);
      const removed = await app.notebooks.deleteCell(id, 'added');
      expect(removed.yaml).toBe(noted.yaml);
    } finally {
      await app.close();
    }
  });

  it('seeds each sample flow once', async () => {
    const app = await testApp(provider, { samplesDir: 'flows' });
    try {
      const first = await app.notebooks.list();
      expect(first.map((n) => n.flowId).sort()).toEqual(expect.arrayContaining(['01_hello_world', '02_python']));
      expect((await app.notebooks.seed('flows')).imported).toEqual([]);
      expect((await app.notebooks.list()).length).toBe(first.length);
    } finally {
      await app.close();
    }
  });
});
