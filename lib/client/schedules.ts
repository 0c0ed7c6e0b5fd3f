'use client';
/** Client calls and react-query hooks for a notebook's schedules and backfills. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { NotebookDto } from '@/lib/contract';
import type { BackfillRequest, BackfillResponse, ScheduleDto } from '@/lib/contract';
import { request } from './api';
import { keys, useSetNotebook } from './queries';

const enc = encodeURIComponent;

export const scheduleApi = {
  list: (notebookId: string) => request<ScheduleDto[]>('GET', `/api/notebooks/${enc(notebookId)}/schedules`),
  backfill: (notebookId: string, triggerId: string, body: BackfillRequest) =>
    request<BackfillResponse>('POST', `/api/notebooks/${enc(notebookId)}/schedules/${enc(triggerId)}/backfill`, body),
  setDisabled: (notebookId: string, triggerId: string, disabled: boolean) =>
    request<NotebookDto>('PATCH', `/api/notebooks/${enc(notebookId)}/schedules/${enc(triggerId)}`, { disabled }),
};

/** Keyed by the notebook's version too: any save (a toggle, an edit of the YAML) re-reads them. */
export const scheduleKeys = {
  all: (notebookId: string) => ['schedules', notebookId] as const,
  list: (notebookId: string, version: number) => ['schedules', notebookId, version] as const,
};

export function useSchedules(notebookId: string, version: number) {
  return useQuery({ queryKey: scheduleKeys.list(notebookId, version), queryFn: () => scheduleApi.list(notebookId) });
}

export function useSetScheduleDisabled(notebookId: string) {
  const setNotebook = useSetNotebook();
  return useMutation({
    mutationFn: (v: { triggerId: string; disabled: boolean }) => scheduleApi.setDisabled(notebookId, v.triggerId, v.disabled),
    onSuccess: setNotebook,
  });
}

export function useBackfill(notebookId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { triggerId: string; body: BackfillRequest }) => scheduleApi.backfill(notebookId, v.triggerId, v.body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: keys.executions(notebookId) }),
  });
}
