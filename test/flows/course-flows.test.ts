/**
 * The course's flows from flows/, run through the real CLI against local fixtures:
 * an HTTP server standing in for the internet and a real PostgreSQL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, parseJsonRun, outputsOf } from '../support/cli';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server';
import { startTestPostgres } from '../support/postgres';

let fixtures: FixtureServer;
let postgres: Awaited<ReturnType<typeof startTestPostgres>>;
let dataDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  fixtures = await startFixtureServer({ rowsPerMonth: 40 });
  postgres = await startTestPostgres({ database: 'ny_taxi' });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-course-'));
  env = {
    FLOWBOOK_HOST_ALIASES: `pgdatabase=127.0.0.1:${postgres.port}`,
    FLOWBOOK_DATA_DIR: dataDir,
    // Test containers reach the local fixture server over the host network only.
    FLOWBOOK_DOCKER_NETWORK: 'host',
  };
});

afterAll(async () => {
  await fixtures?.close();
  await postgres?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function count(sql: string): Promise<number> {
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  try {
    const r = await client.query<{ n: string }>(sql);
    return Number(r.rows[0].n);
  } finally {
    await client.end();
  }
}

describe('course flows through `flowbook run`', () => {
  it('01_hello_world logs the greeting at the pluginDefaults level and returns its output', async () => {
    const r = await runCli(['run', 'flows/01_hello_world.yaml', '--input', 'name=Ada', '--json'], env);
    const run = parseJsonRun(r);
    expect(run.state).toBe('SUCCESS');
    expect(r.code).toBe(0);
    expect(outputsOf(run, 'generate_output')).toEqual({ value: 'I was generated during this workflow.' });
    expect(r.stderr).toMatch(/ERROR\s+\[hello_message\] Hello, Ada!/);
    expect(r.stderr).toMatch(/ERROR\s+\[log_output\] This is an output: I was generated during this workflow\./);
    expect(r.stderr).toMatch(/ERROR\s+\[goodbye_message\] Goodbye, Ada!/);
  });

  it('02_python sends Kestra.outputs back as vars', async () => {
    const r = await runCli(['run', 'flows/02_python.yaml', '--input', `registry_api=${fixtures.url}/v2/repositories`, '--json'], env);
    const run = parseJsonRun(r);
    expect(run.state, r.stderr).toMatch(/SUCCESS|WARNING/);
    expect(outputsOf(run, 'collect_stats')).toMatchObject({ vars: { downloads: 1459257 }, exitCode: 0 });
    expect(r.stderr).toMatch(/\[log_downloads\] kestra\/kestra was pulled 1459257 times/);
  });

  it('03 downloads, transforms in Python and stores the DuckDB result as Ion', async () => {
    const r = await runCli(['run', 'flows/03_getting_started_data_pipeline.yaml', '--input', `products_url=${fixtures.url}/products`, '--json'], env);
    const run = parseJsonRun(r);
    expect(run.state, r.stderr).toMatch(/SUCCESS|WARNING/);
    const extract = outputsOf(run, 'extract');
    expect(extract.code).toBe(200);
    const transform = outputsOf(run, 'transform') as { outputFiles: Record<string, string> };
    // `*.json` also matches the input file data.json, as it does in Kestra.
    expect(Object.keys(transform.outputFiles).sort()).toEqual(['data.json', 'products.json']);
    const query = outputsOf(run, 'query') as { outputs: { uri: string; size: number }[] };
    expect(query.outputs).toHaveLength(1);
    expect(query.outputs[0].size).toBe(4);
    const file = path.join(dataDir, 'storage', decodeURIComponent(query.outputs[0].uri.replace('kestra://', '')));
    const ion = fs.readFileSync(file, 'utf8').trim().split('\n');
    expect(ion).toHaveLength(4);
    // Highest average first: Glamour Beauty 19.99, Velvet Touch 14.99, Essence (9.99+12.99)/2 = 11.49, N/A 1.99.
    expect(ion[0]).toMatch(/brand:"Glamour Beauty"/);
    expect(ion[2]).toMatch(/brand:"Essence",avg_price:11\.49/);
    expect(ion[3]).toMatch(/brand:"N\/A"/);
  });

  it('04 loads yellow and green taxi months with the MERGE pattern', async () => {
    const source = `source_url=${fixtures.url}/taxi`;
    const yellow = await runCli(['run', 'flows/04_postgres_taxi.yaml', '--input', 'taxi=yellow', '--input', source, '--json'], env);
    const y = parseJsonRun(yellow);
    expect(y.state, yellow.stderr).toBe('SUCCESS');
    expect(y.labels).toMatchObject({ file: 'yellow_tripdata_2019-01.csv', taxi: 'yellow' });
    expect(outputsOf(y, 'yellow_copy_in_to_staging_table')).toMatchObject({ rowCount: 40 });
    expect(y.taskRuns.some((t) => t.taskId.startsWith('green_'))).toBe(false);
    expect(await count('SELECT count(*) AS n FROM public.yellow_tripdata')).toBe(40);

    // Same month again: MERGE adds nothing.
    const again = parseJsonRun(await runCli(['run', 'flows/04_postgres_taxi.yaml', '--input', 'taxi=yellow', '--input', source, '--json'], env));
    expect(again.state).toBe('SUCCESS');
    expect(await count('SELECT count(*) AS n FROM public.yellow_tripdata')).toBe(40);

    // Another month adds its rows.
    const feb = parseJsonRun(await runCli(['run', 'flows/04_postgres_taxi.yaml', '--input', 'taxi=yellow', '--input', 'month=02', '--input', source, '--json'], env));
    expect(feb.state).toBe('SUCCESS');
    expect(await count('SELECT count(*) AS n FROM public.yellow_tripdata')).toBe(80);
    expect(await count("SELECT count(*) AS n FROM public.yellow_tripdata WHERE filename = 'yellow_tripdata_2019-02.csv'")).toBe(40);

    const green = await runCli(['run', 'flows/04_postgres_taxi.yaml', '--input', 'taxi=green', '--input', source, '--json'], env);
    expect(parseJsonRun(green).state, green.stderr).toBe('SUCCESS');
    expect(await count('SELECT count(*) AS n FROM public.green_tripdata')).toBe(40);
    // Empty cells arrive as NULL, as COPY ... CSV loads them.
    expect(await count('SELECT count(*) AS n FROM public.green_tripdata WHERE ehail_fee IS NULL')).toBe(40);
  });

  it('05 takes its month from the trigger date and fails a manual run without one', async () => {
    const source = `source_url=${fixtures.url}/taxi`;
    const r = await runCli(['run', 'flows/05_postgres_taxi_scheduled.yaml', '--input', 'taxi=green', '--input', source, '--trigger-date', '2019-03-01T09:00:00Z', '--json'], env);
    const run = parseJsonRun(r);
    expect(run.state, r.stderr).toBe('SUCCESS');
    expect(run.labels.file).toBe('green_tripdata_2019-03.csv');
    expect(await count("SELECT count(*) AS n FROM public.green_tripdata WHERE filename = 'green_tripdata_2019-03.csv'")).toBe(40);

    const manual = await runCli(['run', 'flows/05_postgres_taxi_scheduled.yaml', '--input', 'taxi=green', '--input', source, '--json'], env);
    expect(manual.code).toBe(1);
    expect(parseJsonRun(manual).state).toBe('FAILED');
    expect(manual.stderr).toMatch(/trigger/);
  });

  it('backfills 05 over a window: one queued execution per monthly slot', async () => {
    const r = await runCli(
      ['backfill', 'flows/05_postgres_taxi_scheduled.yaml', '--trigger', 'green_schedule', '--start', '2019-06-01T00:00:00Z', '--end', '2019-08-31T23:59:59Z', '--input', `source_url=${fixtures.url}/taxi`, '--label', 'backfill=true', '--json'],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    const runs = JSON.parse(r.stdout) as { triggerDate: string; state: string; labels: Record<string, string> }[];
    expect(runs.map((x) => [x.triggerDate, x.state, x.labels.file, x.labels.backfill])).toEqual([
      ['2019-06-01T09:00:00.000Z', 'SUCCESS', 'green_tripdata_2019-06.csv', 'true'],
      ['2019-07-01T09:00:00.000Z', 'SUCCESS', 'green_tripdata_2019-07.csv', 'true'],
      ['2019-08-01T09:00:00.000Z', 'SUCCESS', 'green_tripdata_2019-08.csv', 'true'],
    ]);
    // concurrency limit 1: the later slots waited in the queue while the first one ran.
    expect(r.stderr).toMatch(/Flow is queued due to concurrency limit exceeded/);
    expect(await count("SELECT count(DISTINCT filename) AS n FROM public.green_tripdata WHERE filename LIKE 'green_tripdata_2019-0_.csv' AND filename >= 'green_tripdata_2019-06.csv'")).toBe(3);
  });
});
