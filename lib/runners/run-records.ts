/**
 * A small file per running task in the runs dir (`<dataDir>/runs/<token>.json`): what the next
 * start needs to end the task's processes if the server dies without ending them (kill -9, power
 * loss). Written before the task's first process starts, removed once its last one has ended;
 * a record still there at start belongs to a run whose server is gone.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { ownerId } from './owner';
import type { RunnerLabels } from './types';

export interface RunRecord {
  /** The marker value every process of the task carries (process-tree.ts). */
  token: string;
  /** The Flowbook process that started it (owner.ts). */
  owner: string;
  executionId: string;
  taskRunId: string;
  taskId: string;
  /** The task's working dir: the next start removes it with the processes. */
  workingDir: string;
  startedAt: string;
}

export interface RecordedRun {
  /** Removes the record: the run's processes have all ended. */
  remove(): Promise<void>;
}

const NOTHING: RecordedRun = { remove: async () => {} };

export async function recordRun(runsDir: string | undefined, run: { token: string; labels: RunnerLabels; workingDir: string }): Promise<RecordedRun> {
  if (runsDir === undefined) return NOTHING;
  const record: RunRecord = {
    token: run.token,
    owner: ownerId(),
    executionId: run.labels.executionId,
    taskRunId: run.labels.taskRunId,
    taskId: run.labels.taskId,
    workingDir: run.workingDir,
    startedAt: new Date().toISOString(),
  };
  await fsp.mkdir(runsDir, { recursive: true, mode: 0o700 });
  const file = path.join(runsDir, `${run.token}.json`);
  await fsp.writeFile(file, JSON.stringify(record) + '\n', { mode: 0o600 });
  return { remove: () => fsp.rm(file, { force: true }) };
}

/** Every record in the runs dir, with its file; unreadable files are returned as garbage to remove. */
export function readRunRecords(runsDir: string): { file: string; record?: RunRecord }[] {
  let names: string[];
  try {
    names = fs.readdirSync(runsDir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.json'))
    .map((name) => {
      const file = path.join(runsDir, name);
      try {
        const raw: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
        return { file, record: isRecord(raw) ? raw : undefined };
      } catch {
        return { file };
      }
    });
}

function isRecord(raw: unknown): raw is RunRecord {
  if (typeof raw !== 'object' || raw === null) return false;
  const r = raw as Record<string, unknown>;
  return typeof r.token === 'string' && /^[0-9a-f]{8,64}$/.test(r.token) && typeof r.owner === 'string' && typeof r.workingDir === 'string' && typeof r.executionId === 'string';
}
