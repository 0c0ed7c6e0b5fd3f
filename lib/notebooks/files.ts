/**
 * Files of an execution, for download and preview. A URI is served only when the
 * execution's stored task-run outputs (or inputs) name it exactly; storage then maps it
 * to disk and refuses traversal, encoded separators and symlinks out.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/client';
import { Problem } from '../model/problem';
import { isStorageUri, type LocalStorage } from '../storage/storage';
import { parseJson } from '../persistence/rows';

function collectUris(value: unknown, into: Set<string>): void {
  if (isStorageUri(value)) into.add(value);
  else if (Array.isArray(value)) for (const v of value) collectUris(v, into);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) collectUris(v, into);
}

export async function executionFileUris(db: Db, executionId: string): Promise<Set<string>> {
  const execution = await db.execution.findUnique({ where: { id: executionId }, select: { inputs: true } });
  if (!execution) throw Problem.notFound(`execution ${executionId}`);
  const uris = new Set<string>();
  collectUris(parseJson<unknown>(execution.inputs, {}), uris);
  for (const tr of await db.taskRun.findMany({ where: { executionId }, select: { outputs: true } })) {
    collectUris(parseJson<unknown>(tr.outputs, {}), uris);
  }
  return uris;
}

export interface ExecutionFile {
  uri: string;
  path: string;
  name: string;
  size: number;
}

export async function resolveExecutionFile(db: Db, storage: LocalStorage, executionId: string, uri: string): Promise<ExecutionFile> {
  if (!isStorageUri(uri)) throw new Problem('invalid', `not a storage URI: ${uri}`);
  const uris = await executionFileUris(db, executionId);
  if (!uris.has(uri)) throw new Problem('not-found', `${uri} is not a file of execution ${executionId}`);
  let full: string;
  try {
    full = storage.resolve(uri);
  } catch (err) {
    throw new Problem('invalid', err instanceof Error ? err.message : String(err), {}, { cause: err });
  }
  let stat: fs.Stats;
  try {
    stat = fs.statSync(full);
  } catch {
    throw new Problem('not-found', `file not found in internal storage: ${uri}`);
  }
  if (!stat.isFile()) throw new Problem('not-found', `not a file: ${uri}`);
  return { uri, path: full, name: path.basename(full), size: stat.size };
}
