/**
 * The properties every query task shares, apart from the code that runs queries, so a
 * task definition (its schema, for validation and the editor) loads no database driver.
 */
import * as z from 'zod';
import { dynamic } from '../schema';

export const FETCH_TYPES = ['FETCH', 'FETCH_ONE', 'STORE', 'NONE'] as const;
export type FetchType = (typeof FETCH_TYPES)[number];

/** Properties every query task shares. */
export const queryProperties = {
  sql: z.string().describe('The SQL to run. Several statements separated by `;` are allowed.'),
  fetchType: dynamic(z.enum(FETCH_TYPES))
    .optional()
    .describe('What to do with rows a statement returns: FETCH (into outputs), FETCH_ONE (first row), STORE (Ion file in storage), NONE (default).'),
  fetch: z.boolean().optional().describe('Deprecated: use `fetchType: FETCH`.'),
  fetchOne: z.boolean().optional().describe('Deprecated: use `fetchType: FETCH_ONE`.'),
  store: z.boolean().optional().describe('Deprecated: use `fetchType: STORE`.'),
  fetchSize: z.union([z.number().int().positive(), z.string()]).optional().describe('Rows read per round trip while streaming results (default 10000).'),
  parameters: z
    .union([z.record(z.string(), z.unknown()), z.string()])
    .optional()
    .describe('Values bound to `:name` placeholders in the SQL (never spliced into the text).'),
  // The rest of plugin-jdbc's AbstractJdbcBaseQuery, accepted so a Kestra flow validates.
  timeZoneId: z.string().optional().describe('The time zone Kestra reads date and time columns in. Not used by Flowbook, which reads them as the driver gives them.'),
  afterSQL: z.string().optional().describe('SQL Kestra runs after the main statements (for example to drop a temporary table). Not run by Flowbook yet.'),
  connectionPooling: dynamic(z.boolean()).optional().describe("Reuse connections between tasks (Kestra default true). Flowbook opens one connection per task run."),
  connectionPoolSize: z.union([z.number().int().positive(), z.string()]).optional().describe('The most pooled connections Kestra keeps (default 10). Not used by Flowbook.'),
};
