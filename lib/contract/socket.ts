/**
 * The socket.io half of the wire contract: every event and payload between the server and
 * the browser. Bump WIRE_VERSION when a payload changes shape; the server sends it first on
 * every connection (`server:hello`) and in /api/health, so an old page can tell it must reload.
 */
import type { ExecutionDto, LogDto, TaskRun } from './types';

export const WIRE_VERSION = 3;

export const SOCKET_PATH = '/socket.io';

export interface ExecutionSubscribe {
  executionId: string;
  /** The last seq the client already has; the snapshot holds every line after it. */
  afterSeq?: number;
}
export interface ExecutionSnapshotPayload {
  execution: ExecutionDto;
  taskRuns: TaskRun[];
  logs: LogDto[];
  /** The highest seq stored so far (afterSeq if none newer). */
  lastSeq: number;
}
/**
 * Lines a subscriber has not seen, sent before its snapshot while it catches up (on
 * subscribe, or after it fell behind the live stream); they follow on from the last line
 * it was sent.
 */
export interface ExecutionLogsPayload {
  executionId: string;
  logs: LogDto[];
}
export interface ExecutionFinishedPayload {
  execution: ExecutionDto;
  lastSeq: number;
}
export interface NotebookSubscribe {
  notebookId: string;
}

/** Where the teacher is: the cell in view, and whether presentation mode is on. */
export interface NotebookFocus {
  notebookId: string;
  taskId?: string;
  presenting?: boolean;
}

export interface ServerToClientEvents {
  /** First event on every connection: the wire version this server speaks. */
  'server:hello': (payload: { wireVersion: number }) => void;
  /** The end of a catch-up: the execution, its task runs and the last lines; live events follow. */
  'execution:snapshot': (payload: ExecutionSnapshotPayload) => void;
  'execution:logs': (payload: ExecutionLogsPayload) => void;
  'execution:log': (log: LogDto) => void;
  'execution:taskrun': (taskRun: TaskRun) => void;
  'execution:state': (execution: ExecutionDto) => void;
  'execution:finished': (payload: ExecutionFinishedPayload) => void;
  'notebook:execution': (execution: ExecutionDto) => void;
  /** The teacher moved to a cell (sent to everyone following the notebook, and on subscribe). */
  'notebook:focus': (payload: NotebookFocus) => void;
  /** A subscribe that failed (unknown execution, ...). */
  'subscribe:error': (payload: { error: string; executionId?: string; notebookId?: string }) => void;
}
export interface ClientToServerEvents {
  'execution:subscribe': (payload: ExecutionSubscribe) => void;
  'execution:unsubscribe': (payload: { executionId: string }) => void;
  'notebook:subscribe': (payload: NotebookSubscribe) => void;
  'notebook:unsubscribe': (payload: NotebookSubscribe) => void;
  /** The teacher's page says which cell it is on; refused from a share link. */
  'notebook:focus': (payload: NotebookFocus) => void;
}
