/**
 * The Docker task runner (`io.kestra.plugin.scripts.runner.docker.Docker`): every script task
 * in its own throwaway container on a real Docker engine, with its output streamed live.
 *
 * Connection: dockerode's default (DOCKER_HOST, else /var/run/docker.sock), or the task's `host`.
 * Working dir: the host working dir's path is used inside the container too (as Kestra does), so
 * `{{workingDir}}`, WORKING_DIR and PYTHONPATH entries under it mean the same in both places.
 * Python `dependencies`: pip in the container caches into the named volume `flowbook-pip-cache`
 * (mounted at /var/cache/flowbook/pip, PIP_CACHE_DIR), shared by every run; remove the volume to
 * clear it.
 */
import type { TaskRunner } from '../types';
import { runInContainer } from './run';

export { dockerAvailable, type DockerAvailability } from './client';
export { cleanupLeftoverContainers } from './cleanup';
export { LABELS, PIP_CACHE_VOLUME, PIP_CACHE_DIR } from './container-spec';

export const dockerRunner: TaskRunner = {
  name: 'docker',
  run: runInContainer,
};
