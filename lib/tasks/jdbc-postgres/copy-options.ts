/** The `WITH (…)` clause of COPY, built from Kestra's AbstractCopy properties. */
import * as z from 'zod';
import { dynamic } from '../schema';
import type { RunContext } from '../types';
import { TaskError } from '../types';

export const copyProperties = {
  format: dynamic(z.enum(['TEXT', 'CSV', 'BINARY'])).optional().describe('File format: TEXT (PostgreSQL default, tab-separated), CSV or BINARY.'),
  header: dynamic(z.boolean()).optional().describe('The file has (CopyIn) or gets (CopyOut) a header line. CSV only.'),
  delimiter: z.string().optional().describe('Column separator, one character (default tab for TEXT, comma for CSV).'),
  nullString: z.string().optional().describe('The text that stands for NULL (default \\N for TEXT, empty for CSV).'),
  quote: z.string().optional().describe('CSV quote character (default ").'),
  escape: z.string().optional().describe('CSV escape character (default: same as quote).'),
  forceQuote: z.array(z.string()).optional().describe('CopyOut, CSV: columns always quoted.'),
  forceNotNull: z.array(z.string()).optional().describe('CopyIn, CSV: columns where the null string is read as an empty string.'),
  forceNull: z.array(z.string()).optional().describe('CopyIn, CSV: columns where a quoted null string is NULL.'),
  encoding: z.string().optional().describe('File encoding, e.g. UTF8 or LATIN1.'),
  freeze: dynamic(z.boolean()).optional().describe('CopyIn: COPY FREEZE (table created or truncated in the same transaction).'),
  // The rest of plugin-jdbc-postgres's AbstractCopy, accepted so a Kestra flow validates.
  oids: dynamic(z.boolean()).optional().describe('Copy the OID of each row (PostgreSQL 11 and older). Not used by Flowbook.'),
  socketTimeout: z.union([z.number().int(), z.string()]).optional().describe('Seconds Kestra waits on the socket. Not used by Flowbook, which stops on cancel or the task timeout.'),
};

const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

function bool(ctx: RunContext, value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  const v = ctx.render(value);
  return v === true || v === 'true';
}

function list(ctx: RunContext, value: unknown, name: string): string[] | undefined {
  if (value === undefined) return undefined;
  const v = ctx.render(value);
  if (!Array.isArray(v) || v.length === 0) throw new TaskError(`${name} must be a non-empty list of column names`);
  return v.map(String);
}

export function copyOptions(ctx: RunContext, direction: 'in' | 'out'): string {
  const t = ctx.task;
  const parts: string[] = [];
  const format = t.format === undefined ? undefined : ctx.renderString(t.format).toUpperCase();
  if (format !== undefined) {
    if (!['TEXT', 'CSV', 'BINARY'].includes(format)) throw new TaskError(`format must be TEXT, CSV or BINARY (got "${format}")`);
    parts.push(`FORMAT ${format}`);
  }
  const header = bool(ctx, t.header);
  if (header !== undefined) parts.push(`HEADER ${header ? 'TRUE' : 'FALSE'}`);
  const freeze = bool(ctx, t.freeze);
  if (freeze !== undefined && direction === 'in') parts.push(`FREEZE ${freeze ? 'TRUE' : 'FALSE'}`);
  for (const [key, sqlName] of [['delimiter', 'DELIMITER'], ['nullString', 'NULL'], ['quote', 'QUOTE'], ['escape', 'ESCAPE'], ['encoding', 'ENCODING']] as const) {
    if (t[key] !== undefined) parts.push(`${sqlName} ${literal(ctx.renderString(t[key]))}`);
  }
  const forceQuote = list(ctx, t.forceQuote, 'forceQuote');
  if (forceQuote && direction === 'out') parts.push(`FORCE_QUOTE (${forceQuote.join(', ')})`);
  const forceNotNull = list(ctx, t.forceNotNull, 'forceNotNull');
  if (forceNotNull && direction === 'in') parts.push(`FORCE_NOT_NULL (${forceNotNull.join(', ')})`);
  const forceNull = list(ctx, t.forceNull, 'forceNull');
  if (forceNull && direction === 'in') parts.push(`FORCE_NULL (${forceNull.join(', ')})`);
  return parts.length ? ` WITH (${parts.join(', ')})` : '';
}

/** Kestra writes `table` and `columns` into the statement as given (unquoted, so case-folded). */
export function tableAndColumns(ctx: RunContext): string {
  const t = ctx.task;
  if (t.table === undefined) throw new TaskError(`task '${t.id}' needs a table`);
  const table = ctx.renderString(t.table);
  const columns = list(ctx, t.columns, 'columns');
  return columns ? `${table} (${columns.join(', ')})` : table;
}
