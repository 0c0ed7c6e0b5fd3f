/**
 * What a server that died in the middle of a run (kill -9, crash, power loss) left behind, found
 * and ended at the next start: the processes of its process-runner tasks (by the marker in their
 * run records), their working dirs, and its containers (by label, docker/cleanup.ts: those soon
 * after the start, see docker/cleanup-gate.ts). Runs of a
 * Flowbook process that is still alive are left alone.
 */
import fsp from 'node:fs/promises';
import { ownerAlive } from './owner';
import { endTaskProcesses } from './process/process-tree';
import { readRunRecords } from './run-records';
import { limitsOf } from './limits';
import type { RunnerSettings } from './types';
import { deferContainerCleanup } from './docker/cleanup-gate';

export interface LeftoverReport {
  /** Processes ended. */
  processes: number;
  /** Containers removed. */
  containers: number;
  /** Executions whose runs were cleaned up. */
  executions: string[];
}

export async function endLeftoverProcesses(runsDir: string, settings: Pick<RunnerSettings, 'limits'> = {}): Promise<Omit<LeftoverReport, 'containers'>> {
  const graceMs = limitsOf(settings).killGraceMs;
  const executions = new Set<string>();
  let processes = 0;
  await Promise.all(
    readRunRecords(runsDir).map(async ({ file, record }) => {
      if (record && ownerAlive(record.owner)) return;
      if (record) {
        processes += await endTaskProcesses({ token: record.token }, graceMs);
        await fsp.rm(record.workingDir, { recursive: true, force: true });
        executions.add(record.executionId);
      }
      await fsp.rm(file, { force: true });
    }),
  );
  return { processes, executions: [...executions] };
}

/** A Docker engine that hangs must not keep the server from starting. */
const DOCKER_CLEANUP_TIMEOUT_MS = 15_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the Docker engine did not answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** After start, the containers: the server answers first (see docker/cleanup-gate.ts). */
const CONTAINER_CLEANUP_DELAY_MS = 3_000;

/**
 * Processes now; containers a few seconds later, or before this process creates its first
 * container if that comes sooner, and the count is printed then (`containers` here is 0).
 * A Docker engine that does not answer is not an error here.
 */
export async function endLeftovers(runsDir: string, settings: Pick<RunnerSettings, 'limits'> = {}): Promise<LeftoverReport> {
  const ended = await endLeftoverProcesses(runsDir, settings);
  deferContainerCleanup(async () => {
    const removed = await removeLeftoverContainers();
    if (removed > 0) console.warn(`flowbook: removed ${removed} container(s) left by a previous server`);
  }, CONTAINER_CLEANUP_DELAY_MS);
  return { ...ended, containers: 0 };
}

async function removeLeftoverContainers(): Promise<number> {
  try {
    // Loaded on demand: a start without Docker must not pay for (or fail on) its client.
    const { cleanupLeftoverContainers } = await import('./docker/cleanup');
    return await withTimeout(cleanupLeftoverContainers(), DOCKER_CLEANUP_TIMEOUT_MS);
  } catch (err) {
    console.warn(`flowbook: leftover container cleanup skipped: ${err instanceof Error ? err.message : String(err)}`);
    return 0;
  }
}
