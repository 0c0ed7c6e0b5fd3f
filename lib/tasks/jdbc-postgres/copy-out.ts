import * as z from 'zod';
import { taskSchema } from '../schema';
import type { RunnableTaskDefinition } from '../types';
import { connectionProperties } from './connection-properties';
import { copyProperties } from './copy-options';

export const postgresCopyOut: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.jdbc.postgresql.CopyOut',
  title: 'Export a PostgreSQL table or query to a file',
  description:
    'Streams a table, or the result of a query, out of PostgreSQL with COPY … TO STDOUT into a file in internal storage (CSV, TEXT or BINARY). ' +
    'Outputs uri (the file) and rowCount. Use it to hand data to a later task or to download it.',
  outputs: ['uri', 'rowCount'],
  properties: taskSchema(() => ({
    ...connectionProperties,
    ...copyProperties,
    table: z.string().optional().describe('Table to export (or give sql).'),
    columns: z.array(z.string()).optional().describe('Columns of table to export.'),
    sql: z.string().optional().describe('A query whose result is exported, instead of a table.'),
  })),
  example: `id: export_zones
type: io.kestra.plugin.jdbc.postgresql.CopyOut
url: jdbc:postgresql://pgdatabase:5432/ny_taxi
username: root
password: root
format: CSV
header: true
sql: SELECT * FROM public.green_tripdata WHERE filename = 'green_tripdata_2019-01.csv'
`,
  run: async (ctx) => (await import('./copy-out-run')).run(ctx),
};
