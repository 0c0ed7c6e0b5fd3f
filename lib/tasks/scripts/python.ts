import * as z from 'zod';
import { dynamic, stringish, taskSchema } from '../schema';
import type { RunnableTaskDefinition } from '../types';
import { readProps } from '../core/props';
import { commandsProperty, commonScriptProperties, scriptOutputs, scriptProperty } from './script-properties';
import { runScript } from './run-script';
import { scriptFileName, shellQuote } from './script-names';

const DEFAULT_IMAGE = 'python:3.11-slim';

/** Rendered templates print JSON literals; these names make `x = {{ inputs.flag }}` valid Python. */
const PRELUDE = 'true = True\nfalse = False\nnull = None\n';

const pythonProperties = {
  ...commonScriptProperties,
  dependencies: z
    .array(stringish)
    .optional()
    .describe('Python packages to install before the script runs (pip requirement strings such as "pandas==2.2.2"). Installed once and cached.'),
  // The rest of Kestra's AbstractPythonExecScript (plugin-scripts, plugin-script-python), accepted so a Kestra flow validates.
  pythonVersion: stringish.optional().describe('The Python version Kestra installs with uv. Flowbook runs the Python of the container image or of this machine.'),
  dependencyCacheEnabled: dynamic(z.boolean()).optional().describe('Cache installed dependencies between runs (default true); Flowbook always caches them.'),
  packageManager: stringish.optional().describe('UV (Kestra default) or PIP. Flowbook installs with pip.'),
  uvAutoInstallEnabled: dynamic(z.boolean()).optional().describe('Let Kestra install uv when missing. Not used by Flowbook.'),
  uvInstallerVersion: stringish.optional().describe('The uv version Kestra installs. Not used by Flowbook.'),
};

const scriptProperties = taskSchema(() => ({ ...pythonProperties, script: scriptProperty.describe('The Python code to run.') }));

export const pythonScript: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.scripts.python.Script',
  title: 'Run a Python script',
  description:
    'Runs Python code written right in the flow. Templates are rendered first, so `{{ inputs.x }}` can appear in the code. `from kestra import Kestra` works without installing anything: `Kestra.outputs({"n": 1})` makes `outputs.<id>.vars.n`, `Kestra.counter(...)` records a metric. List extra packages under `dependencies`, and keep produced files with `outputFiles`.',
  properties: scriptProperties,
  outputs: scriptOutputs,
  editor: { property: 'script', language: 'python' },
  example: `id: transform
type: io.kestra.plugin.scripts.python.Script
taskRunner:
  type: io.kestra.plugin.core.runner.Process
outputFiles:
  - products.json
script: |
  import json
  from kestra import Kestra
  products = [{"brand": "A", "price": 10}]
  with open("products.json", "w") as f:
      json.dump(products, f)
  Kestra.outputs({"count": len(products)})`,
  async run(ctx) {
    const props = readProps(scriptProperties, ctx);
    return runScript(ctx, props, {
      language: 'python',
      defaultImage: DEFAULT_IMAGE,
      async mainCommands({ vars, scriptDir }) {
        const file = await scriptDir.write(scriptFileName(ctx.task.id, 'py'), ctx.renderString(props.script, vars), { prelude: PRELUDE });
        return [`python ${shellQuote(file)}`];
      },
    });
  },
};

const commandsProperties = taskSchema(() => ({ ...pythonProperties, commands: commandsProperty }));

export const pythonCommands: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.scripts.python.Commands',
  title: 'Run Python commands',
  description:
    'Runs commands such as `python main.py` with Python available, in a fresh working directory. Use it when the code lives in files, given with `inputFiles` or from a repository, rather than in the flow. The built-in `kestra` module and `dependencies` work as for a Python Script.',
  properties: commandsProperties,
  outputs: scriptOutputs,
  editor: { property: 'commands', language: 'shell' },
  example: `id: run_main
type: io.kestra.plugin.scripts.python.Commands
taskRunner:
  type: io.kestra.plugin.core.runner.Process
inputFiles:
  main.py: |
    from kestra import Kestra
    Kestra.outputs({"greeting": "hello"})
commands:
  - python main.py`,
  async run(ctx) {
    const props = readProps(commandsProperties, ctx);
    return runScript(ctx, props, {
      language: 'python',
      defaultImage: DEFAULT_IMAGE,
      mainCommands: async ({ vars }) => props.commands.map((c) => ctx.renderString(c, vars)),
    });
  },
};
