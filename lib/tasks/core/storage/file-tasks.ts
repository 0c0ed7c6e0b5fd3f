/**
 * Kestra's storage tasks on whole files (core/src/main/java/io/kestra/plugin/core/storage/):
 * Write, Size, Delete, Concat and Reverse. Each reads or writes `kestra://` URIs of the
 * internal storage and outputs what Kestra's Output class declares.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { dynamic, stringish, taskSchema } from '../../schema';
import { TaskError, type RunContext, type RunnableTaskDefinition } from '../../types';
import { readProps, renderBoolean, renderOptional } from '../props';
import { LineWriter, extensionOf, openStored, readLines } from './lines';

/** A temp file in the task's working directory, named like Kestra's `createTempFile(ext)`. */
async function tempFile(ctx: RunContext, extension: string): Promise<string> {
  const dir = await ctx.workingDir();
  const ext = extension === '' || extension.startsWith('.') ? extension : `.${extension}`;
  return path.join(dir, `${Math.random().toString(36).slice(2, 12)}${ext}`);
}

const writeProperties = taskSchema(() => ({
  content: stringish.describe('The file content. Templates are rendered.'),
  extension: stringish.optional().describe('The file extension, e.g. `.txt` (default `.tmp`).'),
}));

export const storageWrite: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.storage.Write',
  title: 'Write a file to internal storage',
  description:
    'Writes text to a new file in internal storage and outputs its `uri`, so that later tasks can read it as a file: an upload, a query, a script\'s `inputFiles`. Handy to turn a rendered template or an earlier output into a file.',
  properties: writeProperties,
  outputs: ['uri'],
  example: `id: write
type: io.kestra.plugin.core.storage.Write
content: Hello World
extension: .txt`,
  async run(ctx) {
    const props = readProps(writeProperties, ctx);
    const file = await tempFile(ctx, renderOptional(ctx, props.extension) ?? '.tmp');
    await fs.promises.writeFile(file, ctx.renderString(props.content));
    return { outputs: { uri: await ctx.putFile(file) } };
  },
};

const sizeProperties = taskSchema(() => ({
  uri: stringish.describe('The `kestra://` URI of the file.'),
}));

export const storageSize: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.storage.Size',
  aliases: ['io.kestra.core.tasks.storages.Size'],
  title: 'Size of a stored file',
  description: 'Outputs the size in bytes of a file in internal storage as `size`, for example to skip a load when a download came back empty.',
  properties: sizeProperties,
  outputs: ['size'],
  example: `id: size
type: io.kestra.plugin.core.storage.Size
uri: "{{ outputs.download.uri }}"`,
  async run(ctx) {
    const props = readProps(sizeProperties, ctx);
    const uri = ctx.renderString(props.uri);
    openStored(ctx, uri, 'uri').destroy();
    return { outputs: { size: ctx.storage.size(uri) } };
  },
};

const deleteProperties = taskSchema(() => ({
  uri: stringish.describe('The `kestra://` URI of the file to delete.'),
  errorOnMissing: dynamic(z.boolean()).optional().describe('Fail when the file does not exist (default false).'),
}));

export const storageDelete: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.storage.Delete',
  aliases: ['io.kestra.core.tasks.storages.Delete'],
  title: 'Delete a stored file',
  description: 'Deletes one file from internal storage and outputs its `uri` and whether it was `deleted`. Use it to drop a large intermediate file once it is loaded.',
  properties: deleteProperties,
  outputs: ['uri', 'deleted'],
  example: `id: delete
type: io.kestra.plugin.core.storage.Delete
uri: "{{ outputs.download.uri }}"`,
  async run(ctx) {
    const props = readProps(deleteProperties, ctx);
    const uri = ctx.renderString(props.uri);
    if (!uri.startsWith('kestra://')) throw new TaskError(`task "${ctx.task.id}" uri: "${uri}" is not a kestra:// internal storage URI`);
    const file = ctx.storage.resolve(uri);
    const deleted = fs.existsSync(file);
    if (deleted) await fs.promises.rm(file);
    else if (renderBoolean(ctx, props.errorOnMissing, false)) throw new TaskError(`Unable to find file '${uri}'`);
    return { outputs: { uri, deleted } };
  },
};

