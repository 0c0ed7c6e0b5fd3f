/**
 * The Docker task runner (`io.kestra.plugin.scripts.runner.docker.Docker`): every script task
 * in its own throwaway container on a real Docker engine, with its output streamed live.
 *
 * Connection: dockerode's default (DOCKER_HOST, else /var/run/docker.sock), or the task's `host`.
 * Working dir: the host working dir's path is used inside the container too (as Kestra does), so
 * `{{workingDir}}`, WORKING_DIR and PYTHONPATH entries under it mean the same in both places.
 * Python `dependencies`: pip in the container caches into a named volume per namespace,
 * `flowbook-pip-cache-<namespace>-<hash>` (mounted at /var/cache/flowbook/pip, PIP_CACHE_DIR);
 * remove the volume to clear it.
 * Limits: no-new-privileges, every capability dropped but those apt-get and dpkg need as root
 * (KEPT_CAPABILITIES), a pids limit and a memory limit (FLOWBOOK_CONTAINER_PIDS_LIMIT,
 * FLOWBOOK_CONTAINER_MEMORY, or the task's `memory`). The user is the image's own unless the
 * task or FLOWBOOK_CONTAINER_USER names one: images such as python and ubuntu run as root,
 * which `apt-get install` and `pip install` into the system Python need.
 */
import type { TaskRunner } from '../types';
import { runInContainer } from './run';

export { dockerAvailable, type DockerAvailability } from './client';
export { cleanupLeftoverContainers } from './cleanup';
export { LABELS, PIP_CACHE_DIR, pipCacheVolume, KEPT_CAPABILITIES } from './container-spec';

export const dockerRunner: TaskRunner = {
  name: 'docker',
  run: runInContainer,
};
