'use client';
import { useSocketConnected } from '@/lib/client/realtime';
import { useStatus } from '@/lib/client/queries';

export function StatusBar() {
  const connected = useSocketConnected();
  const status = useStatus();
  const s = status.data;
  return (
    <footer className="surface text-muted flex h-7 shrink-0 items-center gap-5 border-t px-4 text-[11px]" data-testid="status-bar">
      <span className="flex items-center gap-1.5" data-testid="socket-status">
        <span className={`h-2 w-2 rounded-full ${connected ? 'bg-emerald-500' : 'bg-red-500'}`} />
        {connected ? 'connected' : 'disconnected — reconnecting…'}
      </span>
      {s ? (
        <>
          <span>Docker: {s.docker.ok ? `available${s.docker.version ? ` (${s.docker.version})` : ''}` : `not reachable — ${s.docker.reason}`}</span>
          <span>DB: {s.database === 'sqlite' ? 'SQLite' : 'PostgreSQL'}</span>
          <span>{s.bind}</span>
          <span className="ml-auto">Flowbook {s.version}</span>
        </>
      ) : status.isError ? (
        <span>status unavailable</span>
      ) : null}
    </footer>
  );
}
