/**
 * One script in its own container: check the engine, make sure the image is there, create
 * the container, copy the working dir in (or bind it, see transfer.ts), stream its output
 * live, wait, copy the working dir back out, and remove the container whatever happened.
 */
import type Docker from 'dockerode';
import { RunnerError, type RunnerRequest, type RunnerResult } from '../types';
import { abortReason } from '../abort';
import { describeHost, dockerClient, dockerErrorMessage, isConnectionError, statusCode } from './client';
import { containerSpec } from './container-spec';
import { ensureImage } from './image';
import { DockerOptionsError, parseDockerOptions, type DockerRunOptions } from './options';
import { extractWorkingDir, packWorkingDir } from './archive';
import { streamLines } from './output';
import { containersMayStart } from './cleanup-gate';
import { chooseTransfer } from './transfer';
import { TaskOutput } from '../output';
import { limitsOf } from '../limits';

type KillReason = NonNullable<RunnerResult['killedBy']>;

export async function runInContainer(request: RunnerRequest): Promise<RunnerResult> {
  const { workingDir, signal, settings } = request;
  if (signal.aborted) return { exitCode: -1, killedBy: abortReason(signal) };
  request.detail('runner', 'docker');

  const options = readOptions(request.options);
  const limits = limitsOf(settings);
  // The request's own networkMode wins; otherwise the settings' default (e.g. `host` on an engine without a bridge).
  options.networkMode ??= settings.dockerNetworkMode;
  const image = options.image ?? request.containerImage;
  if (!image) throw new RunnerError('the Docker task runner needs an image: set `containerImage` on the task');
  for (const secret of [options.credentials?.password, options.credentials?.auth, options.credentials?.registryToken, options.credentials?.identityToken]) {
    if (secret) request.secret(secret);
  }

  const client = await dockerClient(options.host);
  await requireEngine(client, options.host);
  await ensureImage(client, { image, pullPolicy: options.pullPolicy, credentials: options.credentials, log: request.log, signal });
  if (signal.aborted) return { exitCode: -1, killedBy: abortReason(signal) };

  const transfer = await chooseTransfer(client, { strategy: options.fileHandlingStrategy, host: options.host, user: options.user ?? limits.containerUser, image });
  request.detail('workingDir', transfer === 'bind' ? 'bind-mounted' : 'copied in and out');
  const spec = containerSpec({
    image,
    bindWorkingDir: transfer === 'bind',
    command: request.command,
    env: request.env,
    workingDir,
    options,
    volumesEnabled: settings.dockerVolumesEnabled,
    labels: request.labels,
    limits,
  });
  for (const warning of spec.warnings) request.log('WARN', warning);

  await containersMayStart();
  const container = await createContainer(client, spec.create, image);
  request.detail('containerId', container.id);
  let killedBy: KillReason | undefined;
  // SIGTERM to the container's main process, SIGKILL to all of it after the grace period.
  const kill = () => {
    container.stop({ t: Math.ceil(limits.killGraceMs / 1000) }).catch(() => {
      // Already stopped or gone: nothing left to end.
    });
  };
  const onAbort = () => {
    killedBy = abortReason(signal);
    kill();
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    if (transfer === 'copy') {
      await container.putArchive(packWorkingDir(workingDir, spec.owner), { path: '/' });
    }
    // Attached before start, so not even the first line printed is missed.
    const attached = await container.attach({ stream: true, stdout: true, stderr: true });
    const output = streamLines(client, attached, new TaskOutput(request, limits));
    if (signal.aborted) return { exitCode: -1, killedBy: killedBy ?? abortReason(signal) };
    await startContainer(container, image);
    request.log('DEBUG', `Container ${container.id.slice(0, 12)} started from ${image}`);
    // An abort that came while the container was being started found nothing to kill yet.
    if (killedBy) kill();

    const { StatusCode: exitCode } = (await container.wait()) as { StatusCode: number };
    await output;
    const state = (await container.inspect()).State;
    // The task turns this into "container was killed because it ran out of memory (exit 137)".
    if (!killedBy && state.OOMKilled) killedBy = 'oom';
    if (!killedBy && transfer === 'copy') await copyOut(container, workingDir);
    return killedBy ? { exitCode, killedBy } : { exitCode };
  } finally {
    signal.removeEventListener('abort', onAbort);
    await removeContainer(container, (message) => request.log('WARN', message));
  }
}

function readOptions(options: Record<string, unknown>): DockerRunOptions {
  try {
    return parseDockerOptions(options);
  } catch (err) {
    if (err instanceof DockerOptionsError) throw new RunnerError(err.message, { cause: err });
    throw err;
  }
}

async function requireEngine(client: Docker, host: string | undefined): Promise<void> {
  try {
    await client.ping();
  } catch (err) {
    throw new RunnerError(`Docker engine is not reachable at ${describeHost(host)}: ${dockerErrorMessage(err)}`, { cause: err });
  }
}

async function createContainer(client: Docker, create: Docker.ContainerCreateOptions, image: string): Promise<Docker.Container> {
  try {
    return await client.createContainer(create);
  } catch (err) {
    if (isConnectionError(err)) throw new RunnerError(`Docker engine stopped answering: ${dockerErrorMessage(err)}`, { cause: err });
    throw new RunnerError(`could not create a container from ${image}: ${dockerErrorMessage(err)}`, { cause: err });
  }
}

async function startContainer(container: Docker.Container, image: string): Promise<void> {
  try {
    await container.start();
  } catch (err) {
    throw new RunnerError(`could not start the container from ${image}: ${dockerErrorMessage(err)}`, { cause: err });
  }
}

/** The whole working dir comes back, so the task can match `outputFiles` globs on the host. */
async function copyOut(container: Docker.Container, workingDir: string): Promise<void> {
  try {
    const archive = await container.getArchive({ path: workingDir });
    await extractWorkingDir(archive, workingDir);
  } catch (err) {
    throw new RunnerError(`could not copy ${workingDir} out of container ${container.id.slice(0, 12)}: ${dockerErrorMessage(err)}`, {
      cause: err,
    });
  }
}

async function removeContainer(container: Docker.Container, warn: (message: string) => void): Promise<void> {
  try {
    await container.remove({ force: true, v: true });
  } catch (err) {
    // 404: already gone; 409: removal already in progress (both end with no container).
    const code = statusCode(err);
    if (code !== 404 && code !== 409) warn(`could not remove container ${container.id.slice(0, 12)}: ${dockerErrorMessage(err)}`);
  }
}
