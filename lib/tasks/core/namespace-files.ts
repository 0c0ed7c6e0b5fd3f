/**
 * A task's `namespaceFiles` (Kestra's core/.../models/tasks/NamespaceFiles.java): the files of
 * the namespace, kept in internal storage at `kestra:///<namespace as folders>/_files/<path>`
 * (where `fileURI()` points), copied into the working directory, filtered by `include` and
 * `exclude` globs on their paths (`/a/b/3.txt`).
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import type { LocalStorage } from '../../storage/storage';
import { glob, pathMatcher } from '../../storage/glob';

export const namespaceFilesSchema = z
  .object({
    enabled: z.boolean().optional().describe('Copy the namespace files (default true once the property is set).'),
    include: z.array(z.string()).optional().describe('Globs of the files to copy, e.g. `/scripts/**`; default all.'),
    exclude: z.array(z.string()).optional().describe('Globs of the files to leave out.'),
    namespaces: z.array(z.string()).optional().describe("The namespaces whose files to copy (default the flow's); a later one's file wins."),
    folderPerNamespace: z.boolean().optional().describe('Put each namespace\'s files under a folder named after it.'),
    ifExists: z.enum(['OVERWRITE', 'FAIL', 'WARN', 'IGNORE']).optional().describe('What to do when a file already exists (not used: Flowbook overwrites).'),
  })
  .strict();

export type NamespaceFilesSpec = z.infer<typeof namespaceFilesSchema>;

/** Where a namespace's files live on disk. */
export function filesDir(storage: LocalStorage, namespace: string): string {
  return storage.resolve(storage.toUri(`/${namespace.replace(/\./g, '/')}/_files`));
}

/** Patterns match a file's path with or without its leading `/`, as Kestra's paths start with one. */
async function matcher(patterns: readonly string[] | undefined): Promise<((rel: string) => boolean) | undefined> {
  if (!patterns || patterns.length === 0) return undefined;
  return pathMatcher(patterns.map((p) => p.replace(/^\/+/, '')), { dot: true });
}

/** Copies the selected namespace files into `dir`; returns their paths relative to it. */
export async function copyNamespaceFiles(storage: LocalStorage, flowNamespace: string, spec: NamespaceFilesSpec, dir: string): Promise<string[]> {
  if (spec.enabled === false) return [];
  const include = await matcher(spec.include);
  const exclude = await matcher(spec.exclude);
  const copied: string[] = [];
  for (const namespace of spec.namespaces ?? [flowNamespace]) {
    const source = filesDir(storage, namespace);
    if (!fs.existsSync(source)) continue;
    for (const rel of (await glob(['**/*'], { cwd: source, onlyFiles: true, dot: true })).sort()) {
      if ((include && !include(rel)) || exclude?.(rel)) continue;
      const target = spec.folderPerNamespace ? path.join(namespace, rel) : rel;
      await fsp.mkdir(path.dirname(path.join(dir, target)), { recursive: true });
      await fsp.copyFile(path.join(source, rel), path.join(dir, target));
      copied.push(target);
    }
  }
  return copied;
}
