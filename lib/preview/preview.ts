/**
 * One page of any stored file or query result, for the notebook's result tables.
 * Files are read where they lie; a page costs what it reads, not the file's size.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { LocalStorage } from '../storage/storage';
import { detectFormat } from './detect';
import { duckDbPage, sourceSql } from './duckdb-source';
import { countLines, ionPage, ionToNdjson, readLineWindow } from './line-source';
import { indexedLineWindow } from './indexed-lines';
import { PreviewError, type PreviewOptions, type PreviewPage } from './types';

/** Counting rows of a text file means reading all of it; above this size the total is left out. */
const COUNT_LIMIT_BYTES = 512 * 1024 * 1024;
const MAX_LIMIT = 10_000;

function checkOptions(opts: PreviewOptions): PreviewOptions {
  const offset = Math.floor(opts.offset);
  const limit = Math.floor(opts.limit);
  if (!Number.isFinite(offset) || offset < 0) throw new PreviewError(`offset must be 0 or more (got ${opts.offset})`);
  if (!Number.isFinite(limit) || limit < 1 || limit > MAX_LIMIT) throw new PreviewError(`limit must be between 1 and ${MAX_LIMIT} (got ${opts.limit})`);
  return { offset, limit, sort: opts.sort };
}

/** Sorting an Ion file needs every record; it is converted once to NDJSON and cached. */
async function ionAsNdjson(file: string, compressed: boolean): Promise<string> {
  const stat = fs.statSync(file);
  const key = createHash('sha1').update(`${file}\0${stat.size}\0${stat.mtimeMs}`).digest('hex');
  const dir = path.join(os.tmpdir(), 'flowbook-preview');
  const dest = path.join(dir, `${key}.ndjson`);
  if (fs.existsSync(dest)) return dest;
  await fsp.mkdir(dir, { recursive: true });
  const partial = `${dest}.${process.pid}.partial`;
  await ionToNdjson(file, compressed, partial);
  await fsp.rename(partial, dest);
  return dest;
}

export async function previewFile(file: string, options: PreviewOptions): Promise<PreviewPage> {
  const opts = checkOptions(options);
  if (!fs.existsSync(file)) throw new PreviewError(`file not found: ${file}`);
  const { format, compressed } = detectFormat(file);
  const size = fs.statSync(file).size;
  const countable = format === 'parquet' || size <= COUNT_LIMIT_BYTES;

  if (format === 'text') {
    const lines = await readLineWindow(file, compressed, opts.offset, opts.limit, false);
    if (opts.sort) throw new PreviewError('plain text files cannot be sorted');
    return {
      format,
      compressed,
      columns: [{ name: 'line', type: 'VARCHAR' }],
      rows: lines.map((l) => [l]),
      total: countable ? await countLines(file, compressed) : undefined,
    };
  }

  if (format === 'ion' && !opts.sort && !compressed) {
    const { lines, total } = await indexedLineWindow(file, opts.offset, opts.limit);
    return { format, compressed, ...ionPage(lines), total };
  }

  if (format === 'ion' && !opts.sort) {
    const lines = await readLineWindow(file, compressed, opts.offset, opts.limit, true);
    const page = ionPage(lines);
    return { format, compressed, ...page, total: countable ? await countLines(file, compressed) : undefined };
  }

  if (format === 'ion') {
    const ndjson = await ionAsNdjson(file, compressed);
    const page = await duckDbPage({ file, source: sourceSql(ndjson, 'ndjson', false), count: countable, ...opts });
    return { format, compressed, ...page };
  }

  const page = await duckDbPage({ file, source: sourceSql(file, format, compressed), count: countable, ...opts });
  return { format, compressed, ...page };
}

/** Previews a `kestra:///…` file of internal storage. */
export async function preview(storage: LocalStorage, uri: string, options: PreviewOptions): Promise<PreviewPage> {
  const file = storage.resolve(uri);
  if (!fs.existsSync(file)) throw new PreviewError(`file not found in internal storage: ${uri}`);
  return previewFile(file, options);
}
