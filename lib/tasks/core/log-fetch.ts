/**
 * Kestra's log.Fetch (core/.../plugin/core/log/Fetch.java): the log lines of an execution (this
 * one by default) at or above a level, optionally of some tasks only, stored as an Ion file
 * of one log entry per line. Outputs `uri` and `size` (the number of lines).
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import { dynamic, stringish, taskSchema } from '../schema';
import { TaskError, type RunnableTaskDefinition, type TaskLogLine } from '../types';
import { readProps, renderOptional } from './props';
import { toLevel } from '../scripts/output-protocol';
import { ionRecordLine } from '../jdbc-common/ion-writer';
import { SqlTimestamp } from '../jdbc-common/values';
import { LOG_LEVELS, type LogLevel } from '../../model/log';

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

const properties = taskSchema(() => ({
  namespace: stringish.optional().describe('With `executionId`: the namespace the execution belongs to (default: this flow\'s).'),
  flowId: stringish.optional().describe('With `executionId`: the flow the execution belongs to (default: this flow).'),
  executionId: stringish.optional().describe('The execution whose logs to fetch; default: the current one.'),
  tasksId: z.array(z.string()).optional().describe('Only the logs of these task ids.'),
  level: dynamic(z.enum(LEVELS)).optional().describe('The lowest level to fetch: TRACE, DEBUG, INFO (default), WARN or ERROR.'),
}));

function atLeast(level: LogLevel, lowest: LogLevel): boolean {
  return LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(lowest);
}

function entry(line: TaskLogLine): Record<string, string | SqlTimestamp | null> {
  return {
    namespace: line.namespace ?? null,
    flowId: line.flowId ?? null,
    taskId: line.taskId ?? null,
    executionId: line.executionId,
    taskRunId: line.taskRunId ?? null,
    timestamp: new SqlTimestamp(line.at, true),
    level: line.level,
    message: line.message,
  };
}

export const logFetch: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.log.Fetch',
  aliases: ['io.kestra.core.tasks.log.Fetch'],
  title: 'Fetch execution logs',
  description:
    'Collects the log lines of an execution, the current one unless you give an `executionId`, at or above a `level` and optionally only of some tasks, into an Ion file in internal storage. Use it to keep a record of what happened, to send logs elsewhere, or to check in a later task what an earlier one reported.',
  properties,
  outputs: ['uri', 'size'],
  example: `id: fetch_warnings
type: io.kestra.plugin.core.log.Fetch
level: WARN
executionId: "{{ execution.id }}"
tasksId:
  - load`,
  async run(ctx) {
    const props = readProps(properties, ctx);
    const executionId = renderOptional(ctx, props.executionId) ?? ctx.scope.executionId;
    const namespace = renderOptional(ctx, props.namespace) ?? ctx.scope.namespace;
    const flowId = renderOptional(ctx, props.flowId) ?? ctx.scope.flowId;
    const lowest = props.level === undefined ? 'INFO' : toLevel(ctx.renderString(props.level));
    const lines = await ctx.fetchLogs({ executionId });
    // An execution of another flow is only found when namespace and flowId name it, as in Kestra.
    const elsewhere = lines.find((l) => (l.namespace !== undefined && l.namespace !== namespace) || (l.flowId !== undefined && l.flowId !== flowId));
    if (elsewhere) throw new TaskError(`execution ${executionId} does not belong to flow ${namespace}.${flowId}`);
    const tasksId = props.tasksId;
    // With tasksId Kestra reads task by task, so lines come grouped in the order of tasksId.
    const selected = (tasksId ? tasksId.flatMap((id) => lines.filter((l) => l.taskId === id)) : lines).filter((l) => atLeast(l.level, lowest));
    const file = path.join(await ctx.workingDir(), `${ctx.task.id}.ion`);
    await fsp.writeFile(file, selected.map((l) => ionRecordLine(entry(l))).join(''));
    const uri = await ctx.putFile(file);
    return { outputs: { uri, size: selected.length } };
  },
};
