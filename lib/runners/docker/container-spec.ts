/**
 * What a task's container looks like, computed without touching the engine: image, command,
 * environment, working dir, labels, limits and mounts. Kept pure so it reads in one place.
 */
import os from 'node:os';
import type Docker from 'dockerode';
import type { DockerRunOptions } from './options';
import type { Owner } from './archive';
import type { RunnerLabels } from '../types';

/** Every container Flowbook starts carries these, so leftovers can be found and removed. */
export const LABELS = {
  managed: 'flowbook.managed',
  execution: 'flowbook.execution',
  taskRun: 'flowbook.taskrun',
  task: 'flowbook.task',
  /** Which Flowbook process owns the container: `<hostname>:<pid>`. */
  owner: 'flowbook.owner',
} as const;

/**
 * Python `dependencies` are installed inside each (throwaway) container; this named volume keeps
 * pip's download and wheel cache between runs so a second run does not fetch them again.
 */
export const PIP_CACHE_VOLUME = 'flowbook-pip-cache';
export const PIP_CACHE_DIR = '/var/cache/flowbook/pip';

export interface ContainerSpecInput {
  image: string;
  command: string[];
  /** The task's environment (WORKING_DIR, PYTHONPATH, its `env`), before the runner's own `env`. */
  env: Record<string, string>;
  workingDir: string;
  options: DockerRunOptions;
  volumesEnabled: boolean;
  labels: RunnerLabels;
}

export interface ContainerSpec {
  create: Docker.ContainerCreateOptions;
  /** Who owns the copied-in files: the container's user when it is numeric, else root. */
  owner: Owner;
  warnings: string[];
}

export function ownerLabel(): string {
  return `${os.hostname()}:${process.pid}`;
}

export function containerSpec(input: ContainerSpecInput): ContainerSpec {
  const { options, workingDir } = input;
  const warnings: string[] = [];
  const env: Record<string, string> = {
    WORKING_DIR: workingDir,
    PIP_CACHE_DIR,
    ...input.env,
    ...options.env,
  };

  const binds = [`${PIP_CACHE_VOLUME}:${PIP_CACHE_DIR}`];
  if (options.fileHandlingStrategy === 'MOUNT') binds.push(`${workingDir}:${workingDir}:rw`);
  if (options.volumes.length > 0) {
    if (input.volumesEnabled) binds.push(...options.volumes);
    else warnings.push(`volumes ignored (${options.volumes.join(', ')}): host volumes are disabled in the engine settings`);
  }
  if (options.ignored.length > 0) warnings.push(`Docker runner options without effect here: ${options.ignored.join(', ')}`);

  const hostConfig: Docker.HostConfig = {
    Binds: binds,
    NetworkMode: options.networkMode,
    Memory: options.memory.memory,
    MemorySwap: options.memory.memorySwap,
    MemoryReservation: options.memory.memoryReservation,
    MemorySwappiness: options.memory.memorySwappiness,
    OomKillDisable: options.memory.oomKillDisable,
    NanoCpus: options.nanoCpus,
    ShmSize: options.shmSize,
    ExtraHosts: options.extraHosts.length > 0 ? options.extraHosts : undefined,
    Privileged: options.privileged || undefined,
  };

  return {
    create: {
      Image: input.image,
      Cmd: input.command,
      // Kestra clears the image's entrypoint so the task's command runs as written.
      Entrypoint: options.entryPoint ?? [''],
      Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
      WorkingDir: workingDir,
      User: options.user,
      Labels: {
        [LABELS.managed]: 'true',
        [LABELS.execution]: input.labels.executionId,
        [LABELS.taskRun]: input.labels.taskRunId,
        [LABELS.task]: input.labels.taskId,
        [LABELS.owner]: ownerLabel(),
      },
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
      OpenStdin: false,
      HostConfig: dropUndefined(hostConfig),
    },
    owner: numericOwner(options.user),
    warnings,
  };
}

function numericOwner(user: string | undefined): Owner {
  const match = user === undefined ? null : /^(\d+)(?::(\d+))?$/.exec(user);
  if (!match) return { uid: 0, gid: 0 };
  const uid = Number(match[1]);
  return { uid, gid: match[2] === undefined ? uid : Number(match[2]) };
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
