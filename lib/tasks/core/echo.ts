import * as z from 'zod';
import { dynamic, stringish, taskSchema } from '../schema';
import type { RunnableTaskDefinition } from '../types';
import { readProps } from './props';
import { toLevel } from '../scripts/output-protocol';

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

const properties = taskSchema(() => ({
  format: stringish.describe('The message to log. Templates are rendered.'),
  level: dynamic(z.enum(LEVELS)).optional().describe('Log level: TRACE, DEBUG, INFO (default), WARN or ERROR.'),
}));

/** Kestra's Echo (core/.../plugin/core/debug/Echo.java), deprecated there in favour of log.Log: it logs `format` at `level`. */
export const echo: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.debug.Echo',
  aliases: ['io.kestra.core.tasks.debugs.Echo'],
  title: 'Echo a message (deprecated)',
  description:
    'Writes the rendered `format` to the execution log at the chosen level, like the Log task. Kestra keeps it for older flows and marks it deprecated: new flows should use `io.kestra.plugin.core.log.Log`. It produces no outputs.',
  properties,
  outputs: [],
  editor: { property: 'format', language: 'text' },
  example: `id: echo
type: io.kestra.plugin.core.debug.Echo
level: WARN
format: "{{ task.id }} > {{ taskrun.startDate }}"`,
  async run(ctx) {
    const props = readProps(properties, ctx);
    const level = props.level === undefined ? 'INFO' : toLevel(ctx.renderString(props.level));
    ctx.logger.log(level, ctx.renderString(props.format));
    return { outputs: {} };
  },
};
