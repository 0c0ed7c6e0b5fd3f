import type { CellDto, RunModeKind, State } from '@/lib/contract';

/** What a cell shows about its latest run, from the live stream or the saved notebook. */
export interface CellRunView {
  executionId: string;
  state: State;
  attempt: number;
  startDate?: string;
  endDate?: string;
  outputs?: Record<string, unknown>;
  details?: Record<string, string>;
  error?: string;
  /** The run belongs to the execution being streamed right now. */
  live: boolean;
}

export interface CellActions {
  run(mode: RunModeKind, taskId: string): Promise<void>;
  stop(executionId: string): void;
  focusNext(taskId: string): void;
  focusPrev(taskId: string): void;
  saveNote(taskId: string, note: string | null): Promise<void>;
  /** Removes the task from the flow; throws with the server's message when refused. */
  deleteCell(taskId: string): Promise<void>;
}

export type CellWithRun = { cell: CellDto; run?: CellRunView };
