/**
 * Kestra's WorkingDirectory (core/.../plugin/core/flow/WorkingDirectory.java): its tasks run
 * one after the other in one shared directory, so a file one task writes is there for the
 * next. Before them `inputFiles` are written there and a `cache` is restored; after them
 * (even when one failed) `outputFiles` are uploaded as the output `outputFiles` and the
 * cache is saved when its files changed. `namespaceFiles` copies the namespace's files in first.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { glob } from '../../../storage/glob';
import * as z from 'zod';
import type { FlowableContext, FlowableTaskDefinition } from '../../types';
import { isFlowableType } from '../../../flow';
import { parseDurationMs } from '../../../model/duration';
import { slugify } from '../../../storage/storage';
import { writeInputFiles } from '../../scripts/input-files';
import { readProps } from '../props';
import { copyNamespaceFiles, namespaceFilesSchema } from '../namespace-files';
import { lazily } from '../../schema';
import { flowableSchema, javaDuration, taskList, tasksOf } from './common';

const cacheSchema = z
  .object({
    patterns: z.array(z.string()).min(1).describe('Glob patterns of the files to cache, relative to the directory, e.g. `node_modules/**`.'),
    ttl: javaDuration.optional().describe('How long the cache lives (ISO-8601 duration); afterwards it is dropped and rebuilt.'),
  })
  .strict();

const properties = lazily(() =>
  flowableSchema(() => ({
    tasks: taskList.min(1).describe('Runnable tasks to run in order in the shared directory.'),
    inputFiles: z.union([z.record(z.string(), z.unknown()), z.string()]).optional().describe('Files written into the directory first: a map of file names to contents or `kestra:///` URIs, or a JSON object.'),
    outputFiles: z.array(z.string()).optional().describe('Globs of files to upload after the tasks; read as `outputs.<id>.outputFiles["name"]`.'),
    cache: cacheSchema.optional().describe('Files (such as installed dependencies) kept in internal storage and put back into the directory on the next run.'),
    namespaceFiles: namespaceFilesSchema.optional().describe("Copy the namespace's files (kept in internal storage under `<namespace>/_files`) into the directory first."),
  }))().superRefine((task, issue) => {
    // Kestra's WorkingDirectoryTaskValidator.
    task.tasks.forEach((child, i) => {
      if (isFlowableType(child.type)) issue.addIssue({ code: 'custom', path: ['tasks', i, 'type'], message: 'Only runnable tasks are allowed as children of a WorkingDirectory task' });
      if (child.workerGroup !== undefined) {
        issue.addIssue({ code: 'custom', path: ['tasks', i, 'workerGroup'], message: 'Cannot set a Worker Group in any WorkingDirectory sub-tasks, it is only supported at the WorkingDirectory level' });
      }
    });
  }),
);

/** Where a WorkingDirectory's cache lives in internal storage, per namespace, flow, task and loop value. */
function cachePrefix(ctx: FlowableContext, value: string | undefined): string {
  const base = `/${ctx.scope.namespace.replace(/\./g, '/')}/${slugify(ctx.scope.flowId)}/${slugify(ctx.task.id)}/cache`;
  return value === undefined ? base : `${base}/${slugify(value)}`;
}

/** Puts a live cache back into the directory; returns when it was restored (0 when there was none). */
async function restoreCache(ctx: FlowableContext, prefix: string, dir: string, ttlMs: number | undefined): Promise<number> {
  const meta = ctx.storage.toUri(`${prefix}/cache.json`);
  if (!ctx.storage.exists(meta)) return 0;
  const { createdAt } = JSON.parse(ctx.storage.readTextSync(meta)) as { createdAt: string };
  if (ttlMs !== undefined && Date.parse(createdAt) + ttlMs < Date.now()) {
    ctx.logger.debug('Cache expired, deleting it');
    await ctx.storage.deleteByPrefix(prefix);
    return 0;
  }
  ctx.logger.debug('Cache exist, downloading it');
  const stored = ctx.storage.resolve(ctx.storage.toUri(`${prefix}/files`));
  for (const rel of await glob(['**/*'], { cwd: stored, onlyFiles: true, dot: true })) {
    await fsp.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fsp.copyFile(path.join(stored, rel), path.join(dir, rel));
  }
  return Date.now();
}

