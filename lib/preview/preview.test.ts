import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { LocalStorage } from '../storage/storage';
import { ionRecordLine } from '../tasks/jdbc-common/ion-writer';
import { SqlDecimal, SqlTimestamp } from '../tasks/jdbc-common/values';
import { createTestRunContext } from '../engine/run-context';
import { definitions as duckDbTasks } from '../tasks/jdbc-duckdb';
import { lineIndexPath, readLineIndex } from '../tasks/jdbc-common/line-index';
import { preview, PreviewError } from './index';
import { ionPage, readLineWindow } from './line-source';

const BIG = 2_000_000;
let dir: string;
let storage: LocalStorage;

/** Rows i = 0..n-1: id, name, amount = i/4 as a 2-digit decimal, at = 2019-01-01 + i seconds. */
const ROWS_SQL = (n: number) =>
  `SELECT i AS id, 'name ' || i AS name, (i * 0.25)::DECIMAL(12,2) AS amount, TIMESTAMP '2019-01-01 00:00:00' + to_seconds(i) AS at FROM range(${n}) t(i)`;

async function writeIon(file: string, n: number): Promise<void> {
  const out = fs.createWriteStream(file);
  const start = Date.UTC(2019, 0, 1);
  let batch = '';
  for (let i = 0; i < n; i++) {
    const at = new Date(start + i * 1000).toISOString().slice(0, 19);
    batch += ionRecordLine({ id: i, name: `name ${i}`, amount: new SqlDecimal((i * 0.25).toFixed(2)), at: new SqlTimestamp(at, false), note: i % 2 ? null : 'even' });
    if (batch.length > 1 << 20) {
      if (!out.write(batch)) await once(out, 'drain');
      batch = '';
    }
  }
  out.end(batch);
  await once(out, 'finish');
}

const uri = (name: string) => `kestra:///previews/${name}`;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-preview-test-'));
  storage = new LocalStorage(dir);
  const files = path.join(dir, 'previews');
  fs.mkdirSync(files, { recursive: true });
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  for (const [n, suffix] of [[1, 'one'], [BIG, 'big']] as const) {
    const f = (ext: string) => `'${path.join(files, `${suffix}.${ext}`)}'`;
    await c.run(`COPY (${ROWS_SQL(n)}) TO ${f('csv')} (HEADER)`);
    await c.run(`COPY (${ROWS_SQL(n)}) TO ${f('tsv')} (HEADER, DELIMITER '\t')`);
    await c.run(`COPY (${ROWS_SQL(n)}) TO ${f('csv.gz')} (HEADER, COMPRESSION gzip)`);
    await c.run(`COPY (${ROWS_SQL(n)}) TO ${f('parquet')} (FORMAT PARQUET)`);
    await c.run(`COPY (${ROWS_SQL(n)}) TO ${f('ndjson')} (FORMAT JSON)`);
    await c.run(`COPY (${ROWS_SQL(n)}) TO ${f('json')} (FORMAT JSON, ARRAY true)`);
    await writeIon(path.join(files, `${suffix}.ion`), n);
  }
  c.closeSync();
  db.closeSync();
  await writeIon(path.join(files, 'small.ion'), 1000);
  fs.writeFileSync(path.join(files, 'notes.txt'), 'first line\nsecond line\nthird line\n');
  fs.writeFileSync(path.join(files, 'gzipped-no-extension'), zlib.gzipSync('a,b\n1,x\n'));
}, 300_000);

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('preview of a one-row file', () => {
  it.each(['csv', 'tsv', 'csv.gz', 'parquet', 'ndjson', 'json'])('%s: columns with types, the row, total 1', async (ext) => {
    const page = await preview(storage, uri(`one.${ext}`), { offset: 0, limit: 50 });
    expect(page.columns.map((c) => c.name)).toEqual(['id', 'name', 'amount', 'at']);
    expect(page.columns.find((c) => c.name === 'at')?.type).toBe('TIMESTAMP');
    expect(page.rows).toEqual([[0, 'name 0', 0, '2019-01-01T00:00:00']]);
    expect(page.total).toBe(1);
  });

  it('ion: Ion types become column types; local timestamps stay local', async () => {
    const page = await preview(storage, uri('one.ion'), { offset: 0, limit: 50 });
    expect(page.format).toBe('ion');
    expect(page.columns).toEqual([
      { name: 'id', type: 'BIGINT' },
      { name: 'name', type: 'VARCHAR' },
      { name: 'amount', type: 'DECIMAL' },
      { name: 'at', type: 'TIMESTAMP' },
      { name: 'note', type: 'VARCHAR' },
    ]);
    expect(page.rows).toEqual([[0, 'name 0', 0, '2019-01-01T00:00:00', 'even']]);
    expect(page.total).toBe(1);
  });

  it('plain text: one column of lines', async () => {
    const page = await preview(storage, uri('notes.txt'), { offset: 1, limit: 5 });
    expect(page).toMatchObject({ format: 'text', columns: [{ name: 'line', type: 'VARCHAR' }], rows: [['second line'], ['third line']], total: 3 });
  });

  it('a gzip file without an extension is read as CSV', async () => {
    const page = await preview(storage, uri('gzipped-no-extension'), { offset: 0, limit: 5 });
    expect(page).toMatchObject({ format: 'csv', compressed: true, rows: [[1, 'x']], total: 1 });
  });
});

