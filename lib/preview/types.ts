export type PreviewFormat = 'csv' | 'tsv' | 'json' | 'ndjson' | 'ion' | 'parquet' | 'text';

export interface PreviewSort {
  column: string;
  direction: 'asc' | 'desc';
}

export interface PreviewOptions {
  offset: number;
  limit: number;
  sort?: PreviewSort;
}

export interface PreviewColumn {
  name: string;
  /** The source's type in upper case: BIGINT, DOUBLE, DECIMAL(10,2), VARCHAR, TIMESTAMP, … */
  type: string;
}

export interface PreviewPage {
  columns: PreviewColumn[];
  /** JSON values, one array per row in column order. */
  rows: unknown[][];
  /** Row count of the whole file, when it was cheap to know. */
  total?: number;
  format: PreviewFormat;
  /** True when the file is gzip-compressed. */
  compressed: boolean;
}

export class PreviewError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PreviewError';
  }
}
