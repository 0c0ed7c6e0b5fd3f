import fs from 'node:fs';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import * as ion from 'ion-js';
import { createTestRunContext, type TestRunContextOptions } from '../../engine/run-context';
import { HostAliases } from '../../config/host-aliases';
import type { RawTask } from '../types';
import { TaskError } from '../types';
import { usePostgres } from '../../../test/support/postgres';
import { GREEN_COLUMNS, YELLOW_COLUMNS, taxiCsv } from '../../../test/support/taxi-csv';
import { definitions } from './index';
import { parsePostgresUrl } from './transport';

const server = usePostgres({ user: 'root', password: 'root', database: 'ny_taxi' });
const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (disposers.length) await disposers.pop()?.();
});

const P = 'io.kestra.plugin.jdbc.postgresql';

/** Tasks connect the way the course's flows do: through the `pgdatabase` alias. */
async function run(task: RawTask, opts: Partial<TestRunContextOptions> = {}) {
  const full: RawTask = { url: 'jdbc:postgresql://pgdatabase:5432/ny_taxi', username: 'root', password: 'root', ...task };
  const t = await createTestRunContext({ task: full, hostAliases: HostAliases.parse(`pgdatabase=127.0.0.1:${server().port}`), ...opts });
  disposers.push(t.dispose);
  const def = definitions.find((d) => d.type === full.type);
  if (!def || def.kind !== 'runnable') throw new Error(`no runnable ${full.type}`);
  const result = await def.run(t.ctx);
  return { ...t, outputs: result.outputs };
}

async function query<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: server().url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('JDBC URLs', () => {
  it('reads host, port, database and credentials from JDBC and postgres URLs', () => {
    expect(parsePostgresUrl('jdbc:postgresql://pgdatabase:5432/ny_taxi?user=u&password=p&currentSchema=staging')).toMatchObject({
      host: 'pgdatabase', port: 5432, database: 'ny_taxi', user: 'u', password: 'p', ssl: false, options: '-c search_path=staging',
    });
    expect(parsePostgresUrl('jdbc:postgresql:warehouse')).toMatchObject({ host: 'localhost', port: 5432, database: 'warehouse' });
    expect(parsePostgresUrl('postgres://a:b@db.example:6543/x?sslmode=require')).toMatchObject({ host: 'db.example', port: 6543, user: 'a', password: 'b', ssl: true });
    expect(() => parsePostgresUrl('mysql://x')).toThrow(/jdbc:postgresql:\/\/host:port\/database/);
  });
});

