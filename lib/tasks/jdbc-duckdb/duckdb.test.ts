import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as ion from 'ion-js';
import { createTestRunContext } from '../../engine/run-context';
import type { RawTask } from '../types';
import { TaskError } from '../types';
import { definitions } from './index';

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (disposers.length) await disposers.pop()?.();
});

function definition(type: string) {
  const def = definitions.find((d) => d.type === type);
  if (!def || def.kind !== 'runnable') throw new Error(`no runnable ${type}`);
  return def;
}

async function run(task: RawTask, extra: Parameters<typeof createTestRunContext>[0] extends infer O ? Partial<O> : never = {}) {
  const t = await createTestRunContext({ task, ...extra });
  disposers.push(t.dispose);
  const result = await definition(task.type).run(t.ctx);
  return { ...t, outputs: result.outputs };
}

const QUERIES = 'io.kestra.plugin.jdbc.duckdb.Queries';
const QUERY = 'io.kestra.plugin.jdbc.duckdb.Query';

describe('DuckDB Queries', () => {
  it('gives one output per statement that returns rows, shaped by fetchType FETCH', async () => {
    const { outputs } = await run({
      id: 'q',
      type: QUERIES,
      fetchType: 'FETCH',
      sql: `CREATE TABLE t AS SELECT * FROM range(3) r(i);
            INSERT INTO t VALUES (10);
            SELECT i, i * 2 AS twice FROM t ORDER BY i;
            SELECT count(*) AS n FROM t;`,
    });
    expect(outputs.outputs).toEqual([
      { rows: [{ i: 0, twice: 0 }, { i: 1, twice: 2 }, { i: 2, twice: 4 }, { i: 10, twice: 20 }], size: 4 },
      { rows: [{ n: 4 }], size: 1 },
    ]);
  });

  it('FETCH_ONE keeps the first row; NONE keeps an empty entry per result, as Kestra does', async () => {
    const one = await run({ id: 'q', type: QUERIES, fetchType: 'FETCH_ONE', sql: 'SELECT 42 AS answer, 1.50::DECIMAL(5,2) AS price, DATE \'2019-01-01\' AS d' });
    expect(one.outputs.outputs).toEqual([{ row: { answer: 42, price: 1.5, d: '2019-01-01' }, size: 1 }]);
    const none = await run({ id: 'q', type: QUERIES, sql: 'CREATE TABLE t AS SELECT 1 AS v; SELECT 42; SELECT v FROM t' });
    expect(none.outputs.outputs).toEqual([{}, {}]);
  });

  it('FETCH_ONE of an empty result: row null, size 1 in Queries and 0 in Query (Kestra reports them so)', async () => {
    const empty = 'SELECT * FROM range(3) r(i) WHERE i > 5';
    const many = await run({ id: 'q', type: QUERIES, fetchType: 'FETCH_ONE', sql: empty });
    expect(many.outputs.outputs).toEqual([{ row: null, size: 1 }]);
    const one = await run({ id: 'q', type: QUERY, fetchType: 'FETCH_ONE', sql: empty });
    expect(one.outputs).toEqual({ row: null, size: 0 });
  });

  it('a Query whose SQL returns no result set has an empty output, whatever the fetchType', async () => {
    for (const fetchType of ['FETCH', 'FETCH_ONE', 'STORE', 'NONE']) {
      const { outputs } = await run({ id: 'ddl', type: QUERY, fetchType, sql: 'CREATE TABLE t (v INTEGER)' });
      expect(outputs, fetchType).toEqual({});
    }
  });

  it('maps the deprecated booleans onto fetchType', async () => {
    const { outputs } = await run({ id: 'q', type: QUERIES, fetchOne: true, sql: 'SELECT 7 AS x' });
    expect(outputs.outputs).toEqual([{ row: { x: 7 }, size: 1 }]);
  });

  it('STORE writes Ion, one record per line, whose types survive a round trip', async () => {
    const { outputs, storage } = await run({
      id: 'store',
      type: QUERIES,
      fetchType: 'STORE',
      sql: `SELECT 1 AS id, 'odd' AS "it's a ""name""", 12.50::DECIMAL(10,2) AS amount, TIMESTAMP '2019-01-01 00:46:40' AS pickup,
                   TIMESTAMPTZ '2019-01-01 10:00:00.123456+00' AS at, NULL::VARCHAR AS missing,
                   '{"a":{"b":[1,2]}}'::JSON AS doc, [1, 2, 3] AS list, 'say "hi"' AS text, 2.5::DOUBLE AS ratio
            UNION ALL
            SELECT 2, 'even', -0.01, TIMESTAMP '2019-12-31 23:59:59', NULL, 'x', NULL, [], '', 0.1;`,
    });
    const [out] = outputs.outputs as { uri: string; size: number }[];
    expect(out.size).toBe(2);
    expect(out.uri).toMatch(/^kestra:\/\/\/.*\.ion$/);
    const text = storage.readTextSync(out.uri);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);

    const first = ion.load(lines[0]);
    expect(first?.get('amount')?.getType()).toBe(ion.IonTypes.DECIMAL);
    expect(first?.get('amount')?.numberValue()).toBe(12.5);
    expect(String(first?.get('amount'))).toBe('12.50');
    expect(first?.get('pickup')?.getType()).toBe(ion.IonTypes.TIMESTAMP);
    expect(lines[0]).toContain('pickup:2019-01-01T00:46:40-00:00'); // Ion's "local time, offset unknown"
    expect(first?.get('at')?.getType()).toBe(ion.IonTypes.TIMESTAMP);
    expect(first?.get('at')?.timestampValue()?.getDate().toISOString()).toBe('2019-01-01T10:00:00.123Z');
    expect(first?.get('missing')?.isNull()).toBe(true);
    expect(first?.get('doc', 'a', 'b')?.getType()).toBe(ion.IonTypes.LIST);
    expect(first?.get('doc', 'a', 'b', 1)?.numberValue()).toBe(2);
    expect(first?.get('text')?.stringValue()).toBe('say "hi"');
    expect(first?.get('it\'s a "name"')?.stringValue()).toBe('odd');
    expect(lines[0]).toMatch(/^\{id:1,'it\\'s a "name"':"odd",amount:12\.50,/);
    expect(first?.get('ratio')?.getType()).toBe(ion.IonTypes.FLOAT);
    const second = ion.load(lines[1]);
    expect(String(second?.get('amount'))).toBe('-0.01');
    expect(second?.get('list')?.elements()).toHaveLength(0);
  });

  it('Query outputs the last result directly, and INSTALL of a built-in extension works offline', async () => {
    const dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'duck-'));
    fs.writeFileSync(path.join(dir, 'products.json'), JSON.stringify([{ brand: 'a', price: 10 }, { brand: 'a', price: 20 }, { brand: 'b', price: 5 }]));
    const { outputs, logs } = await run({
      id: 'query',
      type: QUERY,
      fetchType: 'FETCH',
      inputFiles: { 'products.json': fs.readFileSync(path.join(dir, 'products.json'), 'utf8') },
      sql: `INSTALL json;
            LOAD json;
            SELECT brand, round(avg(price), 2) AS avg_price
            FROM read_json_auto('{{ workingDir }}/products.json')
            GROUP BY brand ORDER BY avg_price DESC;`,
    });
    expect(outputs).toEqual({ rows: [{ brand: 'a', avg_price: 15 }, { brand: 'b', avg_price: 5 }], size: 2 });
    expect(logs.some((l) => /INSTALL json.*built in/.test(l.message))).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('copies kestra:// input files and uploads output files the SQL wrote', async () => {
    const dataDir = fs.mkdtempSync(path.join('/tmp', 'duck-files-'));
    disposers.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
    const t = await createTestRunContext({ task: { id: 'x', type: QUERIES }, dataDir });
    const csvUri = await t.storage.putText('kestra:///test/input/data.csv', 'a,b\n1,x\n2,y\n');
    const task: RawTask = {
      id: 'files',
      type: QUERIES,
      fetchType: 'FETCH_ONE',
      inputFiles: { 'in/data.csv': csvUri },
      outputFiles: ['out.parquet'],
      sql: `COPY (SELECT a * 10 AS a, b FROM read_csv_auto('{{ workingDir }}/in/data.csv')) TO '{{ outputFiles['out.parquet'] }}' (FORMAT PARQUET);
            SELECT sum(a) AS total FROM '{{ outputFiles['out.parquet'] }}';`,
    };
    const { outputs, storage } = await run(task, { dataDir });
    expect(outputs.outputs).toEqual([{ row: { total: 30 }, size: 1 }]);
    const files = outputs.outputFiles as Record<string, string>;
    expect(Object.keys(files)).toEqual(['out.parquet']);
    expect(storage.size(files['out.parquet'])).toBeGreaterThan(0);
  });

  it('binds :name parameters without touching casts or strings', async () => {
    const { outputs } = await run({
      id: 'p',
      type: QUERIES,
      fetchType: 'FETCH_ONE',
      parameters: { n: 41, label: "it's" },
      sql: "SELECT :n + 1 AS answer, :label AS label, '10'::INTEGER AS cast, ':n' AS literal",
    });
    expect(outputs.outputs).toEqual([{ row: { answer: 42, label: "it's", cast: 10, literal: ':n' }, size: 1 }]);
  });

  it('keeps a database between runs when url names a file', async () => {
    const dir = fs.mkdtempSync(path.join('/tmp', 'duck-persist-'));
    const url = `jdbc:duckdb:${dir}/keep.db`;
    await run({ id: 'a', type: QUERIES, url, sql: 'CREATE TABLE kept AS SELECT 5 AS v' });
    const { outputs } = await run({ id: 'b', type: QUERY, url, fetchType: 'FETCH_ONE', sql: 'SELECT v FROM kept' });
    expect(outputs).toEqual({ row: { v: 5 }, size: 1 });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('uploads the database file with outputDbFile', async () => {
    const { outputs, storage } = await run({ id: 'db', type: QUERIES, outputDbFile: true, sql: 'CREATE TABLE t AS SELECT 1 AS v' });
    expect(storage.exists(outputs.databaseUri as string)).toBe(true);
  });

  it('caps FETCH at the configured row count and says so', async () => {
    const { outputs, logs } = await run({ id: 'cap', type: QUERY, fetchType: 'FETCH', sql: 'SELECT * FROM range(5000) r(i)' }, { settings: { fetchCap: 100 } });
    expect(outputs.size).toBe(100);
    expect(outputs.truncated).toBe(true);
    expect(outputs.note).toMatch(/first 100 rows/);
    expect(logs.some((l) => l.level === 'WARN' && /first 100 rows/.test(l.message))).toBe(true);
  });

  it('reports a database error with its statement, line, task id and SQL line', async () => {
    const error = await run({
      id: 'broken',
      type: QUERIES,
      sql: 'CREATE TABLE t AS SELECT 1 AS price;\nSELECT 1;\nSELECT price,\n       pricee FROM t;',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskError);
    const message = (error as Error).message;
    expect(message).toContain('Referenced column "pricee" not found');
    expect(message).toContain("in task 'broken', statement 3 of 3 (line 4, column 8)");
    expect(message).toContain('4 |        pricee FROM t;');
  });

  it('reports a syntax error in a later statement at its own line', async () => {
    const error = await run({ id: 'syntax', type: QUERIES, sql: 'SELECT 1;\nSELECT * FROMM x;' }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/syntax error at or near "x"[\s\S]*statement 2 of 2 \(line 2, column 16\)[\s\S]*2 \| SELECT \* FROMM x;/);
  });

  it('a STORE cancelled while it streams stops, and leaves no partial file in storage', async () => {
    const controller = new AbortController();
    const t = await createTestRunContext({ task: { id: 'big', type: QUERY, fetchType: 'STORE', sql: 'SELECT i, repeat(\'x\', 50) AS pad FROM range(1000000000) r(i)' }, signal: controller.signal });
    disposers.push(t.dispose);
    const files = () => (fs.existsSync(t.storage.baseDir) ? fs.readdirSync(t.storage.baseDir, { recursive: true }).map(String).filter((f) => f.endsWith('.ion')) : []);
    const written = new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (files().length > 0) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    const running = definition(QUERY).run(t.ctx);
    await written;
    controller.abort();
    const error = await running.catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/cancelled/);
    expect(files()).toEqual([]);
  });

  it('stops a running statement when the task is cancelled', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const error = await run(
      { id: 'slow', type: QUERIES, sql: 'SELECT count(*) FROM range(100000000000) a' },
      { signal: controller.signal },
    ).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/cancelled/);
  });
});
