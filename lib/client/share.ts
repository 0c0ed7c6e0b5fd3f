/** Share links from the teacher's page: make, list, revoke. */
import type { ShareLinkCreated, ShareLinkDto } from '@/lib/contract';

async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json().catch(() => ({}))) as T & { error?: string };
  if (!res.ok) throw new Error(json.error ?? `${method} ${url} failed (${res.status})`);
  return json;
}

const base = (notebookId: string) => `/api/notebooks/${encodeURIComponent(notebookId)}/share`;

export const shareApi = {
  list: (notebookId: string) => call<ShareLinkDto[]>('GET', base(notebookId)),
  create: (notebookId: string, minutes?: number) => call<ShareLinkCreated>('POST', base(notebookId), minutes === undefined ? {} : { minutes }),
  revoke: (notebookId: string, shareId: string) => call<{ revoked: boolean }>('DELETE', `${base(notebookId)}/${encodeURIComponent(shareId)}`),
};