describe('PostgreSQL Queries and Query', () => {
  it('connects through the host alias, runs statements in order and fetches typed rows', async () => {
    const { outputs, logs } = await run({
      id: 'q',
      type: `${P}.Queries`,
      fetchType: 'FETCH',
      sql: `CREATE TABLE typed (id int8, amount numeric(10,2), at timestamp, atz timestamptz, d date, doc jsonb, big numeric);
            INSERT INTO typed VALUES (1, 12.50, '2019-01-01 00:46:40', '2019-01-01 10:00:00.123456+00', '2019-01-02', '{"a":{"b":[1,2]}}', 12345678901234567890.123),
                                     (9007199254740993, NULL, NULL, NULL, NULL, NULL, NULL);
            SELECT * FROM typed ORDER BY id;
            DROP TABLE typed;`,
    });
    expect(logs.some((l) => l.level === 'INFO' && l.message === `connection alias pgdatabase → 127.0.0.1:${server().port}`)).toBe(true);
    expect(outputs.outputs).toEqual([
      {
        size: 2,
        rows: [
          { id: 1, amount: 12.5, at: '2019-01-01T00:46:40', atz: '2019-01-01T10:00:00.123456Z', d: '2019-01-02', doc: { a: { b: [1, 2] } }, big: '12345678901234567890.123' },
          { id: '9007199254740993', amount: null, at: null, atz: null, d: null, doc: null, big: null },
        ],
      },
    ]);
  });

  it('output shapes as Kestra gives them: FETCH_ONE of nothing, NONE entries, a Query without a result set', async () => {
    const empty = 'SELECT g FROM generate_series(1, 3) g WHERE g > 5';
    expect((await run({ id: 'q', type: `${P}.Queries`, fetchType: 'FETCH_ONE', sql: empty })).outputs.outputs).toEqual([{ row: null, size: 1 }]);
    expect((await run({ id: 'q', type: `${P}.Query`, fetchType: 'FETCH_ONE', sql: empty })).outputs).toEqual({ row: null, size: 0 });
    expect((await run({ id: 'q', type: `${P}.Queries`, sql: 'SELECT 1; CREATE TEMP TABLE none_t (v int); SELECT 2' })).outputs.outputs).toEqual([{}, {}]);
    expect((await run({ id: 'q', type: `${P}.Query`, fetchType: 'FETCH', sql: 'CREATE TEMP TABLE none_q (v int)' })).outputs).toEqual({});
    expect((await run({ id: 'q', type: `${P}.Query`, fetchType: 'FETCH', sql: 'SELECT g AS n FROM generate_series(1, 2) g' })).outputs).toEqual({ rows: [{ n: 1 }, { n: 2 }], size: 2 });
  });

  it('STORE writes Ion whose decimals, timestamps, nulls and JSON survive', async () => {
    const { outputs, storage } = await run({
      id: 'store',
      type: `${P}.Query`,
      fetchType: 'STORE',
      sql: `SELECT 12.50::numeric(10,2) AS amount, '2019-01-01 00:46:40'::timestamp AS pickup, NULL::text AS missing, '{"k":[true,null]}'::json AS doc
            FROM generate_series(1, 3)`,
    });
    expect(outputs.size).toBe(3);
    const lines = storage.readTextSync(outputs.uri as string).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    const rec = ion.load(lines[0]);
    expect(rec?.get('amount')?.getType()).toBe(ion.IonTypes.DECIMAL);
    expect(String(rec?.get('amount'))).toBe('12.50');
    expect(rec?.get('pickup')?.getType()).toBe(ion.IonTypes.TIMESTAMP);
    expect(rec?.get('missing')?.isNull()).toBe(true);
    expect(rec?.get('doc', 'k', 0)?.booleanValue()).toBe(true);
  });

  it('binds :name parameters and leaves ::casts alone', async () => {
    const { outputs } = await run({
      id: 'p',
      type: `${P}.Query`,
      fetchType: 'FETCH_ONE',
      parameters: { n: 41, who: "O'Brien" },
      sql: "SELECT :n::int + 1 AS answer, :who AS who, ':n' AS literal",
    });
    expect(outputs).toEqual({ row: { answer: 42, who: "O'Brien", literal: ':n' }, size: 1 });
  });

  it('rolls back every statement of a task when one fails, and says where it failed', async () => {
    const error = await run({
      id: 'failing',
      type: `${P}.Queries`,
      sql: 'CREATE TABLE rolled_back (v int);\nINSERT INTO rolled_back VALUES (1);\nSELECT v,\n       nope FROM rolled_back;',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskError);
    const message = (error as Error).message;
    expect(message).toContain('ERROR: column "nope" does not exist');
    expect(message).toContain("in task 'failing', statement 3 of 3 (line 4, column 8)");
    expect(message).toContain('4 |        nope FROM rolled_back;');
    const tables = await query<{ n: string }>("SELECT count(*) AS n FROM pg_tables WHERE tablename = 'rolled_back'");
    expect(tables[0].n).toBe('0');
  });

  it('caps FETCH and says so', async () => {
    const { outputs } = await run({ id: 'cap', type: `${P}.Query`, fetchType: 'FETCH', sql: 'SELECT g FROM generate_series(1, 1000) g' }, { settings: { fetchCap: 10 } });
    expect(outputs.size).toBe(10);
    expect(outputs.truncated).toBe(true);
    expect((outputs.rows as unknown[])[9]).toEqual({ g: 10 });
  });

  it('cancels the running statement when the task is killed', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 500);
    const error = await run({ id: 'sleepy', type: `${P}.Queries`, sql: 'SELECT pg_sleep(60)' }, { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskError);
    expect((error as Error).message).toMatch(/cancelled[\s\S]*canceling statement due to user request/);
    const sleeping = await query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60)' AND state = 'active'");
    expect(sleeping[0].n).toBe('0');
  });

  it('reports a wrong password as a connection error naming the server', async () => {
    const error = await run({ id: 'auth', type: `${P}.Queries`, password: 'wrong', sql: 'SELECT 1' }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(new RegExp(`could not connect to PostgreSQL at 127\\.0\\.0\\.1:${server().port}/ny_taxi as root: password authentication failed`));
  });
});

