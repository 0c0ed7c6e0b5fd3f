'use client';
/** react-query hooks: one query key per server resource, so invalidation is obvious. */
import { useCallback } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { NotebookDto } from '@/lib/contract';
import { api } from './api';

export const keys = {
  notebooks: (q: string) => ['notebooks', q] as const,
  notebook: (id: string) => ['notebook', id] as const,
  executions: (id: string) => ['executions', id] as const,
  execution: (id: string) => ['execution', id] as const,
  status: ['status'] as const,
  taskTypes: ['task-types'] as const,
  settings: ['settings'] as const,
  secrets: ['secrets'] as const,
  kv: (ns: string) => ['kv', ns] as const,
  inputs: (id: string) => ['notebook-inputs', id] as const,
  postgres: ['postgres'] as const,
};

export function useNotebooks(q: string) {
  return useQuery({ queryKey: keys.notebooks(q), queryFn: () => api.listNotebooks(q) });
}

export function useNotebook(id: string) {
  return useQuery({ queryKey: keys.notebook(id), queryFn: () => api.getNotebook(id) });
}

export function useExecutions(notebookId: string) {
  return useQuery({ queryKey: keys.executions(notebookId), queryFn: () => api.listExecutions(notebookId) });
}

export function useStatus() {
  return useQuery({ queryKey: keys.status, queryFn: api.status, refetchInterval: 30_000 });
}

export function useTaskTypes() {
  return useQuery({ queryKey: keys.taskTypes, queryFn: api.taskTypes, staleTime: Infinity });
}

/** Writes a notebook returned by a mutation straight into the cache (no refetch round trip). */
export function useSetNotebook() {
  const qc = useQueryClient();
  return useCallback((nb: NotebookDto) => qc.setQueryData(keys.notebook(nb.id), nb), [qc]);
}
