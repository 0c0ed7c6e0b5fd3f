/**
 * Python `dependencies` for a script that runs on this machine: installed once into a
 * virtualenv under the cache dir, keyed by the sorted list, and reused by every later run that
 * asks for the same list. The env is built by the runner the task chose, so it is made where
 * the script runs. A half-built env is never used: it is built aside and renamed into place.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { TaskError, type RunContext } from '../types';
import type { TaskRunner } from '../../runners/types';
import { requestFromContext, runOn } from './runner-request';

const NO_INDEX = /No matching distribution|Could not find a version|NewConnectionError|Failed to establish a new connection|Temporary failure in name resolution|Name or service not known|Network is unreachable|ConnectTimeout|Connection refused|ProxyError|No route to host/i;

export function venvKey(dependencies: readonly string[]): string {
  const sorted = [...new Set(dependencies.map((d) => d.trim()).filter(Boolean))].sort();
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 16);
}

/** The runner the task chose and its rendered options: the env's commands run there. */
export interface ChosenRunner {
  runner: TaskRunner;
  options: Record<string, unknown>;
}

/** Returns the virtualenv's bin dir, creating the env when no cached one exists. */
export async function ensureVirtualenv(ctx: RunContext, on: ChosenRunner, dependencies: readonly string[]): Promise<string> {
  const root = path.join(ctx.config.cacheDir, 'python-venvs');
  const final = path.join(root, venvKey(dependencies));
  const bin = path.join(final, 'bin');
  if (fs.existsSync(path.join(final, '.complete'))) {
    ctx.logger.info(`Using cached virtualenv for Python dependencies: ${dependencies.join(', ')}`);
    return bin;
  }
  await fsp.mkdir(root, { recursive: true });
  const building = await fsp.mkdtemp(path.join(root, 'building-'));
  try {
    ctx.logger.info(`Installing Python dependencies into a cached virtualenv: ${dependencies.join(', ')}`);
    await step(ctx, on, building, ['python3', '-m', 'venv', building], 'Creating a virtualenv');
    const pipOutput: string[] = [];
    const exit = await run(ctx, on, building, [
      path.join(building, 'bin', 'python'),
      '-m',
      'pip',
      'install',
      '--disable-pip-version-check',
      '--no-input',
      '--retries',
      '0',
      '--timeout',
      '15',
      ...dependencies,
    ], pipOutput);
    if (exit !== 0) {
      const said = pipOutput.filter((l) => /error|ERROR|Could not|No matching/.test(l)).slice(-3).join(' | ') || pipOutput.slice(-3).join(' | ');
      const cause = NO_INDEX.test(pipOutput.join('\n'))
        ? 'no Python package index answered. Make the packages reachable through pip (PIP_INDEX_URL or a local index), or run the task in a container image that already has them'
        : `pip exited with code ${exit}`;
      throw new TaskError(`Could not install Python dependencies (${dependencies.join(', ')}): ${cause}. pip said: ${said}`);
    }
    await fsp.writeFile(path.join(building, '.complete'), new Date().toISOString());
    try {
      await fsp.rename(building, final);
    } catch (err) {
      // Another run built the same env meanwhile: use theirs.
      if (!fs.existsSync(path.join(final, '.complete'))) throw err;
    }
    return bin;
  } finally {
    await fsp.rm(building, { recursive: true, force: true });
  }
}

async function step(ctx: RunContext, on: ChosenRunner, dir: string, command: string[], what: string): Promise<void> {
  const output: string[] = [];
  const exit = await run(ctx, on, dir, command, output);
  if (exit !== 0) throw new TaskError(`${what} failed (exit code ${exit}): ${output.slice(-3).join(' | ')}`);
}

async function run(ctx: RunContext, on: ChosenRunner, dir: string, command: string[], output: string[]): Promise<number> {
  // A virtualenv made by python3 -m venv must not be built on top of another active one.
  const result = await runOn(on.runner, {
    ...requestFromContext(ctx),
    workingDir: dir,
    command,
    env: { PIP_DISABLE_PIP_VERSION_CHECK: '1', VIRTUAL_ENV: '' },
    options: on.options,
    onLine: ({ line }) => {
      output.push(line);
      ctx.logger.debug(line);
    },
  });
  if (result.killedBy) throw new TaskError(`Installing Python dependencies was stopped (${result.killedBy})`);
  return result.exitCode;
}