describe('PostgreSQL CopyIn and CopyOut', () => {
  const greenDdl = `CREATE TABLE IF NOT EXISTS public.green_tripdata_staging (
      unique_row_id text, filename text, VendorID text, lpep_pickup_datetime timestamp, lpep_dropoff_datetime timestamp,
      store_and_fwd_flag text, RatecodeID text, PULocationID text, DOLocationID text, passenger_count integer,
      trip_distance double precision, fare_amount double precision, extra double precision, mta_tax double precision,
      tip_amount double precision, tolls_amount double precision, ehail_fee double precision, improvement_surcharge double precision,
      total_amount double precision, payment_type integer, trip_type integer, congestion_surcharge double precision)`;

  /** The course downloads .csv.gz and gunzips it; do the same with a generated month. */
  async function storedCsv(storage: { putText(uri: string, text: string): Promise<string> }, taxi: 'green' | 'yellow', rows: number) {
    const unzipped = zlib.gunzipSync(zlib.gzipSync(taxiCsv(taxi, '2019-01', rows))).toString('utf8');
    return storage.putText(`kestra:///test/extract/${taxi}_tripdata_2019-01.csv`, unzipped);
  }

  it('loads a green taxi CSV into the staging table with the course columns', async () => {
    await run({ id: 'ddl', type: `${P}.Queries`, sql: `${greenDdl}; TRUNCATE public.green_tripdata_staging;` });
    const dataDir = fs.mkdtempSync('/tmp/copyin-');
    disposers.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
    const setup = await createTestRunContext({ task: { id: 'x', type: 'x' }, dataDir });
    const from = await storedCsv(setup.storage, 'green', 2500);
    const { outputs, logs } = await run(
      { id: 'green_copy_in_to_staging_table', type: `${P}.CopyIn`, format: 'CSV', from, table: 'public.green_tripdata_staging', header: true, columns: GREEN_COLUMNS },
      { dataDir },
    );
    expect(outputs).toEqual({ rowCount: 2500 });
    expect(logs.some((l) => l.message === 'copied 2500 rows into public.green_tripdata_staging')).toBe(true);
    const [stats] = await query<{ n: string; nulls: string }>(
      'SELECT count(*) AS n, count(*) FILTER (WHERE ehail_fee IS NULL) AS nulls FROM public.green_tripdata_staging',
    );
    expect(stats.n).toBe('2500');
    expect(stats.nulls).toBe('2500');
  });

  it('loads a yellow CSV with an explicit delimiter and null string, and leaves the table unchanged on a bad row', async () => {
    await run({
      id: 'ddl',
      type: `${P}.Queries`,
      sql: `CREATE TABLE yellow_staging (${YELLOW_COLUMNS.map((c) => `${c} text`).join(', ')})`,
    });
    const dataDir = fs.mkdtempSync('/tmp/copyin-');
    disposers.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
    const setup = await createTestRunContext({ task: { id: 'x', type: 'x' }, dataDir });
    const from = await storedCsv(setup.storage, 'yellow', 300);
    const ok = await run({ id: 'load', type: `${P}.CopyIn`, format: 'CSV', header: true, delimiter: ',', nullString: '', quote: '"', escape: '"', from, table: 'yellow_staging', columns: YELLOW_COLUMNS }, { dataDir });
    expect(ok.outputs.rowCount).toBe(300);
    const [{ n }] = await query<{ n: string }>('SELECT count(*) AS n FROM yellow_staging WHERE congestion_surcharge IS NULL');
    expect(n).toBe('100');

    const bad = await setup.storage.putText('kestra:///test/extract/bad.csv', `${YELLOW_COLUMNS.join(',')}\n1,2,3\n`);
    const error = await run({ id: 'load_bad', type: `${P}.CopyIn`, format: 'CSV', header: true, from: bad, table: 'yellow_staging', columns: YELLOW_COLUMNS }, { dataDir }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/missing data for column[\s\S]*in task 'load_bad' while running: COPY yellow_staging/);
    const [{ total }] = await query<{ total: string }>('SELECT count(*) AS total FROM yellow_staging');
    expect(total).toBe('300');
  });

  it('exports a query to a CSV file in storage', async () => {
    const { outputs, storage } = await run({
      id: 'export',
      type: `${P}.CopyOut`,
      format: 'CSV',
      header: true,
      sql: "SELECT g AS n, 'row ' || g AS label FROM generate_series(1, 3) g",
    });
    expect(outputs.rowCount).toBe(3);
    expect(storage.readTextSync(outputs.uri as string)).toBe('n,label\n1,row 1\n2,row 2\n3,row 3\n');
  });
});
