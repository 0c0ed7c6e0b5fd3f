/**
 * CopyIn against `psql \copy` on the same generated taxi CSV, and time to the first preview
 * page of a 2M-row STORE result. Run: node --import tsx bench/copyin.ts [rows]
 * Results go to bench/results/ (not committed).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createTestRunContext } from '../lib/engine/run-context';
import { HostAliases } from '../lib/config/host-aliases';
import { definitions as postgresTasks } from '../lib/tasks/jdbc-postgres';
import { definitions as duckDbTasks } from '../lib/tasks/jdbc-duckdb';
import type { RawTask, RunnableTaskDefinition, TaskDefinition } from '../lib/tasks/types';
import { preview } from '../lib/preview';
import { startTestPostgres } from '../test/support/postgres';
import { GREEN_COLUMNS, taxiCsv } from '../test/support/taxi-csv';

const rows = Number(process.argv[2] ?? 1_000_000);
const PSQL = '/usr/bin/psql';

function runnable(defs: readonly TaskDefinition[], type: string): RunnableTaskDefinition {
  const def = defs.find((d) => d.type === type);
  if (!def || def.kind !== 'runnable') throw new Error(`no task ${type}`);
  return def;
}

async function time<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-bench-'));
const server = await startTestPostgres({ user: 'root', password: 'root', database: 'ny_taxi' });
try {
  // The course downloads .csv.gz and unzips it; the bench does the same with a generated month.
  const csvFile = path.join(work, 'green_tripdata_2019-01.csv');
  fs.writeFileSync(csvFile, zlib.gunzipSync(zlib.gzipSync(taxiCsv('green', '2019-01', rows))));
  const sizeMb = fs.statSync(csvFile).size / 1e6;

  const aliases = HostAliases.parse(`pgdatabase=127.0.0.1:${server.port}`);
  const conn = { url: 'jdbc:postgresql://pgdatabase:5432/ny_taxi', username: 'root', password: 'root' };
  const table = `green_staging (${GREEN_COLUMNS.join(', ')})`;
  const runTask = async (defs: readonly TaskDefinition[], task: RawTask, dataDir: string) => {
    const t = await createTestRunContext({ task, hostAliases: aliases, dataDir });
    return runnable(defs, task.type).run(t.ctx);
  };
  await runTask(postgresTasks, { id: 'ddl', type: 'io.kestra.plugin.jdbc.postgresql.Queries', ...conn, sql: `CREATE TABLE green_staging (${GREEN_COLUMNS.map((c) => `${c} text`).join(', ')})` }, work);

  const setup = await createTestRunContext({ task: { id: 'setup', type: 'x' }, dataDir: work });
  const from = await setup.storage.putFile('kestra:///bench/green_tripdata_2019-01.csv', csvFile);
  const copyIn = await time(() =>
    runTask(postgresTasks, { id: 'copy', type: 'io.kestra.plugin.jdbc.postgresql.CopyIn', ...conn, format: 'CSV', header: true, from, table: 'green_staging', columns: GREEN_COLUMNS }, work),
  );

  await runTask(postgresTasks, { id: 'truncate', type: 'io.kestra.plugin.jdbc.postgresql.Queries', ...conn, sql: 'TRUNCATE green_staging' }, work);
  const psql = await time(async () =>
    execFileSync(PSQL, ['-h', '127.0.0.1', '-p', String(server.port), '-U', 'root', '-d', 'ny_taxi', '-v', 'ON_ERROR_STOP=1', '-c', `\\copy ${table} FROM '${csvFile}' WITH (FORMAT csv, HEADER true)`], {
      env: { ...process.env, PGPASSWORD: 'root' },
      encoding: 'utf8',
    }),
  );

  // A 2M-row STORE result, then its first page as the notebook would ask for it.
  const store = await time(() =>
    runTask(duckDbTasks, { id: 'big', type: 'io.kestra.plugin.jdbc.duckdb.Query', fetchType: 'STORE', sql: "SELECT i AS id, 'trip ' || i AS name, (i * 0.25)::DECIMAL(12,2) AS fare, TIMESTAMP '2019-01-01' + to_seconds(i) AS pickup FROM range(2000000) t(i)" }, work),
  );
  const rssBefore = process.memoryUsage().rss;
  const firstPage = await time(() => preview(setup.storage, String(store.value.outputs.uri), { offset: 0, limit: 100 }));
  const rssAfter = process.memoryUsage().rss;

  const result = {
    at: new Date().toISOString(),
    rows,
    csvMegabytes: Number(sizeMb.toFixed(1)),
    copyInMs: Math.round(copyIn.ms),
    copyInRowCount: copyIn.value.outputs.rowCount,
    psqlCopyMs: Math.round(psql.ms),
    psqlOutput: psql.value.trim(),
    copyInToPsqlRatio: Number((copyIn.ms / psql.ms).toFixed(2)),
    store2MRowsMs: Math.round(store.ms),
    firstPreviewPageMs: Math.round(firstPage.ms),
    firstPreviewPageTotal: firstPage.value.total,
    previewRssDeltaMb: Number(((rssAfter - rssBefore) / 1e6).toFixed(1)),
  };
  const dir = path.join(import.meta.dirname, 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `copyin-${result.at.replace(/[:.]/g, '-')}.json`), JSON.stringify(result, null, 2) + '\n');
  console.log(`CopyIn ${rows} rows (${result.csvMegabytes} MB): ${result.copyInMs} ms; psql \\copy: ${result.psqlCopyMs} ms; ratio CopyIn/psql = ${result.copyInToPsqlRatio}`);
  console.log(`STORE of 2,000,000 rows: ${result.store2MRowsMs} ms; first preview page: ${result.firstPreviewPageMs} ms (total ${result.firstPreviewPageTotal}, RSS +${result.previewRssDeltaMb} MB)`);
} finally {
  await server.stop();
  fs.rmSync(work, { recursive: true, force: true });
}
