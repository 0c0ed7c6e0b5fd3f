/**
 * Kestra's `inputFiles` / `outputFiles` for DuckDB tasks: files placed in the working
 * directory before the SQL runs, and files the SQL wrote uploaded afterwards.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { isStorageUri } from '../../storage/storage';
import type { RunContext } from '../types';
import { TaskError } from '../types';

function safeRelative(key: string, where: string): string {
  if (key.startsWith('/') || key.startsWith('./') || key.startsWith('..') || key.split(/[\\/]/).includes('..')) {
    throw new TaskError(`${where}: "${key}" must be a relative path inside the working directory`);
  }
  return key;
}

/** Accepts a map or a string rendering to a JSON map; keys and values are rendered. */
export async function writeInputFiles(ctx: RunContext, raw: unknown, workingDir: string): Promise<void> {
  if (raw === undefined || raw === null) return;
  let files = ctx.render(raw);
  if (typeof files === 'string') {
    const text = files;
    try {
      files = JSON.parse(text);
    } catch (error) {
      throw new TaskError(`inputFiles must be a map or a JSON object; could not parse "${text.slice(0, 80)}"`, { cause: error });
    }
  }
  if (!files || typeof files !== 'object' || Array.isArray(files)) throw new TaskError('inputFiles must be a map of file name → content or kestra:// URI');
  for (const [rawKey, value] of Object.entries(files)) {
    const key = safeRelative(ctx.renderString(rawKey), 'inputFiles');
    const dest = path.join(workingDir, key);
    await fsp.mkdir(path.dirname(dest), { recursive: true });
    if (isStorageUri(value)) {
      await pipeline(ctx.storage.openRead(value), fs.createWriteStream(dest));
    } else {
      await fsp.writeFile(dest, typeof value === 'string' ? value : JSON.stringify(value));
    }
  }
}

/** `outputFiles` names → absolute paths the SQL writes to (`{{outputFiles.key}}`). */
export function outputFilePaths(ctx: RunContext, raw: unknown, workingDir: string): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  const names = ctx.render(raw);
  if (!Array.isArray(names)) throw new TaskError('outputFiles must be a list of file names');
  const out: Record<string, string> = {};
  for (const name of names) {
    const key = safeRelative(String(name), 'outputFiles');
    out[key] = path.join(workingDir, key);
  }
  return out;
}

/** Uploads the output files that exist; a missing one is a warning, as the SQL may not write it. */
export async function uploadOutputFiles(ctx: RunContext, files: Record<string, string>): Promise<Record<string, string>> {
  const uris: Record<string, string> = {};
  for (const [key, file] of Object.entries(files)) {
    if (!fs.existsSync(file)) {
      ctx.logger.warn(`output file "${key}" was not written by the SQL (expected at ${file})`);
      continue;
    }
    uris[key] = await ctx.putFile(file, path.basename(key));
  }
  return uris;
}