describe('preview of a 2,000,000-row file', () => {
  const lastPage = [1_999_990, 1_999_991, 1_999_992, 1_999_993, 1_999_994, 1_999_995, 1_999_996, 1_999_997, 1_999_998, 1_999_999];

  it.each(['csv', 'tsv', 'csv.gz', 'parquet', 'ndjson', 'ion'])('%s: the last page and the total', async (ext) => {
    const page = await preview(storage, uri(`big.${ext}`), { offset: BIG - 10, limit: 10 });
    expect(page.rows.map((r) => r[0])).toEqual(lastPage);
    expect(page.rows[9].slice(1, 4)).toEqual(['name 1999999', 499999.75, '2019-01-24T03:33:19']);
    expect(page.total).toBe(BIG);
  });

  it('parquet keeps the decimal type', async () => {
    const page = await preview(storage, uri('big.parquet'), { offset: 0, limit: 3 });
    expect(page.columns).toEqual([
      { name: 'id', type: 'BIGINT' },
      { name: 'name', type: 'VARCHAR' },
      { name: 'amount', type: 'DECIMAL(12,2)' },
      { name: 'at', type: 'TIMESTAMP' },
    ]);
    expect(page.rows.map((r) => r[2])).toEqual([0, 0.25, 0.5]);
  });

  it('json (one array document): a middle page', async () => {
    const page = await preview(storage, uri('big.json'), { offset: 1_000_000, limit: 2 });
    expect(page.rows).toEqual([
      [1_000_000, 'name 1000000', 250000, '2019-01-12T13:46:40'],
      [1_000_001, 'name 1000001', 250000.25, '2019-01-12T13:46:41'],
    ]);
  });

  it('sorts the whole file before paging', async () => {
    const page = await preview(storage, uri('big.csv'), { offset: 0, limit: 3, sort: { column: 'amount', direction: 'desc' } });
    expect(page.rows.map((r) => r[0])).toEqual([1_999_999, 1_999_998, 1_999_997]);
    expect(page.total).toBe(BIG);
  });
});

