/**
 * DuckDB STORE (the result written as Ion, one record per line, into internal storage)
 * against DuckDB's own `COPY (query) TO 'file'` of the same query in its default format
 * (CSV, DuckDB's fastest text writer, all threads), in a fresh in-memory database as the
 * task opens one. The baseline also times `FORMAT JSON` (one object per line, the shape
 * closest to Ion) as the extra `jsonMs`. The query mixes the column kinds a taxi result
 * has: an integer, a string, a decimal and a timestamp.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createTestRunContext } from '../lib/engine/run-context';
import { definitions as duckDbTasks } from '../lib/tasks/jdbc-duckdb';
import type { Benchmark } from './harness';
import { timed } from './harness';

const ROWS = Number(process.env.BENCH_STORE_ROWS ?? 2_000_000);
export const STORE_SQL = (rows: number) =>
  `SELECT i AS id, 'trip ' || i AS name, (i * 0.25)::DECIMAL(12,2) AS fare, TIMESTAMP '2019-01-01' + to_seconds(i) AS pickup FROM range(${rows}) t(i)`;

let work = '';

const query = duckDbTasks.find((d) => d.type === 'io.kestra.plugin.jdbc.duckdb.Query');
if (!query || query.kind !== 'runnable') throw new Error('no DuckDB Query task');

const bench: Benchmark = {
  id: 'duckdb-store',
  title: `DuckDB STORE of ${ROWS.toLocaleString('en')} rows`,
  target: '≤ 2× DuckDB COPY … TO (CSV) of the same query',
  async setup() {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-bench-store-'));
  },
  async teardown() {
    fs.rmSync(work, { recursive: true, force: true });
  },
  baseline: {
    name: 'COPY … TO (CSV)',
    async run() {
      const copy = async (file: string, options: string) => {
        const ms = await timed(async () => {
          const db = await DuckDBInstance.create(':memory:');
          const c = await db.connect();
          await c.run(`COPY (${STORE_SQL(ROWS)}) TO '${file}' ${options}`);
          c.closeSync();
          db.closeSync();
        });
        const megabytes = fs.statSync(file).size / 1e6;
        fs.rmSync(file);
        return { ms, megabytes };
      };
      const csv = await copy(path.join(work, 'copy.csv'), '(HEADER)');
      const json = await copy(path.join(work, 'copy.json'), '(FORMAT JSON)');
      return { ms: csv.ms, extra: { megabytes: csv.megabytes, jsonMs: json.ms } };
    },
  },
  subject: {
    name: 'Query with fetchType STORE',
    async run() {
      const t = await createTestRunContext({ task: { id: 'big', type: query.type, fetchType: 'STORE', sql: STORE_SQL(ROWS) }, dataDir: work });
      let uri = '';
      const ms = await timed(async () => {
        uri = String((await query.run(t.ctx)).outputs.uri);
      });
      const mb = t.storage.size(uri) / 1e6;
      await t.dispose();
      for (const d of ['storage', 'tmp']) fs.rmSync(path.join(work, d), { recursive: true, force: true });
      return { ms, extra: { megabytes: mb } };
    },
  },
  verdict(o) {
    return { met: o.ratio <= 2, figure: `${(1 / o.ratio).toFixed(2)}× COPY's speed (${o.subject.median.toFixed(0)} ms vs ${o.baseline.median.toFixed(0)} ms)` };
  },
};

export default bench;
