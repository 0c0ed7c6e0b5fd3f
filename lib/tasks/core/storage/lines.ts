/**
 * Line-by-line reading and writing of stored files, for the storage tasks that work on
 * line-oriented files (Kestra reads them with a BufferedReader: `\n`, `\r\n` or `\r` end a
 * line, and a last line without an end still counts). Streams, so a file larger than memory
 * is fine.
 */
import fs from 'node:fs';
import { once } from 'node:events';
import { StorageError } from '../../../storage/storage';
import { TaskError, type RunContext } from '../../types';

/** Opens a stored file by its kestra:// URI; a bad or missing URI fails the task with the URI named. */
export function openStored(ctx: RunContext, uri: string, property: string): fs.ReadStream {
  if (!uri.startsWith('kestra://')) throw new TaskError(`task "${ctx.task.id}" ${property}: "${uri}" is not a kestra:// internal storage URI`);
  try {
    return ctx.storage.openRead(uri);
  } catch (err) {
    if (err instanceof StorageError) throw new TaskError(`task "${ctx.task.id}" ${property}: ${err.message}`, { cause: err });
    throw err;
  }
}

export async function* readLines(ctx: RunContext, uri: string, property: string): AsyncGenerator<string> {
  const input = openStored(ctx, uri, property);
  // node:readline loads when a file is first read line by line, not at start.
  const lines = process.getBuiltinModule('node:readline').createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) yield line;
  } finally {
    lines.close();
    input.destroy();
  }
}

/** A buffered writer that respects backpressure. */
export class LineWriter {
  private readonly out: fs.WriteStream;

  constructor(file: string) {
    this.out = fs.createWriteStream(file);
  }

  async write(data: string | Buffer): Promise<void> {
    if (!this.out.write(data)) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}

/** The extension of a URI's file name, with its dot (`.csv`), or '' (Kestra's FileUtils.getExtension). */
export function extensionOf(uri: string): string {
  const name = uri.slice(uri.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot) : '';
}
