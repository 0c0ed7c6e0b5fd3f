/**
 * Kestra's namespace file tasks (core/src/main/java/io/kestra/plugin/core/namespace/):
 * UploadFiles, DownloadFiles and DeleteFiles work on the files of a namespace, the same
 * files the notebook's Files panel edits and `namespaceFiles` copies into a task's folder.
 * Paths are `/`-rooted inside the namespace and matched with Java's glob syntax.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { glob } from '../../../storage/glob';
import * as z from 'zod';
import { stringish, taskSchema } from '../../schema';
import { TaskError, type RunContext, type RunnableTaskDefinition } from '../../types';
import { readProps, renderOptional } from '../props';
import { filesDir } from '../namespace-files';
import { javaGlobToRegExp, withLeadingSlash } from './java-glob';

const NAMESPACE = /^[a-zA-Z0-9][a-zA-Z0-9_-]*(\.[a-zA-Z0-9_-]+)*$/;
const CONFLICTS = ['OVERWRITE', 'ERROR', 'SKIP'] as const;
type Conflict = (typeof CONFLICTS)[number];

const namespaceProp = stringish.optional().describe("The namespace whose files to use (default: the flow's).");
const filesProp = z.union([z.string(), z.array(z.string())]).describe('A glob or a list of globs on the files\' paths, e.g. `**.py` or `/scripts/*`.');

function namespaceOf(ctx: RunContext, raw: unknown): string {
  const namespace = renderOptional(ctx, raw) ?? ctx.scope.namespace;
  if (!NAMESPACE.test(namespace)) throw new TaskError(`task "${ctx.task.id}" namespace: "${namespace}" is not a namespace (letters, digits, "_" and "-" in segments joined by ".")`);
  return namespace;
}

/** A namespace file path, `/`-rooted and normalised, that cannot leave the namespace's folder. */
function namespacePath(ctx: RunContext, raw: string, property: string): string {
  const slashed = raw.replace(/\\/g, '/');
  const normal = path.posix.normalize(withLeadingSlash(slashed));
  if (slashed.includes('\0') || slashed.split('/').includes('..') || normal === '/' || normal.endsWith('/')) {
    throw new TaskError(`task "${ctx.task.id}" ${property}: "${raw}" is not a file path inside the namespace`);
  }
  return normal;
}

