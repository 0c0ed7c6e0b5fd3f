import * as z from 'zod';
import { taskSchema } from '../schema';
import type { RunnableTaskDefinition } from '../types';
import { connectionProperties } from './connection-properties';
import { copyProperties } from './copy-options';

export const postgresCopyIn: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.jdbc.postgresql.CopyIn',
  title: 'Bulk-load a file into a PostgreSQL table',
  description:
    'Streams a file from internal storage into a table with PostgreSQL\'s COPY … FROM STDIN, the fastest way to load a CSV: ' +
    'much faster than INSERTs because rows go straight into the table. Name the columns in file order when the table has extra ones. ' +
    'Outputs rowCount. It runs in one transaction, so a bad row leaves the table unchanged.',
  outputs: ['rowCount'],
  properties: taskSchema(() => ({
    ...connectionProperties,
    ...copyProperties,
    from: z.string().describe('kestra:// URI of the file to load, usually an output file of an earlier task.'),
    table: z.string().describe('Target table, e.g. public.green_tripdata_staging.'),
    columns: z.array(z.string()).optional().describe('Columns the file fills, in file order.'),
  })),
  example: `id: green_copy_in_to_staging_table
type: io.kestra.plugin.jdbc.postgresql.CopyIn
url: jdbc:postgresql://pgdatabase:5432/ny_taxi
username: root
password: root
format: CSV
from: "{{ outputs.extract.outputFiles['green_tripdata_2019-01.csv'] }}"
table: public.green_tripdata_staging
header: true
columns: [VendorID, lpep_pickup_datetime, lpep_dropoff_datetime, store_and_fwd_flag, RatecodeID, PULocationID, DOLocationID, passenger_count, trip_distance, fare_amount, extra, mta_tax, tip_amount, tolls_amount, ehail_fee, improvement_surcharge, total_amount, payment_type, trip_type, congestion_surcharge]
`,
  run: async (ctx) => (await import('./copy-in-run')).run(ctx),
};
