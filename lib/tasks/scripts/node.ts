import { taskSchema } from '../schema';
import type { RunnableTaskDefinition } from '../types';
import { readProps } from '../core/props';
import { commandsProperty, commonScriptProperties, scriptOutputs, scriptProperty } from './script-properties';
import { runScript } from './run-script';
import { scriptFileName, shellQuote } from './script-names';

const DEFAULT_IMAGE = 'node';

const scriptProperties = taskSchema(() => ({ ...commonScriptProperties, script: scriptProperty.describe('The JavaScript (CommonJS) code to run with Node.js.') }));

export const nodeScript: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.scripts.node.Script',
  title: 'Run a Node.js script',
  description:
    "Runs JavaScript written right in the flow with Node.js. Templates are rendered first. `const Kestra = require('@kestra-io/libs')` works without npm install: `Kestra.outputs({n: 1})` makes `outputs.<id>.vars.n`. Keep produced files with `outputFiles`.",
  properties: scriptProperties,
  outputs: scriptOutputs,
  editor: { property: 'script', language: 'javascript' },
  example: `id: hello_node
type: io.kestra.plugin.scripts.node.Script
taskRunner:
  type: io.kestra.plugin.core.runner.Process
script: |
  const Kestra = require('@kestra-io/libs');
  Kestra.outputs({ greeting: 'hello from node' });`,
  async run(ctx) {
    const props = readProps(scriptProperties, ctx);
    return runScript(ctx, props, {
      language: 'node',
      defaultImage: DEFAULT_IMAGE,
      async mainCommands({ vars, scriptDir }) {
        const file = await scriptDir.write(scriptFileName(ctx.task.id, 'js'), ctx.renderString(props.script, vars));
        return [`node ${shellQuote(file)}`];
      },
    });
  },
};

const commandsProperties = taskSchema(() => ({ ...commonScriptProperties, commands: commandsProperty }));

export const nodeCommands: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.scripts.node.Commands',
  title: 'Run Node.js commands',
  description:
    'Runs commands such as `node main.js` or `npm install` with Node.js available, in a fresh working directory. Use it when the code comes in files (through `inputFiles`). The built-in `@kestra-io/libs` module works as for a Node.js Script.',
  properties: commandsProperties,
  outputs: scriptOutputs,
  editor: { property: 'commands', language: 'shell' },
  example: `id: run_main
type: io.kestra.plugin.scripts.node.Commands
taskRunner:
  type: io.kestra.plugin.core.runner.Process
inputFiles:
  main.js: |
    const Kestra = require('@kestra-io/libs');
    Kestra.outputs({ ok: true });
commands:
  - node main.js`,
  async run(ctx) {
    const props = readProps(commandsProperties, ctx);
    return runScript(ctx, props, {
      language: 'node',
      defaultImage: DEFAULT_IMAGE,
      mainCommands: async ({ vars }) => props.commands.map((c) => ctx.renderString(c, vars)),
    });
  },
};