describe('preview errors and Ion sorting', () => {
  it('sorts an Ion file by any column', async () => {
    const page = await preview(storage, uri('small.ion'), { offset: 0, limit: 2, sort: { column: 'id', direction: 'desc' } });
    expect(page.rows.map((r) => r[0])).toEqual([999, 998]);
    expect(page.total).toBe(1000);
  });

  it('refuses an unknown sort column, a bad page and a missing file', async () => {
    await expect(preview(storage, uri('one.csv'), { offset: 0, limit: 5, sort: { column: 'nope', direction: 'asc' } })).rejects.toThrow(/cannot sort by "nope"/);
    await expect(preview(storage, uri('one.csv'), { offset: -1, limit: 5 })).rejects.toBeInstanceOf(PreviewError);
    await expect(preview(storage, uri('missing.csv'), { offset: 0, limit: 5 })).rejects.toThrow(/file not found in internal storage: kestra:\/\/\/previews\/missing.csv/);
  });
});

describe('Ion pages through the line index', () => {
  /** The old way, as reference: every line read from the start of the file. */
  const scanned = async (file: string, offset: number, limit: number) => ionPage(await readLineWindow(file, false, offset, limit, true)).rows;

  it('a STORE result is indexed as it is written; every page at a block boundary equals a full scan', async () => {
    const query = duckDbTasks.find((d) => d.type === 'io.kestra.plugin.jdbc.duckdb.Query');
    if (!query || query.kind !== 'runnable') throw new Error('no DuckDB Query task');
    const task = { id: 'store', type: query.type, fetchType: 'STORE', sql: ROWS_SQL(10_000) };
    const run = await createTestRunContext({ task, dataDir: dir });
    const { outputs } = await query.run(run.ctx);
    const file = run.storage.resolve(String(outputs.uri));
    const index = await readLineIndex(file);
    expect(index?.records).toBe(10_000);
    expect(index?.marks.slice(0, 4)).toEqual([0, 0, 2048, expect.any(Number)]);
    for (const offset of [0, 2047, 2048, 2049, 4095, 5000, 9_998]) {
      const page = await preview(run.storage, String(outputs.uri), { offset, limit: 3 });
      expect(page.total).toBe(10_000);
      expect(page.rows, `offset ${offset}`).toEqual(await scanned(file, offset, 3));
      expect(page.rows[0][0]).toBe(offset);
    }
    expect((await preview(run.storage, String(outputs.uri), { offset: 10_000, limit: 5 })).rows).toEqual([]);
    await run.dispose();
  });

  it('a file without an index (blank lines and all) is scanned once; its pages equal a full scan', async () => {
    const file = path.join(dir, 'previews', 'blank-lines.ion');
    const lines = Array.from({ length: 5000 }, (_, i) => `{id:${i},at:2019-01-01T00:00:0${i % 10}-00:00,amount:${i}.5}` + (i % 997 === 0 ? '\n  \n' : ''));
    fs.writeFileSync(file, '\n' + lines.join('\n') + '\n\n');
    fs.rmSync(lineIndexPath(file), { force: true });
    for (const offset of [0, 1, 1023, 1024, 1025, 2047, 2048, 4999]) {
      const page = await preview(storage, uri('blank-lines.ion'), { offset, limit: 2 });
      expect(page.total).toBe(5000);
      expect(page.rows, `offset ${offset}`).toEqual(await scanned(file, offset, 2));
      expect(page.rows[0][0]).toBe(offset);
    }
    expect((await readLineIndex(file))?.records).toBe(5000);
  });

  it('never reads a changed file through its old index', async () => {
    const file = path.join(dir, 'previews', 'changing.ion');
    fs.writeFileSync(file, Array.from({ length: 3000 }, (_, i) => `{v:${i}}`).join('\n') + '\n');
    expect((await preview(storage, uri('changing.ion'), { offset: 2500, limit: 1 })).rows).toEqual([[2500]]);
    fs.writeFileSync(file, Array.from({ length: 2000 }, (_, i) => `{v:${i * 10}}`).join('\n') + '\n');
    const page = await preview(storage, uri('changing.ion'), { offset: 1500, limit: 1 });
    expect(page).toMatchObject({ rows: [[15_000]], total: 2000 });
  });
});
