import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './client';
import { applyMigrations, loadMigrations } from './migrate';
import { startPostgres, type TestPostgres } from '../../test/api/pg';

let pgServer: TestPostgres;
beforeAll(async () => {
  pgServer = await startPostgres();
});
afterAll(async () => {
  await pgServer?.stop();
});

describe('migrations', () => {
  it('apply once on SQLite, and the client reads and writes every table', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-db-'));
    const config = { kind: 'sqlite' as const, file: path.join(dir, 'flowbook.db') };
    expect(await applyMigrations(config)).toEqual(loadMigrations('sqlite').map((m) => m.name));
    expect(await applyMigrations(config)).toEqual([]);
    const { db, close } = await openDatabase(config);
    try {
      await roundTrip(db);
    } finally {
      await close();
    }
  });

  it('apply once on PostgreSQL, and the client reads and writes every table', async () => {
    const config = { kind: 'postgresql' as const, url: await pgServer.createDatabase('migrate_test') };
    expect(await applyMigrations(config)).toEqual(loadMigrations('postgresql').map((m) => m.name));
    expect(await applyMigrations(config)).toEqual([]);
    const { db, close } = await openDatabase(config);
    try {
      await roundTrip(db);
    } finally {
      await close();
    }
  });

  it('both providers have the same migrations', () => {
    expect(loadMigrations('sqlite').map((m) => m.name)).toEqual(loadMigrations('postgresql').map((m) => m.name));
  });
});

async function roundTrip(db: Awaited<ReturnType<typeof openDatabase>>['db']): Promise<void> {
  await db.notebook.create({ data: { id: 'nb1', flowId: 'f', namespace: 'ns', yaml: 'y', originalYaml: 'y' } });
  await db.execution.create({ data: { id: 'e1', notebookId: 'nb1', namespace: 'ns', flowId: 'f', state: 'RUNNING', mode: 'all', flowYaml: 'y', startDate: new Date() } });
  await db.taskRun.create({ data: { id: 't1', executionId: 'e1', taskId: 'a', state: 'SUCCESS', outputs: '{"x":1}' } });
  await db.logLine.createMany({ data: [1, 2, 3].map((seq) => ({ executionId: 'e1', seq, level: 'INFO', message: `line ${seq}`, at: new Date() })) });
  await db.secret.create({ data: { key: 'K', ciphertext: 'c' } });
  await db.setting.create({ data: { key: 'hostAliases', value: '{}' } });
  const lines = await db.logLine.findMany({ where: { executionId: 'e1', seq: { gt: 1 } }, orderBy: { seq: 'asc' } });
  expect(lines.map((l) => l.message)).toEqual(['line 2', 'line 3']);
  await expect(db.logLine.create({ data: { executionId: 'e1', seq: 2, level: 'INFO', message: 'dup', at: new Date() } })).rejects.toThrow();
  await db.notebook.delete({ where: { id: 'nb1' } });
  expect(await db.taskRun.count()).toBe(0);
}
