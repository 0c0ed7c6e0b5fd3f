import type { RunModeKind } from '@/lib/contract';

/** A cell with the run it shows (live or saved); one task-run shape everywhere. */
export type { CellWithRun, CellMessage } from '@/lib/client/notebook-run';

export interface CellActions {
  run(mode: RunModeKind, taskId: string): Promise<void>;
  stop(executionId: string): void;
  focusNext(taskId: string): void;
  focusPrev(taskId: string): void;
  saveNote(taskId: string, note: string | null): Promise<void>;
  /** Removes the task from the flow; throws with the server's message when refused. */
  deleteCell(taskId: string): Promise<void>;
}