function globs(ctx: RunContext, raw: string | string[]): RegExp[] {
  const list = (Array.isArray(raw) ? raw : [raw]).map((g) => ctx.renderString(g));
  return list.map((g) => {
    try {
      return javaGlobToRegExp(withLeadingSlash(g));
    } catch (err) {
      throw new TaskError(`task "${ctx.task.id}" files: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  });
}

/** Every file of the namespace as `/`-rooted paths, sorted. */
async function listFiles(root: string): Promise<string[]> {
  if (!fs.existsSync(root)) return [];
  return (await glob(['**/*'], { cwd: root, onlyFiles: true, dot: true })).sort().map((rel) => `/${rel}`);
}

async function putNamespaceFile(ctx: RunContext, root: string, target: string, source: string, conflict: Conflict): Promise<boolean> {
  const dest = path.join(root, target);
  if (fs.existsSync(dest)) {
    if (conflict === 'SKIP') return false;
    if (conflict === 'ERROR') throw new TaskError(`task "${ctx.task.id}": namespace file ${target} already exists (conflict: ERROR)`);
  }
  await fsp.mkdir(path.dirname(dest), { recursive: true });
  await fsp.copyFile(source, dest);
  return true;
}

const uploadProperties = taskSchema(() => ({
  namespace: namespaceProp,
  files: z
    .union([z.array(z.string()), z.record(z.string(), z.string())])
    .describe('A list of `kestra://` URIs and globs of working-directory files, uploaded under `destination`; or a map from namespace path to `kestra://` URI.'),
  destination: stringish.optional().describe('The folder a list of files goes to (default `/`).'),
  conflict: z.enum(CONFLICTS).optional().describe('When a file exists: OVERWRITE it (default), fail with ERROR, or SKIP it.'),
}));

export const uploadFiles: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.namespace.UploadFiles',
  title: 'Upload namespace files',
  description:
    'Puts files into a namespace\'s files, where every flow of the namespace can use them with `namespaceFiles` or `read()`: a script uploaded as a FILE input, or files a task produced. A map renames them on the way.',
  properties: uploadProperties,
  outputs: ['files'],
  example: `id: upload_and_rename
type: io.kestra.plugin.core.namespace.UploadFiles
files:
  /scripts/main.py: "{{ inputs.my_python_script }}"`,
  async run(ctx) {
    const props = readProps(uploadProperties, ctx);
    const namespace = namespaceOf(ctx, props.namespace);
    const root = filesDir(ctx.storage, namespace);
    const conflict = props.conflict ?? 'OVERWRITE';
    let uploaded = 0;
    if (Array.isArray(props.files)) {
      const destination = withLeadingSlash(renderOptional(ctx, props.destination) ?? '/');
      const patterns: string[] = [];
      for (const item of props.files.map((f) => ctx.renderString(f))) {
        if (item.startsWith('kestra://')) {
          // UploadFiles.java: a URI that names no file is skipped.
          if (!ctx.storage.exists(item)) continue;
          const target = namespacePath(ctx, path.posix.join(destination, path.posix.basename(item)), 'destination');
          if (await putNamespaceFile(ctx, root, target, ctx.storage.resolve(item), conflict)) uploaded++;
        } else patterns.push(item);
      }
      if (patterns.length > 0) {
        const dir = await ctx.workingDir();
        const matchers = patterns.map((p) => javaGlobToRegExp(withLeadingSlash(p)));
        for (const rel of await listFiles(dir)) {
          if (!matchers.some((m) => m.test(rel))) continue;
          const target = namespacePath(ctx, path.posix.join(destination, rel), 'destination');
          if (await putNamespaceFile(ctx, root, target, path.join(dir, rel), conflict)) uploaded++;
        }
      }
    } else {
      for (const [rawTarget, rawSource] of Object.entries(props.files)) {
        const source = ctx.renderString(rawSource);
        if (!source.startsWith('kestra://') || !ctx.storage.exists(source)) continue;
        const target = namespacePath(ctx, ctx.renderString(rawTarget), 'files');
        if (await putNamespaceFile(ctx, root, target, ctx.storage.resolve(source), conflict)) uploaded++;
      }
    }
    ctx.logger.debug(`Uploaded ${uploaded} file(s) to namespace ${namespace}`);
    return { outputs: {} };
  },
};

const downloadProperties = taskSchema(() => ({ namespace: namespaceProp, files: filesProp }));

export const downloadFiles: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.namespace.DownloadFiles',
  title: 'Download namespace files',
  description:
    'Copies the namespace files matching the globs into this execution\'s storage and outputs `files`, a map from each file\'s path to its `kestra://` URI, so that later tasks can read them as inputs. Useful to share code or reference data between namespaces.',
  properties: downloadProperties,
  outputs: ['files'],
  example: `id: download
type: io.kestra.plugin.core.namespace.DownloadFiles
namespace: tutorial
files:
  - "**input.txt"`,
  async run(ctx) {
    const props = readProps(downloadProperties, ctx);
    const namespace = namespaceOf(ctx, props.namespace);
    const matchers = globs(ctx, props.files);
    const root = filesDir(ctx.storage, namespace);
    const files: Record<string, string> = {};
    for (const rel of await listFiles(root)) {
      if (matchers.some((m) => m.test(rel))) files[rel] = await ctx.putFile(path.join(root, rel), path.posix.basename(rel));
    }
    ctx.metric('downloaded', 'counter', Object.keys(files).length);
    return { outputs: { files } };
  },
};

const deleteProperties = taskSchema(() => ({ namespace: namespaceProp, files: filesProp }));

export const deleteFiles: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.namespace.DeleteFiles',
  title: 'Delete namespace files',
  description: 'Deletes the namespace files matching the globs, for example the scratch files a flow uploaded earlier. The count is recorded as the `deleted` metric.',
  properties: deleteProperties,
  outputs: ['files'],
  example: `id: delete
type: io.kestra.plugin.core.namespace.DeleteFiles
namespace: tutorial
files:
  - "**.upl"`,
  async run(ctx) {
    const props = readProps(deleteProperties, ctx);
    const namespace = namespaceOf(ctx, props.namespace);
    const matchers = globs(ctx, props.files);
    const root = filesDir(ctx.storage, namespace);
    let deleted = 0;
    for (const rel of await listFiles(root)) {
      if (!matchers.some((m) => m.test(rel))) continue;
      await fsp.rm(path.join(root, rel));
      ctx.logger.debug(`Deleted ${rel}`);
      deleted++;
    }
    ctx.metric('deleted', 'counter', deleted);
    return { outputs: {} };
  },
};

export const namespaceTasks: RunnableTaskDefinition[] = [uploadFiles, downloadFiles, deleteFiles];
