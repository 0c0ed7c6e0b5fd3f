import * as z from 'zod';
import { dynamic, stringish, taskSchema } from '../schema';
import type { RunnableTaskDefinition } from '../types';
import { readProps } from './props';
import { toLevel } from '../scripts/output-protocol';

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

const properties = taskSchema(() => ({
  message: z.union([stringish, z.array(stringish)]).describe('The message to log, or a list of messages logged one after the other. Templates are rendered.'),
  level: dynamic(z.enum(LEVELS)).optional().describe('Log level of every message: TRACE, DEBUG, INFO (default), WARN or ERROR.'),
}));

export const log: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.log.Log',
  aliases: ['io.kestra.core.tasks.log.Log'],
  title: 'Log a message',
  description:
    'Writes one or more messages to the execution log at the level you choose. Use it to see what a template renders to, to mark progress in a long flow, or to leave a note for whoever reads the logs later. It produces no outputs.',
  properties,
  outputs: [],
  editor: { property: 'message', language: 'text' },
  example: `id: hello
type: io.kestra.plugin.core.log.Log
message: "Hello {{ inputs.name }}, welcome to Kestra!"
level: INFO`,
  async run(ctx) {
    const props = readProps(properties, ctx);
    const level = props.level === undefined ? 'INFO' : toLevel(ctx.renderString(props.level));
    const messages = Array.isArray(props.message) ? props.message : [props.message];
    for (const m of messages) ctx.logger.log(level, ctx.renderString(m));
    return { outputs: {} };
  },
};
