/**
 * `inputFiles`: files written into the working dir before the script starts. A value that
 * is a `kestra:///` URI is copied from internal storage; any other value is the content.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { isStorageUri } from '../../storage/storage';
import { TaskError, type RunContext } from '../types';

/** Refuses names that would land outside the working dir or are ambiguous about where they land. */
export function checkInputFileName(name: string): void {
  const segments = name.split(/[\\/]/);
  if (name.trim() === '' || name.startsWith('/') || name.startsWith('\\') || name.startsWith('./') || segments.includes('..') || name.includes('\0')) {
    throw new TaskError(`inputFiles: "${name}" is not allowed; use a path relative to the working directory without "/", "./" or ".." at its start`);
  }
}

export async function writeInputFiles(
  ctx: Pick<RunContext, 'render' | 'storage'>,
  workingDir: string,
  raw: unknown,
  extraVars: Record<string, unknown>,
): Promise<string[]> {
  if (raw === undefined || raw === null) return [];
  let files = ctx.render(raw, extraVars);
  if (typeof files === 'string') {
    const text = files;
    try {
      files = JSON.parse(text);
    } catch (err) {
      throw new TaskError(`inputFiles must be a map of file names to contents or a JSON object, got "${text.slice(0, 200)}"`, { cause: err });
    }
  }
  if (typeof files !== 'object' || files === null || Array.isArray(files)) {
    throw new TaskError('inputFiles must be a map of file names to contents');
  }
  const written: string[] = [];
  for (const [name, value] of Object.entries(files)) {
    checkInputFileName(name);
    const target = path.join(workingDir, name);
    await fsp.mkdir(path.dirname(target), { recursive: true });
    if (isStorageUri(value)) {
      await pipeline(ctx.storage.openRead(value), fs.createWriteStream(target));
    } else {
      const content = typeof value === 'string' ? value : value === null || value === undefined ? '' : JSON.stringify(value);
      await fsp.writeFile(target, content);
    }
    written.push(name);
  }
  return written;
}
