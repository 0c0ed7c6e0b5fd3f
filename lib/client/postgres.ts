'use client';
/** The built-in PostgreSQL from the browser: its status, and starting or stopping it. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PostgresStatusDto } from '@/lib/contract';
import { api } from './api';
import { keys } from './queries';

export function usePostgresStatus() {
  return useQuery({ queryKey: keys.postgres, queryFn: api.postgresStatus, refetchInterval: 15_000 });
}

export function usePostgresControl() {
  const qc = useQueryClient();
  const settle = (status: PostgresStatusDto) => {
    qc.setQueryData(keys.postgres, status);
    // The alias pgdatabase comes and goes with it.
    void qc.invalidateQueries({ queryKey: keys.settings });
  };
  const start = useMutation({
    mutationFn: (port?: number) => api.startPostgres(port),
    onSuccess: settle,
    onSettled: () => void qc.invalidateQueries({ queryKey: keys.postgres }),
  });
  const stop = useMutation({ mutationFn: api.stopPostgres, onSuccess: settle });
  return { start, stop };
}

/** Whether a cell's error says it could not reach the course's `pgdatabase` host. */
export function failsOnPgdatabase(error: string | undefined): boolean {
  if (!error) return false;
  return /could not connect to PostgreSQL at pgdatabase\b/i.test(error) || /\bpgdatabase\b[^\n]*\b(ENOTFOUND|ECONNREFUSED|EAI_AGAIN)\b/.test(error);
}
