import { taskSchema } from '../schema';
import type { RunnableTaskDefinition } from '../types';
import { readProps } from '../core/props';
import { commandsProperty, commonScriptProperties, scriptOutputs, scriptProperty } from './script-properties';
import { runScript } from './run-script';

const DEFAULT_IMAGE = 'ubuntu';

const commandsProperties = taskSchema(() => ({ ...commonScriptProperties, commands: commandsProperty }));

export const shellCommands: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.scripts.shell.Commands',
  aliases: ['io.kestra.core.tasks.scripts.Bash', 'io.kestra.plugin.scripts.shell.Bash'],
  title: 'Run shell commands',
  description:
    'Runs a list of shell commands, one after the other, in a fresh working directory. Use it for command-line tools: unzip or move files, call `curl`, run a program. Anything printed is shown in the logs; a line like `::{"outputs": {"n": 1}}::` adds values to `outputs.<id>.vars`, and files matching `outputFiles` are kept for later tasks.',
  properties: commandsProperties,
  outputs: scriptOutputs,
  editor: { property: 'commands', language: 'shell' },
  example: `id: unzip
type: io.kestra.plugin.scripts.shell.Commands
taskRunner:
  type: io.kestra.plugin.core.runner.Process
inputFiles:
  data.csv.gz: "{{ outputs.extract.uri }}"
commands:
  - gunzip data.csv.gz
  - wc -l data.csv
outputFiles:
  - data.csv`,
  async run(ctx) {
    const props = readProps(commandsProperties, ctx);
    return runScript(ctx, props, {
      language: 'shell',
      defaultImage: DEFAULT_IMAGE,
      mainCommands: async ({ vars }) => props.commands.map((c) => ctx.renderString(c, vars)),
    });
  },
};

const scriptProperties = taskSchema(() => ({ ...commonScriptProperties, script: scriptProperty.describe('The shell script to run.') }));

export const shellScript: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.scripts.shell.Script',
  title: 'Run a shell script',
  description:
    'Runs a multi-line shell script in a fresh working directory. Use it when commands depend on each other (variables, loops, `if`), which is easier to read as one script than as a list. Output lines, `::{json}::` outputs and `outputFiles` work as for shell Commands.',
  properties: scriptProperties,
  outputs: scriptOutputs,
  editor: { property: 'script', language: 'shell' },
  example: `id: count_rows
type: io.kestra.plugin.scripts.shell.Script
taskRunner:
  type: io.kestra.plugin.core.runner.Process
script: |
  n=$(wc -l < data.csv)
  echo "::{\\"outputs\\": {\\"rows\\": $n}}::"`,
  async run(ctx) {
    const props = readProps(scriptProperties, ctx);
    return runScript(ctx, props, {
      language: 'shell',
      defaultImage: DEFAULT_IMAGE,
      mainCommands: async ({ vars }) => [ctx.renderString(props.script, vars)],
    });
  },
};
