/**
 * The SQLite writer on its own thread: it writes and reads what the in-process writer does,
 * and a thread that cannot start leaves the writes on the calling thread, with a warning,
 * instead of holding every run's events back.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '../server/app';
import { testApp } from '../../test/api/harness';
import { SqliteThreadWriter } from './hot-writer-sqlite-thread';
import { SqliteHotWriter } from './hot-writer-sqlite';
import type { LogLineRow } from './hot-writer';
import type { DatabaseConfig } from './config';

let app: App & { databaseConfig: DatabaseConfig };
let file = '';
let executionId = '';

beforeAll(async () => {
  app = await testApp('sqlite');
  if (app.databaseConfig.kind !== 'sqlite') throw new Error('expected SQLite');
  file = app.databaseConfig.file;
  const { id } = await app.notebooks.create('id: quiet\nnamespace: test.writer\ntasks:\n  - id: hi\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n');
  ({ executionId } = await app.runs.start(id, { mode: 'all' }));
  await app.runs.settled(executionId);
});
afterAll(async () => {
  await app.close();
});

const line = (seq: number) => ({ executionId, seq, level: 'INFO' as const, message: `written ${seq}`, at: '2026-12-02T10:00:00.000Z' });

async function writeAndRead(writer: SqliteThreadWriter, first: number): Promise<string[]> {
  await writer.write({ created: [], taskRuns: [], logs: [line(first), line(first + 1)], executions: [{ id: executionId, lastSeq: first + 1, state: null }] });
  return ((await writer.logPage(executionId, first - 1, 10)) ?? []).map((l) => l.message);
}

describe('SqliteThreadWriter', () => {
  it('writes a batch and reads it back on its thread', async () => {
    const writer = new SqliteThreadWriter(file);
    try {
      expect(await writeAndRead(writer, 100)).toEqual(['written 100', 'written 101']);
      expect((await writer.load(executionId))?.lastSeq).toBe(101);
      expect(await writer.logPage('no-such-execution', 0, 10)).toBeUndefined();
    } finally {
      await writer.close();
    }
  });

  it('writes on the calling thread, saying so, when its thread cannot start', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    // A compiled worker that is not there: the thread fails before it opens the database.
    vi.stubEnv('FLOWBOOK_WORKER_SQLITE_WRITER', '/nonexistent/sqlite-writer.js');
    const writer = new SqliteThreadWriter(file);
    try {
      expect(await writeAndRead(writer, 200)).toEqual(['written 200', 'written 201']);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('the SQLite writer thread did not start'));
    } finally {
      await writer.close();
      vi.unstubAllEnvs();
      warn.mockRestore();
    }
  });
});

/** `count` lines from seq `first` on, each about 200 bytes, so a few thousand fill megabytes of WAL. */
function lines(first: number, count: number): LogLineRow[] {
  return Array.from({ length: count }, (_, k) => ({ ...line(first + k), message: `written ${first + k} ${'x'.repeat(180)}` }));
}

describe('the WAL', () => {
  it('is copied into the database once the writer thread has nothing to do', async () => {
    const writer = new SqliteThreadWriter(file);
    try {
      const before = fs.statSync(file).size;
      let seq = 1_000_000;
      for (let b = 0; b < 5; b++, seq += 5_000) {
        await writer.write({ created: [], taskRuns: [], logs: lines(seq, 5_000), executions: [{ id: executionId, lastSeq: seq + 4_999, state: null }] });
      }
      // 25,000 lines: about 6 MB that reach the database file only through the thread's
      // checkpoints (SQLite's own is off), in a pause between batches or once they end.
      await vi.waitFor(() => expect(fs.statSync(file).size).toBeGreaterThan(before + 5_000_000), { timeout: 10_000, interval: 50 });
      expect((await writer.logPage(executionId, 1_024_998, 10))?.map((l) => l.seq)).toEqual([1_024_999]);
    } finally {
      await writer.close();
    }
  });

  it('is checkpointed during a long burst too, so it stays bounded', async () => {
    const writer = new SqliteHotWriter(file, { checkpointWhenIdle: true });
    try {
      const before = fs.statSync(file).size;
      let seq = 2_000_000;
      // idle() is never called: only the burst's own bound (200,000 rows) can copy the WAL.
      for (let b = 0; b < 41; b++, seq += 5_000) {
        await writer.write({ created: [], taskRuns: [], logs: lines(seq, 5_000), executions: [{ id: executionId, lastSeq: seq + 4_999, state: null }] });
      }
      expect(fs.statSync(file).size).toBeGreaterThan(before + 30_000_000);
    } finally {
      await writer.close();
    }
  });
});
