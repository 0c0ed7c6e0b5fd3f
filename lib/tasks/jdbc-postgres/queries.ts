import type { RunnableTaskDefinition } from '../types';
import { taskSchema } from '../schema';
import { queryProperties } from '../jdbc-common/query-properties';
import { connectionProperties } from './connection-properties';

export const postgresQueryProperties = { ...connectionProperties, ...queryProperties };

export const postgresQueries: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.jdbc.postgresql.Queries',
  title: 'Run SQL statements in PostgreSQL',
  description:
    'Runs one or more SQL statements against a PostgreSQL database, all in one transaction: if any statement fails, none of them take effect. ' +
    'Typical uses are CREATE TABLE IF NOT EXISTS, TRUNCATE, UPDATE and MERGE steps of a load. ' +
    'Each statement that returns rows adds one entry to outputs, shaped by fetchType (FETCH, FETCH_ONE, STORE or NONE, the default).',
  properties: taskSchema(() => postgresQueryProperties),
  outputs: ['outputs'],
  example: `id: green_truncate_staging_table
type: io.kestra.plugin.jdbc.postgresql.Queries
url: jdbc:postgresql://pgdatabase:5432/ny_taxi
username: root
password: root
sql: |
  TRUNCATE TABLE public.green_tripdata_staging;
`,
  editor: { property: 'sql', language: 'sql' },
  // pg loads when a PostgreSQL task first runs.
  run: async (ctx) => (await import('./run-sql')).runPostgresTask(ctx, 'queries'),
};
