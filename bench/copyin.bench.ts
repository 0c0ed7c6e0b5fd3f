/**
 * PostgreSQL CopyIn of a generated green taxi month (the course's CSV, 1M rows by default)
 * from internal storage into a staging table, against `psql \copy` of the same file into
 * the same table, both truncating it first. BENCH_COPYIN_ROWS sets the size.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createTestRunContext } from '../lib/engine/run-context';
import { HostAliases } from '../lib/config/host-aliases';
import { definitions as postgresTasks } from '../lib/tasks/jdbc-postgres';
import type { RawTask } from '../lib/tasks/types';
import { startTestPostgres, type TestPostgres } from '../test/support/postgres';
import { GREEN_COLUMNS, taxiCsv } from '../test/support/taxi-csv';
import type { Benchmark } from './harness';
import { timed } from './harness';

const ROWS = Number(process.env.BENCH_COPYIN_ROWS ?? 1_000_000);
const PSQL = '/usr/bin/psql';
const run = promisify(execFile);

let work = '';
let server: TestPostgres | undefined;
let csvFile = '';
let from = '';
let aliases = new HostAliases();
const conn = { url: 'jdbc:postgresql://pgdatabase:5432/ny_taxi', username: 'root', password: 'root' };

async function runTask(task: RawTask): Promise<Record<string, unknown>> {
  const def = postgresTasks.find((d) => d.type === task.type);
  if (!def || def.kind !== 'runnable') throw new Error(`no task ${task.type}`);
  const t = await createTestRunContext({ task, hostAliases: aliases, dataDir: work });
  return (await def.run(t.ctx)).outputs;
}

const truncate = () => runTask({ id: 'truncate', type: 'io.kestra.plugin.jdbc.postgresql.Queries', ...conn, sql: 'TRUNCATE green_staging' });

const bench: Benchmark = {
  id: 'copyin',
  title: `PostgreSQL CopyIn of a ${ROWS.toLocaleString('en')}-row taxi CSV`,
  target: '≤ 1.5× psql \\copy of the same file',
  runs: 3,
  async setup() {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-bench-copyin-'));
    server = await startTestPostgres({ user: 'root', password: 'root', database: 'ny_taxi' });
    aliases = HostAliases.parse(`pgdatabase=127.0.0.1:${server.port}`);
    csvFile = path.join(work, 'green_tripdata_2019-01.csv');
    fs.writeFileSync(csvFile, taxiCsv('green', '2019-01', ROWS));
    const setup = await createTestRunContext({ task: { id: 'setup', type: 'x' }, dataDir: work });
    from = await setup.storage.putFile('kestra:///bench/green_tripdata_2019-01.csv', csvFile);
    await runTask({ id: 'ddl', type: 'io.kestra.plugin.jdbc.postgresql.Queries', ...conn, sql: `CREATE TABLE green_staging (${GREEN_COLUMNS.map((c) => `${c} text`).join(', ')})` });
  },
  async teardown() {
    await server?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  },
  baseline: {
    name: 'psql \\copy',
    async run() {
      await truncate();
      const ms = await timed(() =>
        run(PSQL, ['-h', '127.0.0.1', '-p', String(server!.port), '-U', 'root', '-d', 'ny_taxi', '-v', 'ON_ERROR_STOP=1', '-c', `\\copy green_staging (${GREEN_COLUMNS.join(', ')}) FROM '${csvFile}' WITH (FORMAT csv, HEADER true)`], {
          env: { ...process.env, PGPASSWORD: 'root' },
        }),
      );
      return { ms };
    },
  },
  subject: {
    name: 'CopyIn task',
    async run() {
      await truncate();
      let rowCount: unknown;
      const ms = await timed(async () => {
        rowCount = (await runTask({ id: 'copy', type: 'io.kestra.plugin.jdbc.postgresql.CopyIn', ...conn, format: 'CSV', header: true, from, table: 'green_staging', columns: GREEN_COLUMNS })).rowCount;
      });
      if (rowCount !== ROWS) throw new Error(`CopyIn loaded ${String(rowCount)} rows, not ${ROWS}`);
      return { ms };
    },
  },
  verdict(o) {
    return { met: o.ratio <= 1.5, figure: `${o.ratio.toFixed(2)}× psql \\copy` };
  },
};

export default bench;
