/**
 * Kestra's storage.LocalFiles (core/.../plugin/core/storage/LocalFiles.java), deprecated in
 * Kestra since 0.17 (migration guide 0.17.0, local-files) for the `inputFiles` and
 * `outputFiles` of WorkingDirectory and script tasks, and kept for older flows: `inputs` are
 * written into the working directory, then files matching `outputs` are uploaded as `uris`.
 * Inside a WorkingDirectory that is the directory its tasks share.
 */
import path from 'node:path';
import { glob } from '../../storage/glob';
import * as z from 'zod';
import { taskSchema } from '../schema';
import type { RunnableTaskDefinition } from '../types';
import { writeInputFiles } from '../scripts/input-files';
import { readProps } from './props';

const properties = taskSchema(() => ({
  inputs: z.union([z.record(z.string(), z.unknown()), z.string()]).optional().describe('Files to create in the working directory: a map of file names to contents or `kestra:///` URIs, or a JSON object.'),
  outputs: z.array(z.string()).optional().describe('Globs of files in the working directory to upload to internal storage, e.g. `sub/**` or `*.parquet`.'),
}));

export const localFiles: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.storage.LocalFiles',
  aliases: ['io.kestra.core.tasks.storages.LocalFiles'],
  title: 'Create or collect local files (deprecated)',
  description:
    'Inside a WorkingDirectory, writes the `inputs` files into the shared folder and uploads the files matching `outputs`, which later tasks read as `outputs.<id>.uris["name"]`. Kestra keeps it for older flows and marks it deprecated: new flows should use the `inputFiles` and `outputFiles` of WorkingDirectory or of script tasks.',
  properties,
  outputs: ['uris'],
  example: `id: export_files
type: io.kestra.plugin.core.storage.LocalFiles
inputs:
  hello.txt: "Hello World"
outputs:
  - "*.txt"`,
  async run(ctx) {
    const props = readProps(properties, ctx);
    const dir = await ctx.workingDir();
    await writeInputFiles(ctx, dir, props.inputs, { workingDir: dir });
    const uris: Record<string, string> = {};
    if (props.outputs && props.outputs.length > 0) {
      const patterns = props.outputs.map((p) => ctx.renderString(p, { workingDir: dir }));
      for (const rel of (await glob(patterns, { cwd: dir, onlyFiles: true, dot: true })).sort()) uris[rel] = await ctx.putFile(path.join(dir, rel), rel);
    }
    return { outputs: { uris } };
  },
};
