import type { RunnableTaskDefinition } from '../types';
import { taskSchema } from '../schema';
import { postgresQueryProperties } from './queries';

export const postgresQuery: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.jdbc.postgresql.Query',
  title: 'Run a PostgreSQL query',
  description:
    'Runs SQL against PostgreSQL in one transaction and outputs the result of the last statement that returns rows: ' +
    'row (FETCH_ONE), rows (FETCH) or uri of an Ion file (STORE), with size.',
  properties: taskSchema(() => postgresQueryProperties),
  outputs: ['row', 'rows', 'uri', 'size'],
  example: `id: count_trips
type: io.kestra.plugin.jdbc.postgresql.Query
url: jdbc:postgresql://pgdatabase:5432/ny_taxi
username: root
password: root
sql: SELECT count(*) AS trips FROM public.green_tripdata
fetchType: FETCH_ONE
`,
  editor: { property: 'sql', language: 'sql' },
  // pg loads when a PostgreSQL task first runs.
  run: async (ctx) => (await import('./run-sql')).runPostgresTask(ctx, 'query'),
};
