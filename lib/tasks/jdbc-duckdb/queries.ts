import type { RunnableTaskDefinition } from '../types';
import * as z from 'zod';
import { taskSchema } from '../schema';
import { duckDbProperties } from './properties';

export const duckDbQueries: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.jdbc.duckdb.Queries',
  title: 'Run SQL statements in DuckDB',
  description:
    'Runs one or more SQL statements in DuckDB, an analytics database that lives inside the task: no server, no credentials. ' +
    'It reads CSV, JSON and Parquet files directly, so it suits quick transformations of files from earlier tasks (pass them with inputFiles and read them at {{workingDir}}/name). ' +
    'Each statement that returns rows adds one entry to outputs, shaped by fetchType: FETCH keeps the rows, FETCH_ONE the first row, STORE writes an Ion file to storage, NONE leaves the entry empty.',
  // plugin-jdbc's AbstractJdbcQueries adds `transaction` to what a DuckDB Query has.
  properties: taskSchema(() => ({
    ...duckDbProperties,
    transaction: z.boolean().optional().describe('Kestra runs the statements in one transaction (default true). Flowbook runs them one after the other in the same database.'),
  })),
  outputs: ['outputs', 'outputFiles', 'databaseUri'],
  example: `id: average_price
type: io.kestra.plugin.jdbc.duckdb.Queries
inputFiles:
  products.json: "{{ outputs.transform.outputFiles['products.json'] }}"
sql: |
  INSTALL json;
  LOAD json;
  SELECT brand, round(avg(price), 2) AS avg_price
  FROM read_json_auto('{{ workingDir }}/products.json')
  GROUP BY brand
  ORDER BY avg_price DESC;
fetchType: STORE
`,
  editor: { property: 'sql', language: 'sql' },
  // DuckDB (a native addon and some 180 modules) loads when a DuckDB task first runs.
  run: async (ctx) => (await import('./run-sql')).runDuckDbTask(ctx, 'queries'),
};
