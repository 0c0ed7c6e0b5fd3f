'use client';
/** Which saved Kestra server a dialog talks to; without any, the way to Settings. */
import Link from 'next/link';
import { useEffect } from 'react';
import type { KestraServerDto } from '@/lib/contract';
import { errorMessage } from '@/lib/client/api';
import { preferredServer, rememberServer, useKestraServers } from '@/lib/client/kestra';
import { ErrorBox, Loading } from '@/components/ui/States';

export function ServerPicker({ value, onChange, enabled }: { value?: string; onChange: (id: string | undefined) => void; enabled: boolean }) {
  const servers = useKestraServers(enabled);
  const list = servers.data;
  useEffect(() => {
    if (list && (value === undefined || !list.some((s) => s.id === value))) onChange(preferredServer(list));
  }, [list, value, onChange]);
  if (servers.isPending) return <Loading what="Kestra servers" />;
  if (servers.isError) return <ErrorBox title="Kestra servers could not be read" message={errorMessage(servers.error)} />;
  if (servers.data.length === 0) {
    return (
      <div className="rounded-lg border border-dashed p-4 text-[13px]" role="status">
        No Kestra server is saved yet.{' '}
        <Link href="/settings#kestra-servers" className="text-sky-700 underline dark:text-sky-400">
          Add one under Settings → Kestra servers
        </Link>{' '}
        (its address, tenant and credentials).
      </div>
    );
  }
  return (
    <label className="flex items-center gap-2 text-[13px]">
      <span className="text-muted">Kestra server</span>
      <select
        aria-label="Kestra server"
        className="surface rounded-md border px-2 py-1 text-[13px]"
        value={value ?? ''}
        onChange={(e) => {
          rememberServer(e.target.value);
          onChange(e.target.value);
        }}
      >
        {servers.data.map((s: KestraServerDto) => (
          <option key={s.id} value={s.id}>
            {s.name} — {s.url} (tenant {s.tenant})
          </option>
        ))}
      </select>
    </label>
  );
}
