/** Which reader a stored file needs, from its name and, when that is not enough, its first bytes. */
import fs from 'node:fs';
import type { PreviewFormat } from './types';

const BY_EXTENSION: Record<string, PreviewFormat> = {
  csv: 'csv',
  tsv: 'tsv',
  tab: 'tsv',
  json: 'json',
  ndjson: 'ndjson',
  jsonl: 'ndjson',
  ion: 'ion',
  parquet: 'parquet',
  txt: 'text',
  log: 'text',
};

function head(file: string, bytes: number): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = fs.readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

function sniff(file: string): PreviewFormat {
  const start = head(file, 4096);
  if (start.subarray(0, 4).toString('latin1') === 'PAR1') return 'parquet';
  const text = start.toString('utf8').trimStart();
  const firstLine = text.split('\n')[0] ?? '';
  if (text.startsWith('[')) return 'json';
  if (firstLine.startsWith('{')) {
    try {
      JSON.parse(firstLine);
      return 'ndjson';
    } catch {
      return 'ion';
    }
  }
  if (firstLine.includes('\t')) return 'tsv';
  if (firstLine.includes(',')) return 'csv';
  return 'text';
}

export function detectFormat(file: string): { format: PreviewFormat; compressed: boolean } {
  const name = file.toLowerCase();
  const compressed = name.endsWith('.gz') || head(file, 2).equals(Buffer.from([0x1f, 0x8b]));
  const bare = name.replace(/\.gz$/, '');
  const ext = bare.includes('.') ? bare.slice(bare.lastIndexOf('.') + 1) : '';
  const known = BY_EXTENSION[ext];
  if (known) return { format: known, compressed };
  // Without a telling name a gzip file is most likely a CSV (the course's downloads).
  if (compressed) return { format: 'csv', compressed };
  return { format: sniff(file), compressed };
}
