/**
 * Containers left behind when Flowbook stopped in the middle of a run (crash, kill -9, power
 * loss). Every container it starts is labelled with its owner process, so at start it removes
 * the ones whose owner is gone, without touching those another live Flowbook process is running.
 */
import os from 'node:os';
import { dockerClient, isConnectionError, statusCode } from './client';
import { LABELS } from './container-spec';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return typeof err === 'object' && err !== null && 'code' in err && err.code === 'EPERM';
  }
}

/** A container is left over when its owner process on this host is gone, or when it is not running. */
function isLeftover(owner: string | undefined, running: boolean): boolean {
  const match = owner === undefined ? null : /^(.*):(\d+)$/.exec(owner);
  if (!match || match[1] !== os.hostname()) return !running;
  const pid = Number(match[2]);
  return pid === process.pid ? !running : !processAlive(pid);
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
