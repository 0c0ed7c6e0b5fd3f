import type { RunnableTaskDefinition } from '../types';
import { taskSchema } from '../schema';
import { duckDbProperties } from './properties';

export const duckDbQuery: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.jdbc.duckdb.Query',
  title: 'Run a DuckDB query',
  description:
    'Runs SQL in DuckDB, an in-process analytics database that reads CSV, JSON and Parquet files directly. ' +
    'The result of the last statement that returns rows becomes the output: row (FETCH_ONE), rows (FETCH) or uri of an Ion file (STORE), with size. ' +
    'Use Queries instead when several statements should each keep their result.',
  properties: taskSchema(() => duckDbProperties),
  outputs: ['row', 'rows', 'uri', 'size', 'outputFiles', 'databaseUri'],
  example: `id: query
type: io.kestra.plugin.jdbc.duckdb.Query
sql: |
  SELECT 42 AS answer, current_date AS today;
fetchType: FETCH_ONE
`,
  editor: { property: 'sql', language: 'sql' },
  // DuckDB (a native addon and some 180 modules) loads when a DuckDB task first runs.
  run: async (ctx) => (await import('./run-sql')).runDuckDbTask(ctx, 'query'),
};
