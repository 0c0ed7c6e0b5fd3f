/**
 * Runs a script task: prepares the working dir (input files, the built-in `kestra` helper,
 * Python dependencies), picks the runner, streams the output through the `::{json}::`
 * protocol, and gathers `vars`, `exitCode` and `outputFiles` the way Kestra does.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { TaskError, type RunContext, type TaskResult } from '../types';
import { renderBoolean, renderStringRecord } from '../core/props';
import { selectRunner, type RunnerChoice } from '../../runners/select';
import { OutputCollector } from './output-protocol';
import { INTERNAL_DIR, installKestraSdk, type SdkLanguage } from './kestra-sdk';
import { requestFromContext, runOn } from './runner-request';
import { writeInputFiles } from './input-files';
import { collectOutputFiles } from './output-files';
import { ensureVirtualenv } from './python-env';
import { exitCodeMessage, mapScriptLines, type WrittenScript } from './error-tail';
import { ImageUnavailableError } from '../../runners/types';
import { shellQuote } from './script-names';
import { copyNamespaceFiles, type NamespaceFilesSpec } from '../core/namespace-files';

export { scriptFileName, shellQuote } from './script-names';

export type ScriptLanguage = 'shell' | SdkLanguage;

/** The raw properties the shared pipeline reads (a subset of every script schema). */
export interface ScriptProps extends RunnerChoice {
  interpreter?: (string | number | boolean)[] | string;
  interpreterArgs?: (string | number | boolean)[];
  beforeCommands?: (string | number | boolean)[];
  env?: Record<string, unknown> | string;
  inputFiles?: Record<string, unknown> | string;
  outputFiles?: (string | number | boolean)[];
  namespaceFiles?: NamespaceFilesSpec;
  warningOnStdErr?: boolean | string;
  failFast?: boolean | string;
  exitOnFailed?: boolean | string;
  containerImage?: string | number | boolean;
  dependencies?: (string | number | boolean)[];
}

export interface ScriptSpec {
  language: ScriptLanguage;
  defaultImage: string;
  /**
   * The main commands, rendered. For `Script` tasks this writes the script file and
   * returns the command that runs it; `scriptDir` is where to put such files.
   */
  mainCommands(args: { ctx: RunContext; vars: Record<string, unknown>; scriptDir: ScriptDir }): Promise<string[]>;
}

/** Writes a script file into the working dir; returns the path the command runs it by. */
export interface ScriptDir {
  /**
   * `content` is the user's script (rendered); `prelude`, when given, goes before it, and
   * error positions in the file are mapped back past it to the lines of the cell's script.
   */
  write(fileName: string, content: string, opts?: { prelude?: string }): Promise<string>;
}

export async function runScript(ctx: RunContext, props: ScriptProps, spec: ScriptSpec): Promise<TaskResult> {
  const workingDir = await ctx.workingDir();
  const outputDir = path.join(workingDir, INTERNAL_DIR, 'output');
  await fsp.mkdir(outputDir, { recursive: true });
  const vars = { workingDir, outputDir };

  // Namespace files first, then inputFiles, so an input file of the same name wins (as in Kestra).
  if (props.namespaceFiles) {
    const copied = await copyNamespaceFiles(ctx.storage, ctx.scope.namespace, props.namespaceFiles, workingDir);
    if (copied.length > 0) ctx.logger.debug(`Copied ${copied.length} namespace file(s) into the working directory`);
  }

  const selected = await selectRunner(ctx.config, props);
  if (selected.warning) ctx.logger.warn(selected.warning);
  const chosen = { runner: selected.runner, options: renderOptions(ctx, selected.options) };
  const onProcess = selected.runner.name === 'process';

  await writeInputFiles(ctx, workingDir, props.inputFiles, vars);

  const env: Record<string, string> = {
    ...renderStringRecord(ctx, props.env, 'env'),
    WORKING_DIR: workingDir,
    OUTPUT_DIR: outputDir,
  };
  if (spec.language !== 'shell') Object.assign(env, await installKestraSdk(workingDir, spec.language, env));
  if (spec.language === 'python') env.PYTHONUNBUFFERED = 'true';

  const beforeCommands = (props.beforeCommands ?? []).map((c) => ctx.renderString(c, vars));
  const dependencies = (props.dependencies ?? []).map((d) => ctx.renderString(d, vars)).filter((d) => d.trim() !== '');
  if (spec.language === 'python') {
    const extraPath: string[] = [];
    if (dependencies.length > 0 && onProcess) {
      const bin = await ensureVirtualenv(ctx, chosen, dependencies);
      extraPath.push(bin);
      env.VIRTUAL_ENV = path.dirname(bin);
    } else if (dependencies.length > 0) {
      beforeCommands.unshift(`pip install --disable-pip-version-check --no-input ${dependencies.map(shellQuote).join(' ')}`);
    }
    if (onProcess && !onPath('python', env.PATH ?? process.env.PATH)) extraPath.push(await pythonShim(workingDir));
    if (extraPath.length > 0) env.PATH = [...extraPath, env.PATH ?? process.env.PATH ?? ''].join(':');
  }

  // The script file sits at the root of the working dir, as in Kestra, so it can import its
  // sibling input files; it is not an output file even when a glob matches it.
  const internalFiles = [`${INTERNAL_DIR}/**`];
  const written: WrittenScript[] = [];
  const scriptDir: ScriptDir = {
    async write(fileName, content, opts = {}) {
      const prelude = opts.prelude ?? '';
      await fsp.writeFile(path.join(workingDir, fileName), prelude + content);
      internalFiles.push(fileName);
      written.push({ fileName, headerLines: prelude === '' ? 0 : prelude.split('\n').length - (prelude.endsWith('\n') ? 1 : 0) });
      return path.join(workingDir, fileName);
    },
  };
  const main = await spec.mainCommands({ ctx, vars, scriptDir });
  const interpreter = interpreterOf(ctx, props);
  // `set -e` only means something to a POSIX shell; a custom interpreter gets the lines as they are.
  const failFast = renderBoolean(ctx, props.failFast ?? props.exitOnFailed, true) && isPosixShell(interpreter[0]);
  const script = [...(failFast ? ['set -e'] : []), ...beforeCommands, ...main].join('\n') + '\n';
  const command = await commandFile(workingDir, interpreter, script);
  const collector = new OutputCollector(ctx, written.length === 0 ? undefined : (line) => mapScriptLines(line, written));
  let result;
  try {
    result = await runOn(chosen.runner, {
      ...requestFromContext(ctx),
      workingDir,
      command,
      env,
      options: chosen.options,
      containerImage: props.containerImage === undefined ? spec.defaultImage : ctx.renderString(props.containerImage),
      onLine: collector.accept,
    });
  } catch (err) {
    throw withImageHint(err, spec.defaultImage, props.containerImage === undefined && chosen.options.image === undefined);
  }
  if (result.killedBy === 'oom') throw new TaskError(`container was killed because it ran out of memory (exit ${result.exitCode})`);
  if (result.killedBy === 'timeout') throw new TaskError('the script was stopped because the task timed out');
  if (result.killedBy === 'cancel') throw new TaskError('the script was killed');
  if (result.exitCode !== 0) throw new TaskError(exitCodeMessage(result.exitCode, collector.stderrTail.summary()));

  const patterns = (props.outputFiles ?? []).map((p) => ctx.renderString(p, vars));
  const outputFiles = await collectOutputFiles(ctx, workingDir, patterns, internalFiles, outputDir);
  const warnOnStderr = renderBoolean(ctx, props.warningOnStdErr, true);
  return {
    outputs: { vars: collector.vars, exitCode: result.exitCode, outputFiles },
    state: warnOnStderr && collector.stderrLines > 0 ? 'WARNING' : 'SUCCESS',
  };
}

