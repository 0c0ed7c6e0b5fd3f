/**
 * What happens to the rows a statement returns (Kestra's `fetchType`) and the output
 * each choice produces. Sinks take rows batch by batch so a STORE never holds the result.
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import { FETCH_TYPES, type FetchType } from './query-properties';
import type { RawTask, RunContext } from '../types';
import { TaskError } from '../types';
import { ionRecordLine } from './ion-writer';
import { BufferedFile } from './buffered-file';
import { LineIndexBuilder } from './line-index';
import { rowToJson, type JsonValue, type SqlRow } from './values';

export { FETCH_TYPES, queryProperties, type FetchType } from './query-properties';

export type JsonRow = Record<string, JsonValue>;

/** One result's output, as Kestra's `AbstractJdbcBaseQuery.Output`. */
export interface QueryOutput {
  row?: JsonRow | null;
  rows?: JsonRow[];
  uri?: string;
  /** Absent for NONE, as Kestra leaves it unset. */
  size?: number;
  /** Present when FETCH stopped at the row cap; the note says so in words. */
  truncated?: boolean;
  note?: string;
}


/** `fetchType` wins; the old booleans still work, as in Kestra's AbstractJdbcBaseQuery. */
export function resolveFetchType(ctx: RunContext, task: RawTask): FetchType {
  if (task.fetchType !== undefined) {
    const value = ctx.renderString(task.fetchType).trim().toUpperCase();
    const parsed = z.enum(FETCH_TYPES).safeParse(value);
    if (!parsed.success) throw new TaskError(`fetchType must be one of ${FETCH_TYPES.join(', ')}; got "${value}"`);
    return parsed.data;
  }
  if (task.store === true) return 'STORE';
  if (task.fetchOne === true) return 'FETCH_ONE';
  if (task.fetch === true) return 'FETCH';
  return 'NONE';
}

export function resolveParameters(ctx: RunContext, task: RawTask): Record<string, unknown> {
  if (task.parameters === undefined || task.parameters === null) return {};
  const rendered = ctx.render(task.parameters);
  if (typeof rendered === 'string') {
    try {
      const parsed: unknown = JSON.parse(rendered);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch (error) {
      throw new TaskError(`parameters must be a map or a JSON object string: ${(error as Error).message}`, { cause: error });
    }
    throw new TaskError('parameters must be a map or a JSON object string');
  }
  if (rendered && typeof rendered === 'object' && !Array.isArray(rendered)) return rendered as Record<string, unknown>;
  throw new TaskError('parameters must be a map of name → value');
}

export function fetchSizeOf(ctx: RunContext, task: RawTask): number {
  if (task.fetchSize === undefined) return 10_000;
  const n = Number(ctx.renderString(task.fetchSize));
  return Number.isInteger(n) && n > 0 ? n : 10_000;
}

export interface RowSink {
  /** Takes a batch; returns false when it needs no more rows. */
  accept(rows: readonly SqlRow[]): Promise<boolean>;
  /**
   * STORE only: takes a batch a driver already wrote as Ion lines in UTF-8 (one record per
   * line, newline after each), so a driver that reads its columns fast skips the row
   * objects. The bytes must not change until the returned promise settles; the sink has
   * copied them by then, so a driver may write its next batch into the same buffer.
   */
  acceptIon?(lines: Uint8Array, rows: number): Promise<boolean>;
  finish(): Promise<QueryOutput | undefined>;
  /** Drops partial results after an error. */
  abort(): Promise<void>;
}

export interface SinkOptions {
  ctx: RunContext;
  fetchType: FetchType;
  /** Names the stored file: `<label>.ion`. */
  label: string;
}

export function createRowSink(opts: SinkOptions): RowSink {
  switch (opts.fetchType) {
    case 'NONE':
      // Rows are read and dropped so the statement runs to completion, as the JDBC driver does.
      // Kestra still adds an empty output per result set, so `Queries` keeps one entry per
      // statement that returned rows and later indexes stay where a flow expects them.
      return { accept: async () => true, finish: async () => ({}), abort: async () => undefined };
    case 'FETCH_ONE': {
      let row: JsonRow | null = null;
      return {
        accept: async (rows) => {
          if (rows.length > 0 && row === null) row = rowToJson(rows[0]);
          return row === null;
        },
        finish: async () => ({ row, size: row === null ? 0 : 1 }),
        abort: async () => undefined,
      };
    }
    case 'FETCH':
      return fetchSink(opts.ctx);
    case 'STORE':
      return storeSink(opts.ctx, opts.label);
  }
}

/**
 * An entry of `Queries`' `outputs` list. Kestra's AbstractJdbcQueries reports size 1 for
 * FETCH_ONE even when no row came back (its Query task reports 0), and flows may read it.
 */
export function queriesEntry(output: QueryOutput, fetchType: FetchType): QueryOutput {
  return fetchType === 'FETCH_ONE' ? { ...output, size: 1 } : output;
}

function fetchSink(ctx: RunContext): RowSink {
  const cap = ctx.config.fetchCap;
  const rows: JsonRow[] = [];
  let cut = false;
  return {
    accept: async (batch) => {
      for (const r of batch) {
        if (rows.length >= cap) {
          cut = true;
          return false;
        }
        rows.push(rowToJson(r));
      }
      return true;
    },
    finish: async () => {
      if (!cut) return { rows, size: rows.length };
      const note = `Only the first ${cap} rows were fetched; the result has more. Use fetchType: STORE to keep every row.`;
      ctx.logger.warn(note);
      return { rows, size: rows.length, truncated: true, note };
    },
    abort: async () => undefined,
  };
}

/**
 * Writes the Ion file straight into internal storage (a multi-gigabyte result is not
 * copied again at the end) with its line index beside it, so a preview can seek.
 */
function storeSink(ctx: RunContext, label: string): RowSink {
  let target: { file: string; uri: string; out: Promise<BufferedFile> } | undefined;
  let closed = false;
  let size = 0;
  const index = new LineIndexBuilder();
  const open = () => {
    if (!target) {
      const uri = ctx.storage.taskFileUri(ctx.scope, `${label}.ion`);
      const file = ctx.storage.resolve(uri);
      const out = fsp.mkdir(path.dirname(file), { recursive: true }).then(() => BufferedFile.create(file));
      target = { file, uri, out };
    }
    return target;
  };
  const close = async (discard: boolean) => {
    if (!target || closed) return;
    closed = true;
    const out = await target.out;
    await (discard ? out.discard() : out.close());
  };
  const write = async (bytes: Uint8Array, rows: number) => {
    const out = await open().out;
    index.add(rows, bytes.length);
    size += rows;
    await out.write(bytes);
    return true;
  };
  return {
    accept: async (batch) => {
      let lines = '';
      for (const r of batch) lines += ionRecordLine(r);
      // Encoded once: the index needs the byte length and the file the bytes.
      return write(Buffer.from(lines), batch.length);
    },
    acceptIon: write,
    finish: async () => {
      const { file, uri } = open();
      await close(false);
      await index.save(file);
      ctx.metric('fetch.size', 'counter', size);
      return { uri, size };
    },
    abort: async () => {
      await close(true).catch(() => undefined);
      // A partial result is no output: nothing in storage should point at it.
      if (target) await fsp.rm(target.file, { force: true });
    },
  };
}
