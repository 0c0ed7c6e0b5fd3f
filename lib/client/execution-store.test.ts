import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ExecutionDto, ExecutionSnapshotPayload, ServerToClientEvents, TaskRun } from '@/lib/contract';
import { ExecutionStore, type ExecutionEvent, type FlowbookSocket } from './execution-store';

/** Just enough of a socket.io client: handlers by event name, and what the store emits. */
class FakeSocket {
  connected = true;
  emitted: unknown[][] = [];
  private handlers = new Map<string, ((payload: never) => void)[]>();
  on(event: string, handler: (payload: never) => void) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }
  emit(...args: unknown[]) {
    this.emitted.push(args);
    return this;
  }
  serverSends<E extends keyof ServerToClientEvents>(event: E, payload: Parameters<ServerToClientEvents[E]>[0]) {
    for (const h of this.handlers.get(event) ?? []) (h as (p: typeof payload) => void)(payload);
  }
}

const execution = (state: ExecutionDto['state']): ExecutionDto => ({
  id: 'ex1', notebookId: 'nb', namespace: 'e2e', flowId: 'f', state, mode: 'all', labels: {}, inputs: {}, startDate: '2025-01-01T10:00:00Z',
});
const taskRun = (id: string, state: TaskRun['state']): TaskRun => ({ id, executionId: 'ex1', taskId: 'talk', state, attempt: 1 });
const snapshot = (state: ExecutionDto['state'], taskRuns: TaskRun[]): ExecutionSnapshotPayload => ({ execution: execution(state), taskRuns, logs: [], lastSeq: 0 });

describe('following an execution', () => {
  let socket: FakeSocket;
  let store: ExecutionStore;
  beforeEach(() => {
    vi.useFakeTimers();
    socket = new FakeSocket();
    store = new ExecutionStore(socket as unknown as FlowbookSocket);
  });
  afterEach(() => vi.useRealTimers());

  it('hands over snapshot, task runs and the end in order, a batch per frame', () => {
    const heard: ExecutionEvent['type'][] = [];
    store.follow('ex1', (e) => heard.push(e.type));
    expect(socket.emitted).toEqual([['execution:subscribe', { executionId: 'ex1', afterSeq: 0 }]]);
    socket.serverSends('execution:snapshot', snapshot('RUNNING', []));
    socket.serverSends('execution:taskrun', taskRun('a', 'RUNNING'));
    expect(heard).toEqual([]);
    vi.advanceTimersByTime(20);
    expect(heard).toEqual(['snapshot', 'taskrun']);
    socket.serverSends('execution:finished', { execution: execution('SUCCESS'), lastSeq: 0 });
    vi.advanceTimersByTime(20);
    expect(heard).toEqual(['snapshot', 'taskrun', 'finished']);
  });

  it('a follower that comes after the snapshot first hears what is already known', () => {
    store.watch('ex1');
    socket.serverSends('execution:snapshot', snapshot('RUNNING', [taskRun('a', 'SUCCESS')]));
    vi.advanceTimersByTime(20);
    const heard: ExecutionEvent[] = [];
    const stop = store.follow('ex1', (e) => heard.push(e));
    expect(heard).toEqual([{ type: 'snapshot', execution: execution('RUNNING'), taskRuns: [taskRun('a', 'SUCCESS')] }]);
    // Already watched: no second subscribe.
    expect(socket.emitted).toHaveLength(1);
    stop();
    socket.serverSends('execution:taskrun', taskRun('b', 'RUNNING'));
    vi.advanceTimersByTime(20);
    expect(heard).toHaveLength(1);
  });
});
