import { taskSchema } from '../schema';
import type { RunnableTaskDefinition } from '../types';
import { executionPrefix } from '../../storage/storage';

const properties = taskSchema(() => ({}));

export const purgeCurrentExecutionFiles: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.storage.PurgeCurrentExecutionFiles',
  aliases: ['io.kestra.plugin.core.storage.PurgeExecution', 'io.kestra.core.tasks.storages.PurgeExecution'],
  title: 'Delete this execution’s files',
  description:
    "Deletes every file the current execution has put in internal storage: inputs, downloaded files, query results and script output files. Put it last in a flow that handles large files so they do not pile up. Outputs that pointed to those files keep their URIs, but the files behind them are gone, so previews of them stop working.",
  properties,
  outputs: ['uris'],
  example: `id: purge_files
type: io.kestra.plugin.core.storage.PurgeCurrentExecutionFiles
description: To avoid cluttering your storage, we will remove the downloaded files`,
  async run(ctx) {
    const uris = await ctx.storage.deleteByPrefix(executionPrefix(ctx.scope));
    ctx.logger.info(uris.length === 0 ? 'No file to delete for this execution' : `Deleted ${uris.length} file(s) of this execution`);
    return { outputs: { uris } };
  },
};
