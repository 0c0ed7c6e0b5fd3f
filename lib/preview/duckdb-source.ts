/**
 * Pages of CSV, TSV, JSON, NDJSON and Parquet files read in place by DuckDB: the LIMIT and
 * OFFSET reach the scan, so page 1 of a huge file reads only its first blocks.
 */
import fs from 'node:fs';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { fromDuckDb } from '../tasks/jdbc-duckdb/values';
import { toJsonValue } from '../tasks/jdbc-common/values';
import { PreviewError, type PreviewColumn, type PreviewFormat, type PreviewOptions } from './types';

let instance: Promise<DuckDBInstance> | undefined;

/** One in-memory DuckDB for all previews, with bounded memory so big sorts spill to disk. */
function previewDb(): Promise<DuckDBInstance> {
  instance ??= import('@duckdb/node-api').then(({ DuckDBInstance }) =>
    DuckDBInstance.create(':memory:', { memory_limit: '512MB', threads: '2', autoinstall_known_extensions: 'false' }),
  );
  return instance;
}

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;
const identifier = (s: string) => `"${s.replace(/"/g, '""')}"`;

export function sourceSql(file: string, format: PreviewFormat, compressed: boolean): string {
  const path = literal(file);
  const compression = compressed ? ", compression = 'gzip'" : '';
  switch (format) {
    case 'csv':
      return `read_csv_auto(${path}${compression})`;
    case 'tsv':
      return `read_csv_auto(${path}, delim = '\t'${compression})`;
    case 'json':
      return `read_json_auto(${path}${compression})`;
    case 'ndjson':
      return `read_json_auto(${path}, format = 'newline_delimited'${compression})`;
    case 'parquet':
      return `read_parquet(${path})`;
    default:
      throw new PreviewError(`DuckDB does not read ${format} files`);
  }
}

async function withConnection<T>(work: (c: DuckDBConnection) => Promise<T>): Promise<T> {
  const connection = await (await previewDb()).connect();
  try {
    return await work(connection);
  } finally {
    connection.closeSync();
  }
}

export interface DuckDbPageRequest extends PreviewOptions {
  file: string;
  source: string;
  /** Count every row (a full scan except for Parquet, whose footer has the count). */
  count: boolean;
}

export async function duckDbPage(req: DuckDbPageRequest): Promise<{ columns: PreviewColumn[]; rows: unknown[][]; total?: number }> {
  return withConnection(async (c) => {
    let columns: PreviewColumn[];
    try {
      const described = await c.runAndReadAll(`DESCRIBE SELECT * FROM ${req.source}`);
      columns = described.getRowObjectsJS().map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
    } catch (error) {
      throw new PreviewError(`cannot read ${req.file}: ${(error as Error).message}`, { cause: error });
    }
    let order = '';
    if (req.sort) {
      const { column, direction } = req.sort;
      if (!columns.some((col) => col.name === column)) throw new PreviewError(`cannot sort by "${column}": no such column`);
      order = ` ORDER BY ${identifier(column)} ${direction === 'desc' ? 'DESC' : 'ASC'} NULLS LAST`;
    }
    const reader = await c.runAndReadAll(`SELECT * FROM ${req.source}${order} LIMIT ${req.limit} OFFSET ${req.offset}`);
    const rows = reader.getRows().map((row) => row.map((v) => toJsonValue(fromDuckDb(v))));
    let total: number | undefined;
    if (req.count) {
      const counted = await c.runAndReadAll(`SELECT count(*) AS n FROM ${req.source}`);
      total = Number(counted.getRowObjectsJS()[0].n);
    }
    return { columns, rows, total };
  });
}

export function fileSize(file: string): number {
  return fs.statSync(file).size;
}
