'use client';
/** One socket.io connection per browser tab, shared through React context. */
import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { io } from 'socket.io-client';
import { SOCKET_PATH } from '@/lib/contract';
import { ExecutionStore, type ExecutionLive, type FlowbookSocket } from './execution-store';

interface Realtime {
  socket: FlowbookSocket;
  store: ExecutionStore;
}

const RealtimeContext = createContext<Realtime | null>(null);

export function RealtimeProvider({ children }: { children: ReactNode }) {
  const [rt, setRt] = useState<Realtime | null>(null);
  useEffect(() => {
    const socket: FlowbookSocket = io({ path: SOCKET_PATH, transports: ['websocket', 'polling'] });
    setRt({ socket, store: new ExecutionStore(socket) });
    return () => {
      socket.close();
    };
  }, []);
  return <RealtimeContext.Provider value={rt}>{children}</RealtimeContext.Provider>;
}

export function useRealtime(): Realtime | null {
  return useContext(RealtimeContext);
}

export function useSocketConnected(): boolean {
  const rt = useRealtime();
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    if (!rt) return;
    const update = () => setConnected(rt.socket.connected);
    update();
    rt.socket.on('connect', update);
    rt.socket.on('disconnect', update);
    return () => {
      rt.socket.off('connect', update);
      rt.socket.off('disconnect', update);
    };
  }, [rt]);
  return connected;
}

const noop = () => () => {};

/** Watches an execution and re-renders on each change; returns the live entry and its version. */
export function useExecutionLive(executionId: string | undefined): { live?: ExecutionLive; version: number } {
  const rt = useRealtime();
  useEffect(() => {
    if (rt && executionId) rt.store.watch(executionId);
  }, [rt, executionId]);
  const version = useSyncExternalStore(
    rt && executionId ? (cb) => rt.store.subscribe(executionId, cb) : noop,
    () => (rt && executionId ? (rt.store.get(executionId)?.version ?? -1) : -1),
    () => -1,
  );
  return { live: rt && executionId ? rt.store.get(executionId) : undefined, version };
}
