/** Where a PostgreSQL task connects, as a schema: apart from transport.ts so defining a task loads no pg. */
import * as z from 'zod';
import { dynamic } from '../schema';

export const connectionProperties = {
  url: z.string().describe('JDBC URL, e.g. jdbc:postgresql://pgdatabase:5432/ny_taxi (usually set once in pluginDefaults).'),
  username: z.string().optional().describe('Database user.'),
  password: z.string().optional().describe('Database password (masked in logs).'),
  transaction: z.boolean().optional().describe('Run everything in one transaction, rolled back on error (default true).'),
  // plugin-jdbc-postgres's PostgresConnectionInterface, accepted so a Kestra flow validates.
  ssl: dynamic(z.boolean()).optional().describe('Connect over SSL (Kestra default false). Flowbook reads SSL from the URL (`?ssl=true`, `sslmode=require`).'),
  sslMode: z.string().optional().describe('DISABLE, ALLOW, PREFER, REQUIRE, VERIFY_CA or VERIFY_FULL. Flowbook reads `sslmode` from the URL.'),
  sslRootCert: z.string().optional().describe('CA certificate (PEM) Kestra verifies the server with. Not used by Flowbook.'),
  sslCert: z.string().optional().describe('Client certificate (PEM). Not used by Flowbook.'),
  sslKey: z.string().optional().describe('Client key (PEM). Not used by Flowbook.'),
  sslKeyPassword: z.string().optional().describe('Password of the client key. Not used by Flowbook.'),
};
