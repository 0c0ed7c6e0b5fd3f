'use client';
/**
 * Shown on the notebook when a cell could not reach PostgreSQL at `pgdatabase`, the course's
 * docker-compose database: one click starts Flowbook's built-in PostgreSQL with the course's
 * settings, and `pgdatabase` points at it while it runs.
 */
import { useState } from 'react';
import type { CellWithRun } from '@/lib/client/notebook-run';
import { errorMessage } from '@/lib/client/api';
import { failsOnPgdatabase, usePostgresControl, usePostgresStatus } from '@/lib/client/postgres';
import { Button } from '@/components/ui/Button';

export function PostgresBanner({ cells, onRunAll }: { cells: readonly CellWithRun[]; onRunAll: () => void }) {
  const failed = cells.find((c) => c.run?.state === 'FAILED' && failsOnPgdatabase(c.run.error));
  const status = usePostgresStatus();
  const { start } = usePostgresControl();
  const [port, setPort] = useState('');
  const [dismissed, setDismissed] = useState<string | null>(null);
  if (!failed || !status.data || dismissed === failed.run?.id) return null;
  const s = status.data;
  const running = s.state === 'running';
  const shownPort = port === '' ? String(s.port) : port;
  const portNumber = Number(shownPort);
  const error = start.isError ? errorMessage(start.error) : s.state === 'failed' ? s.error : undefined;

  return (
    <div
      role="region"
      aria-label="PostgreSQL for pgdatabase"
      data-testid="postgres-banner"
      className="mb-4 rounded-xl border border-sky-300 bg-sky-50 px-4 py-3 text-[13px] text-sky-950 dark:border-sky-800 dark:bg-sky-950/40 dark:text-sky-100"
    >
      {running ? (
        <div className="flex flex-wrap items-center gap-3">
          <span>
            The built-in PostgreSQL runs on 127.0.0.1:{s.port}, and <code className="font-mono">pgdatabase</code> points at it. Run the flow again.
          </span>
          <Button size="sm" variant="primary" onClick={onRunAll}>
            ▶ Run all again
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setDismissed(failed.run?.id ?? null)}>
            Dismiss
          </Button>
        </div>
      ) : (
        <>
          <p>
            Cell <code className="font-mono">{failed.cell.taskId}</code> could not reach PostgreSQL at <code className="font-mono">pgdatabase</code>, the database of
            the course&apos;s docker-compose. Flowbook can start a PostgreSQL of its own with the same settings (user root, password root, database ny_taxi) and
            point <code className="font-mono">pgdatabase</code> at it.
          </p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <label className="flex items-center gap-1 text-xs">
              Port
              <input
                type="number"
                min={1}
                max={65535}
                aria-label="PostgreSQL port"
                className="surface border-theme w-24 rounded-md border px-2 py-0.5 text-[13px]"
                value={shownPort}
                onChange={(e) => setPort(e.target.value)}
              />
            </label>
            <Button size="sm" variant="primary" disabled={start.isPending || s.state === 'starting' || !Number.isInteger(portNumber)} onClick={() => start.mutate(portNumber)}>
              {start.isPending || s.state === 'starting' ? 'Starting PostgreSQL…' : 'Start PostgreSQL'}
            </Button>
          </div>
          {error && (
            <p role="alert" className="mt-2 font-mono text-xs whitespace-pre-wrap text-red-700 dark:text-red-300" data-testid="postgres-error">
              {error}
            </p>
          )}
        </>
      )}
    </div>
  );
}
