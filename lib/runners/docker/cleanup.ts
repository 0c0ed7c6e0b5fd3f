/**
 * Containers left behind when Flowbook stopped in the middle of a run (crash, kill -9, power
 * loss). Every container it starts is labelled with its owner process (owner.ts), so at start
 * it removes the ones whose owner is gone, without touching those another live Flowbook
 * process is running. The owner label carries the process's start time, so a server restarted
 * with the pid of the one that crashed (as in a container) still finds the old containers.
 */
import os from 'node:os';
import { dockerClient, isConnectionError, statusCode } from './client';
import { LABELS } from './container-spec';
import { ownerAlive, ownerId } from '../owner';

/** A container is left over when its owner on this host is gone; one of another host only when it stopped. */
function isLeftover(owner: string | undefined, running: boolean): boolean {
  const host = owner === undefined ? undefined : /^([^:]*):\d+(?::\d*)?$/.exec(owner)?.[1];
  if (host !== os.hostname()) return !running;
  if (owner === ownerId()) return !running;
  return !ownerAlive(owner);
}

/**
 * Removes leftover Flowbook containers; returns how many were removed. Without a reachable
 * engine there is nothing to clean (0), so callers may run it unconditionally at start.
 */
export async function cleanupLeftoverContainers(): Promise<number> {
  const client = await dockerClient();
  let containers: Awaited<ReturnType<typeof client.listContainers>>;
  try {
    containers = await client.listContainers({ all: true, filters: { label: [`${LABELS.managed}=true`] } });
  } catch (err) {
    if (isConnectionError(err)) return 0;
    throw err;
  }
  let removed = 0;
  for (const info of containers) {
    if (!isLeftover(info.Labels[LABELS.owner], info.State === 'running')) continue;
    try {
      await client.getContainer(info.Id).remove({ force: true, v: true });
      removed++;
    } catch (err) {
      if (statusCode(err) !== 404 && statusCode(err) !== 409) throw err;
    }
  }
  return removed;
}
