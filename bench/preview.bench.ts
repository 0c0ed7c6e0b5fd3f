/**
 * The result grid's pages of a huge STORE result: a DuckDB Query with fetchType STORE
 * writes 10M rows as Ion (with its line index), then the first page and a middle page
 * (100 rows each) are read as the notebook asks for them, total included. Baseline: the
 * same two pages of the same rows from a Parquet file by DuckDB (`LIMIT 100 OFFSET k`,
 * the way previews read Parquet results, whose footer knows the row count), the best case
 * a columnar file with row groups offers. Extras: each page's time, the RSS growth over
 * the two reads, and the process's CPU time for both (DuckDB's threads included), which a
 * busy machine does not inflate as it does wall time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createTestRunContext } from '../lib/engine/run-context';
import { definitions as duckDbTasks } from '../lib/tasks/jdbc-duckdb';
import type { LocalStorage } from '../lib/storage/storage';
import { preview } from '../lib/preview';
import type { Benchmark } from './harness';
import { STORE_SQL } from './duckdb-store.bench';

const ROWS = Number(process.env.BENCH_PREVIEW_ROWS ?? 10_000_000);
const PAGE = 100;
const MIDDLE = Math.floor(ROWS / 2) + 17;

let work = '';
let storage: LocalStorage | undefined;
let uri = '';
let parquet = '';

async function pages(read: (offset: number) => Promise<unknown[][]>): Promise<{ ms: number; extra: Record<string, number> }> {
  const rss = process.memoryUsage().rss;
  const cpu = process.cpuUsage();
  let started = performance.now();
  const first = await read(0);
  const firstPageMs = performance.now() - started;
  started = performance.now();
  const middle = await read(MIDDLE);
  const middlePageMs = performance.now() - started;
  const rssGrowthMb = (process.memoryUsage().rss - rss) / 1e6;
  const used = process.cpuUsage(cpu);
  // CPU time of this process: what the pages cost, whatever else the machine is running.
  const cpuMs = (used.user + used.system) / 1000;
  if (first.length !== PAGE || middle.length !== PAGE || Number(middle[0][0]) !== MIDDLE) throw new Error(`wrong page: ${JSON.stringify(middle[0])}`);
  return { ms: firstPageMs + middlePageMs, extra: { firstPageMs, middlePageMs, rssGrowthMb, cpuMs } };
}

const bench: Benchmark = {
  id: 'preview',
  title: `First and middle preview page of a ${ROWS.toLocaleString('en')}-row STORE result`,
  target: '≤ 100 ms per page, RSS growth ≤ 100 MB',
  runs: 15,
  async setup() {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-bench-preview-'));
    const query = duckDbTasks.find((d) => d.type === 'io.kestra.plugin.jdbc.duckdb.Query');
    if (!query || query.kind !== 'runnable') throw new Error('no DuckDB Query task');
    const t = await createTestRunContext({ task: { id: 'big', type: query.type, fetchType: 'STORE', sql: STORE_SQL(ROWS) }, dataDir: work });
    uri = String((await query.run(t.ctx)).outputs.uri);
    storage = t.storage;
    parquet = path.join(t.storage.baseDir, 'bench', 'same.parquet');
    fs.mkdirSync(path.dirname(parquet), { recursive: true });
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    await c.run(`COPY (${STORE_SQL(ROWS)}) TO '${parquet}' (FORMAT PARQUET)`);
    c.closeSync();
    db.closeSync();
  },
  async teardown() {
    fs.rmSync(work, { recursive: true, force: true });
  },
  baseline: {
    name: 'DuckDB LIMIT/OFFSET on the same rows in Parquet',
    run: () => pages(async (offset) => (await preview(storage!, 'kestra:///bench/same.parquet', { offset, limit: PAGE })).rows),
  },
  subject: {
    name: 'preview of the Ion STORE result',
    run: () => pages(async (offset) => (await preview(storage!, uri, { offset, limit: PAGE })).rows),
  },
  verdict(o) {
    const { firstPageMs, middlePageMs, rssGrowthMb } = o.subject.extra;
    return {
      met: firstPageMs <= 100 && middlePageMs <= 100 && rssGrowthMb <= 100,
      figure: `first page ${firstPageMs.toFixed(0)} ms, middle page ${middlePageMs.toFixed(0)} ms, RSS +${rssGrowthMb.toFixed(0)} MB`,
    };
  },
};

export default bench;
