'use client';
/** The browser's side of the Kestra features: saved servers, deploy, runs on a server, the git layout. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  DeployPlanDto,
  DeployRequest,
  ExportLayoutDto,
  ExportLayoutRequest,
  ImportLayoutDto,
  ImportLayoutRequest,
  KestraCheckDto,
  KestraServerDto,
  NotebookInputsDto,
  RemoteRunDto,
  RemoteRunRequest,
  SaveKestraServerRequest,
} from '@/lib/contract';
import { request } from './api';

const enc = encodeURIComponent;

export const kestraApi = {
  servers: () => request<KestraServerDto[]>('GET', '/api/kestra/servers'),
  createServer: (body: SaveKestraServerRequest) => request<KestraServerDto>('POST', '/api/kestra/servers', body),
  updateServer: (id: string, body: SaveKestraServerRequest) => request<KestraServerDto>('PUT', `/api/kestra/servers/${enc(id)}`, body),
  deleteServer: (id: string) => request<{ deleted: true }>('DELETE', `/api/kestra/servers/${enc(id)}`),
  checkServer: (id: string) => request<KestraCheckDto>('POST', `/api/kestra/servers/${enc(id)}/check`),
  deploy: (body: DeployRequest) => request<DeployPlanDto>('POST', '/api/kestra/deploy', body),
  startRun: (body: RemoteRunRequest) => request<RemoteRunDto>('POST', '/api/kestra/runs', body),
  runs: (notebookId: string) => request<RemoteRunDto[]>('GET', `/api/kestra/runs?notebookId=${enc(notebookId)}`),
  exportUrl: (namespace: string) => `/api/kestra/export?namespace=${enc(namespace)}`,
  exportToDir: (body: ExportLayoutRequest) => request<ExportLayoutDto>('POST', '/api/kestra/export', body),
  importFromDir: (body: ImportLayoutRequest) => request<ImportLayoutDto>('POST', '/api/kestra/import', body),
  /** The values typed into the notebook's inputs form, as the server keeps them (what a run on Kestra sends). */
  storedInputs: (notebookId: string) => request<NotebookInputsDto>('GET', `/api/notebooks/${enc(notebookId)}/inputs`),
};

export const kestraKeys = {
  servers: ['kestra-servers'] as const,
  runs: (notebookId: string) => ['kestra-runs', notebookId] as const,
};

export function useKestraServers(enabled = true) {
  return useQuery({ queryKey: kestraKeys.servers, queryFn: kestraApi.servers, enabled });
}

export function useRemoteRuns(notebookId: string, enabled = true) {
  return useQuery({ queryKey: kestraKeys.runs(notebookId), queryFn: () => kestraApi.runs(notebookId), enabled });
}

export function useSaveKestraServer() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id?: string; body: SaveKestraServerRequest }) => (v.id ? kestraApi.updateServer(v.id, v.body) : kestraApi.createServer(v.body)),
    onSuccess: () => qc.invalidateQueries({ queryKey: kestraKeys.servers }),
  });
}

export function useDeleteKestraServer() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: kestraApi.deleteServer, onSuccess: () => qc.invalidateQueries({ queryKey: kestraKeys.servers }) });
}

/** The server a dialog starts with: the one used last in this browser, else the first saved. */
const LAST_SERVER = 'flowbook.kestra.server';

export function rememberServer(id: string): void {
  try {
    window.localStorage.setItem(LAST_SERVER, id);
  } catch {
    // Storage can be off (private windows): the choice is simply not remembered.
  }
}

export function preferredServer(servers: readonly KestraServerDto[]): string | undefined {
  let last: string | null = null;
  try {
    last = window.localStorage.getItem(LAST_SERVER);
  } catch {
    last = null;
  }
  return servers.find((s) => s.id === last)?.id ?? servers[0]?.id;
}
