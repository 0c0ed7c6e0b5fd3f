/**
 * Properties every script task shares (Kestra's AbstractExecScript), with a description
 * per field so the notebook can explain them.
 */
import * as z from 'zod';
import { namespaceFilesSchema } from '../core/namespace-files';
import { dynamic, stringish } from '../schema';

const stringList = z.array(stringish);

export const commonScriptProperties = {
  interpreter: z
    .union([stringList, z.string()])
    .optional()
    .describe("The program and arguments that run the commands, default ['/bin/sh', '-c']. The commands are passed as one last argument."),
  interpreterArgs: stringList.optional().describe('Arguments for a string `interpreter` (older script tasks), default ["-c"].'),
  beforeCommands: stringList.optional().describe('Commands run before the main ones, for example to install a package.'),
  env: z.union([z.record(z.string(), z.unknown()), z.string()]).optional().describe('Environment variables for the script. Values are rendered.'),
  inputFiles: z
    .union([z.record(z.string(), z.unknown()), z.string()])
    .optional()
    .describe('Files to create in the working directory before the script runs: file name → content, or → a kestra:/// URI to copy from storage.'),
  outputFiles: stringList.optional().describe('Glob patterns of files to keep after the script (e.g. "*.csv"); read them as outputs.<id>.outputFiles["name"].'),
  namespaceFiles: namespaceFilesSchema.optional().describe('Copy the namespace files (the notebook\'s Files panel) into the working directory before the commands run, filtered by `include`/`exclude` globs.'),
  warningOnStdErr: dynamic(z.boolean()).optional().describe('Mark the task WARNING when the script prints anything to stderr (default true).'),
  failFast: dynamic(z.boolean()).optional().describe('Stop at the first command that fails (adds `set -e`, default true).'),
  exitOnFailed: dynamic(z.boolean()).optional().describe('Older name of failFast.'),
  containerImage: stringish.optional().describe('Container image to run in when the task runs on Docker.'),
  taskRunner: z
    .object({ type: z.string() })
    .passthrough()
    .optional()
    .describe('Where the script runs: io.kestra.plugin.core.runner.Process (this machine) or io.kestra.plugin.scripts.runner.docker.Docker (a container).'),
  docker: z.record(z.string(), z.unknown()).optional().describe('Docker options of older script tasks (image, pullPolicy, ...); same as a Docker taskRunner.'),
  runner: z.string().optional().describe('Older way to choose the runner: PROCESS or DOCKER.'),
  targetOS: z.string().optional().describe('The operating system the commands are written for (only LINUX/AUTO run here).'),
  outputDirectory: dynamic(z.boolean()).optional().describe('Deprecated in Kestra (AbstractExecScript): enabled `{{ outputDir }}`, which Flowbook always provides; use outputFiles.'),
};

/** What every script task outputs (Kestra's ScriptOutput): `vars` from `::{"outputs": …}::` lines, the exit code, the kept files. */
export const scriptOutputs = ['vars', 'exitCode', 'outputFiles', 'taskRunner'] as const;

export const commandsProperty = z.array(stringish).min(1).describe('The commands to run, one per item, in order.');
export const scriptProperty = z.string().describe('The script source to run.');