async function saveCache(ctx: FlowableContext, prefix: string, dir: string, patterns: string[], restoredAt: number): Promise<void> {
  const matches = await glob(patterns, { cwd: dir, onlyFiles: true, dot: true });
  const changed = matches.some((rel) => fs.statSync(path.join(dir, rel)).mtimeMs > restoredAt);
  if (!changed) {
    ctx.logger.debug("Cache files didn't change, skip updating it");
    return;
  }
  ctx.logger.debug('Cache files changed, we update the cache');
  await ctx.storage.deleteByPrefix(prefix);
  for (const rel of matches) await ctx.storage.putFile(ctx.storage.toUri(`${prefix}/files/${rel}`), path.join(dir, rel));
  await ctx.storage.putText(ctx.storage.toUri(`${prefix}/cache.json`), JSON.stringify({ createdAt: new Date().toISOString(), files: matches.length }));
}

export const workingDirectory: FlowableTaskDefinition = {
  kind: 'flowable',
  type: 'io.kestra.plugin.core.flow.WorkingDirectory',
  aliases: ['io.kestra.core.tasks.flows.WorkingDirectory', 'io.kestra.core.tasks.flows.Worker'],
  title: 'Share one folder between tasks',
  description:
    'Runs its tasks one after the other in the same working directory, so a file written by one task (a download, a clone, a generated CSV) is simply there for the next. `inputFiles` are written into the folder first, `outputFiles` are uploaded at the end, and `cache` keeps slow-to-build files such as installed packages between executions.',
  properties,
  outputs: ['outputFiles'],
  example: `id: wdir
type: io.kestra.plugin.core.flow.WorkingDirectory
inputFiles:
  query.sql: SELECT 1
outputFiles:
  - result.txt
tasks:
  - id: write
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    commands:
      - cat query.sql > result.txt
  - id: read
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    commands:
      - cat result.txt`,
  async run(ctx) {
    const props = readProps(properties, ctx);
    const dir = await ctx.sharedWorkingDir();
    const prefix = cachePrefix(ctx, ctx.taskRunValue);
    const ttlMs = props.cache?.ttl === undefined ? undefined : parseDurationMs(ctx.renderString(props.cache.ttl), 'cache.ttl');
    let restoredAt = 0;
    try {
      if (props.cache) restoredAt = await restoreCache(ctx, prefix, dir, ttlMs);
      if (props.namespaceFiles) {
        const copied = await copyNamespaceFiles(ctx.storage, ctx.scope.namespace, props.namespaceFiles, dir);
        ctx.logger.debug(`${copied.length} namespace file(s) copied into the working directory`);
      }
      await writeInputFiles(ctx, dir, props.inputFiles, { workingDir: dir });
    } catch (err) {
      ctx.logger.error(`Failed preExecuteTasks on WorkingDirectory: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
    const state = await ctx.runTasks(tasksOf(props.tasks));
    if (props.outputFiles && props.outputFiles.length > 0) {
      const patterns = props.outputFiles.map((p) => ctx.renderString(p, { workingDir: dir }));
      const files: Record<string, string> = {};
      for (const rel of (await glob(patterns, { cwd: dir, onlyFiles: true, dot: true })).sort()) files[rel] = await ctx.putFile(path.join(dir, rel), rel);
      if (Object.keys(files).length > 0) ctx.setOutputs({ ...ctx.outputs, outputFiles: files });
    }
    if (props.cache) {
      try {
        await saveCache(ctx, prefix, dir, props.cache.patterns, restoredAt);
      } catch (err) {
        ctx.logger.error(`Unable to execute WorkingDirectory post actions: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return state;
  },
};
