/**
 * What a task's container looks like, computed without touching the engine: image, command,
 * environment, working dir, labels, limits and mounts. Kept pure so it reads in one place.
 */
import type Docker from 'dockerode';
import type { DockerRunOptions } from './options';
import type { Owner } from './archive';
import { createHash } from 'node:crypto';
import type { RunnerLabels } from '../types';
import type { RunnerLimits } from '../../config/runner-limits';
import { ownerId } from '../owner';

/** Every container Flowbook starts carries these, so leftovers can be found and removed. */
export const LABELS = {
  managed: 'flowbook.managed',
  execution: 'flowbook.execution',
  taskRun: 'flowbook.taskrun',
  task: 'flowbook.task',
  namespace: 'flowbook.namespace',
  /** Which Flowbook process owns the container: `<hostname>:<pid>:<start time>` (owner.ts). */
  owner: 'flowbook.owner',
} as const;

/**
 * Python `dependencies` are installed inside each (throwaway) container; a named volume per
 * namespace keeps pip's download and wheel cache between runs so a second run does not fetch
 * them again. One namespace's flows cannot plant a package in another's cache.
 */
export const PIP_CACHE_VOLUME_PREFIX = 'flowbook-pip-cache';
export const PIP_CACHE_DIR = '/var/cache/flowbook/pip';

/** The cache volume of a namespace: readable, and unique even where two namespaces read alike once cleaned. */
export function pipCacheVolume(namespace: string | undefined): string {
  if (namespace === undefined || namespace === '') return `${PIP_CACHE_VOLUME_PREFIX}-default`;
  const readable = namespace.replace(/[^a-zA-Z0-9_.-]/g, '_').slice(0, 64);
  const hash = createHash('sha256').update(namespace).digest('hex').slice(0, 8);
  return `${PIP_CACHE_VOLUME_PREFIX}-${readable}-${hash}`;
}

/**
 * Capabilities a task's container keeps (all others are dropped), for what script tasks do as
 * root in the image: `apt-get install` (dpkg sets owners and modes: CHOWN, FOWNER, FSETID;
 * writes root-owned paths it does not own: DAC_OVERRIDE; apt drops to its `_apt` user for
 * downloads: SETUID, SETGID; and ends those helpers: KILL) and `pip install` (needs none of
 * these beyond writing site-packages as root). NET_RAW (ping, raw sockets), MKNOD, SETFCAP,
 * SETPCAP, NET_BIND_SERVICE, SYS_CHROOT and AUDIT_WRITE of Docker's default set are dropped.
 */
export const KEPT_CAPABILITIES = ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'SETUID', 'SETGID', 'KILL'] as const;

export interface ContainerSpecInput {
  image: string;
  command: string[];
  /** The task's environment (WORKING_DIR, PYTHONPATH, its `env`), before the runner's own `env`. */
  env: Record<string, string>;
  workingDir: string;
  /** The working dir is bind-mounted at its own path (MOUNT, or VOLUME where that is the same; transfer.ts). */
  bindWorkingDir: boolean;
  options: DockerRunOptions;
  volumesEnabled: boolean;
  labels: RunnerLabels;
  limits: Pick<RunnerLimits, 'containerMemoryBytes' | 'containerPidsLimit' | 'containerUser'>;
}

export interface ContainerSpec {
  create: Docker.ContainerCreateOptions;
  /** Who owns the copied-in files: the container's user when it is numeric, else root. */
  owner: Owner;
  warnings: string[];
}

export function ownerLabel(): string {
  return ownerId();
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

  const binds = [`${pipCacheVolume(input.labels.namespace)}:${PIP_CACHE_DIR}`];
  if (input.bindWorkingDir) binds.push(`${workingDir}:${workingDir}:rw`);
  if (options.volumes.length > 0) {
    if (input.volumesEnabled) binds.push(...options.volumes);
    else warnings.push(`volumes ignored (${options.volumes.join(', ')}): host volumes are disabled in the engine settings`);
  }
  if (options.ignored.length > 0) warnings.push(`Docker runner options without effect here: ${options.ignored.join(', ')}`);

  // A task may use this much memory and no more (swap included), and start this many processes.
  const memory = options.memory.memory ?? input.limits.containerMemoryBytes;
  const hostConfig: Docker.HostConfig = {
    Binds: binds,
    NetworkMode: options.networkMode,
    Memory: memory,
    MemorySwap: options.memory.memorySwap ?? (options.memory.memory === undefined ? memory : undefined),
    MemoryReservation: options.memory.memoryReservation,
    MemorySwappiness: options.memory.memorySwappiness,
    OomKillDisable: options.memory.oomKillDisable,
    NanoCpus: options.nanoCpus,
    ShmSize: options.shmSize,
    ExtraHosts: options.extraHosts.length > 0 ? options.extraHosts : undefined,
    PidsLimit: input.limits.containerPidsLimit,
    Privileged: options.privileged || undefined,
    // A setuid program in the image cannot raise a task's privileges; a privileged task asked for them.
    SecurityOpt: options.privileged ? undefined : ['no-new-privileges:true'],
    CapDrop: options.privileged ? undefined : ['ALL'],
    CapAdd: options.privileged ? undefined : [...KEPT_CAPABILITIES],
  };
  if (options.privileged) warnings.push('privileged: the container runs with every capability and may gain more');
  const user = options.user ?? input.limits.containerUser;

  return {
    create: {
      Image: input.image,
      Cmd: input.command,
      // Kestra clears the image's entrypoint so the task's command runs as written.
      Entrypoint: options.entryPoint ?? [''],
      Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
      WorkingDir: workingDir,
      User: user,
      Labels: {
        [LABELS.managed]: 'true',
        [LABELS.execution]: input.labels.executionId,
        [LABELS.taskRun]: input.labels.taskRunId,
        [LABELS.task]: input.labels.taskId,
        ...(input.labels.namespace !== undefined ? { [LABELS.namespace]: input.labels.namespace } : {}),
        [LABELS.owner]: ownerLabel(),
      },
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
      OpenStdin: false,
      HostConfig: dropUndefined(hostConfig),
    },
    owner: numericOwner(user),
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