/**
 * A task that names no image runs in its type's default image; where that image can neither
 * be found nor pulled (no registry), the way out is to run the script on this machine.
 */
function withImageHint(err: unknown, defaultImage: string, usesDefaultImage: boolean): unknown {
  const cause = err instanceof Error ? err.cause : undefined;
  if (!usesDefaultImage || !(cause instanceof ImageUnavailableError) || cause.image !== defaultImage) return err;
  return new TaskError(
    `${(err as Error).message}\nThis task names no image, so it uses the default ${defaultImage}. To run it on this machine instead (with its own sh/python3/node), add to the task:\n  taskRunner:\n    type: io.kestra.plugin.core.runner.Process\nor start Flowbook with FLOWBOOK_DEFAULT_RUNNER=process.`,
    { cause },
  );
}

/** Runner options are task properties like any other: their templates are rendered before the runner reads them. */
function renderOptions(ctx: RunContext, options: Record<string, unknown>): Record<string, unknown> {
  const rendered = ctx.render(options);
  if (!isRecord(rendered)) throw new TaskError('invalid Docker task runner options: expected a map');
  return rendered;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPosixShell(program: string): boolean {
  return ['sh', 'bash', 'dash', 'ash', 'ksh', 'zsh', 'busybox'].includes(path.basename(program));
}

/**
 * The commands go to a file in the working dir, and the interpreter is given its path: an
 * argument is shown by `ps` to every local user, and rendered commands may hold secrets. Kestra
 * passes the commands as the interpreter's last argument (`/bin/sh -c <commands>`); a trailing
 * `-c` is therefore dropped, so `sh`, `bash` and `python3` read the file instead. The path is
 * relative to the working dir, where both runners start the command.
 */
async function commandFile(workingDir: string, interpreter: string[], script: string): Promise<string[]> {
  const dir = path.join(workingDir, INTERNAL_DIR);
  await fsp.mkdir(dir, { recursive: true });
  const name = `commands-${randomBytes(4).toString('hex')}${isPosixShell(interpreter[0]) ? '.sh' : ''}`;
  // Readable by its owner only: the file may hold secrets the flow rendered into its commands.
  await fsp.writeFile(path.join(dir, name), script, { mode: 0o600 });
  const args = interpreter.at(-1) === '-c' ? interpreter.slice(0, -1) : interpreter;
  return [...args, `${INTERNAL_DIR}/${name}`];
}

function interpreterOf(ctx: RunContext, props: ScriptProps): string[] {
  if (props.interpreter === undefined) return ['/bin/sh', '-c'];
  if (typeof props.interpreter === 'string') {
    return [ctx.renderString(props.interpreter), ...(props.interpreterArgs ?? ['-c']).map((a) => ctx.renderString(a))];
  }
  if (props.interpreter.length === 0) throw new TaskError('interpreter must name a program');
  return props.interpreter.map((a) => ctx.renderString(a));
}

/** A name no module or input file is likely to have: a script called `json.py` would shadow `import json`. */
function onPath(program: string, pathValue: string | undefined): boolean {
  return (pathValue ?? '').split(':').some((dir) => dir !== '' && isExecutable(path.join(dir, program)));
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Course scripts call `python`; where only `python3` exists, a link in the working dir fills in. */
async function pythonShim(workingDir: string): Promise<string> {
  const dir = path.join(workingDir, INTERNAL_DIR, 'bin');
  const python3 = (process.env.PATH ?? '').split(':').map((d) => path.join(d, 'python3')).find(isExecutable);
  if (!python3) return dir;
  await fsp.mkdir(dir, { recursive: true });
  if (!fs.existsSync(path.join(dir, 'python'))) await fsp.symlink(python3, path.join(dir, 'python'));
  return dir;
}