const concatProperties = taskSchema(() => ({
  files: z.union([z.array(stringish), z.string()]).describe('The `kestra://` URIs to join, in order: a list, or a template rendering a JSON list.'),
  separator: stringish.optional().describe('Written after each file (default: nothing).'),
  extension: stringish.optional().describe('The extension of the created file (default `.tmp`).'),
}));

export const storageConcat: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.storage.Concat',
  aliases: ['io.kestra.core.tasks.storages.Concat'],
  title: 'Concatenate stored files',
  description:
    'Joins several files of internal storage into one, in the order given, with an optional separator after each, and outputs the new file as `uri`. Use it to merge the files of a loop before loading them once.',
  properties: concatProperties,
  outputs: ['uri'],
  example: `id: concat
type: io.kestra.plugin.core.storage.Concat
separator: "\\n"
files:
  - "{{ outputs.first_file.outputFiles['name.txt'] }}"
  - "{{ outputs.second_file.outputFiles['name.txt'] }}"`,
  async run(ctx) {
    const props = readProps(concatProperties, ctx);
    const files = concatList(ctx, props.files);
    const separator = renderOptional(ctx, props.separator);
    const file = await tempFile(ctx, renderOptional(ctx, props.extension) ?? '.tmp');
    const out = new LineWriter(file);
    try {
      for (const uri of files) {
        for await (const chunk of openStored(ctx, uri, 'files')) await out.write(chunk as Buffer);
        if (separator !== undefined) await out.write(separator);
      }
    } finally {
      await out.close();
    }
    return { outputs: { uri: await ctx.putFile(file) } };
  },
};

/** Concat's `files`: a list whose items are rendered, or one string rendering a JSON list (Concat.java). */
function concatList(ctx: RunContext, raw: unknown): string[] {
  if (Array.isArray(raw)) return raw.map((item) => ctx.renderString(item));
  const text = ctx.renderString(raw);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new TaskError(`task "${ctx.task.id}" files: expected a list of URIs or a JSON list, got "${text}"`, { cause: err });
  }
  if (!Array.isArray(parsed) || !parsed.every((u) => typeof u === 'string')) {
    throw new TaskError(`task "${ctx.task.id}" files: expected a JSON list of URIs, got ${text}`);
  }
  return parsed as string[];
}

const reverseProperties = taskSchema(() => ({
  from: stringish.describe('The `kestra://` URI of the file.'),
  separator: stringish.optional().describe('Written after each line (default `\\n`).'),
  charset: stringish.optional().describe('The charset of the file (default UTF-8; Flowbook reads UTF-8 only).'),
}));

export const storageReverse: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.storage.Reverse',
  aliases: ['io.kestra.core.tasks.storages.Reverse'],
  title: 'Reverse the lines of a stored file',
  description: 'Writes the lines of a file in internal storage last line first, each followed by the separator, into a new file with the same extension, output as `uri`.',
  properties: reverseProperties,
  outputs: ['uri'],
  example: `id: reverse
type: io.kestra.plugin.core.storage.Reverse
from: "{{ outputs.generate_file.outputFiles['numbers.txt'] }}"`,
  async run(ctx) {
    const props = readProps(reverseProperties, ctx);
    const from = ctx.renderString(props.from);
    const charset = renderOptional(ctx, props.charset);
    if (charset !== undefined && !/^utf-?8$/i.test(charset)) throw new TaskError(`task "${ctx.task.id}" charset: only UTF-8 is supported, got "${charset}"`);
    const separator = renderOptional(ctx, props.separator) ?? '\n';
    // Lines are kept in memory: Kestra reads the file backwards from disk, and a file too
    // large for this is better handled by a query than by a line-reversing task.
    const lines: string[] = [];
    for await (const line of readLines(ctx, from, 'from')) lines.push(line);
    const file = await tempFile(ctx, extensionOf(from));
    const out = new LineWriter(file);
    try {
      for (let i = lines.length - 1; i >= 0; i--) await out.write(lines[i] + separator);
    } finally {
      await out.close();
    }
    return { outputs: { uri: await ctx.putFile(file) } };
  },
};
