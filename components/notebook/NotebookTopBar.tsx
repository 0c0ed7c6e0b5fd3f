'use client';
/** The notebook's top bar: where the flow lives, and the page-wide run, stop, schedule and export buttons. */
import type { NotebookDto } from '@/lib/contract';
import { ShareButton } from '@/components/follow/ShareButton';
import { TopBar } from '@/components/ui/TopBar';
import { Button } from '@/components/ui/Button';
import { SchedulesButton } from './SchedulesDialog';
import { RunStaleButton } from './RunStaleButton';
import { KestraMenu } from '@/components/kestra/KestraMenu';
import { RunAsTriggerButton, type TriggerRun } from './RunAsTriggerDialog';

export function NotebookTopBar({
  notebook,
  stoppable,
  onRunAll,
  onStop,
  onExport,
  staleCount = 0,
  onRunStale,
  onRunAsTrigger,
  onPresent,
}: {
  notebook: NotebookDto;
  /** The execution Stop would stop; the button is off without one. */
  stoppable?: string;
  onRunAll: () => void;
  onStop: (executionId: string) => void;
  onExport: () => void;
  /** How many cells are stale, and how to run them; the button shows only with a handler. */
  staleCount?: number;
  onRunStale?: () => void;
  /** "Run as trigger…": the whole flow as one of its Schedule triggers at a chosen date. */
  onRunAsTrigger?: (run: TriggerRun) => void;
  /** Presentation mode: one cell at a time, full screen. */
  onPresent?: () => void;
}) {
  const flow = notebook.flow;
  return (
    <TopBar
      crumbs={
        <>
          <span>{flow?.namespace ?? '—'}</span>/<span className="font-semibold text-current">{flow?.id ?? notebook.id}</span>
          {notebook.deleted && <span className="rounded bg-red-100 px-1.5 text-xs text-red-700">deleted</span>}
        </>
      }
    >
      <Button variant="primary" onClick={onRunAll} disabled={!flow} aria-label="Run all">
        ▶ Run all
      </Button>
      {onRunStale && <RunStaleButton count={staleCount} disabled={!flow || stoppable !== undefined} onRun={onRunStale} />}
      {onRunAsTrigger && <RunAsTriggerButton notebook={notebook} onRun={onRunAsTrigger} />}
      <Button onClick={() => stoppable && onStop(stoppable)} disabled={!stoppable} aria-label="Stop">
        ■ Stop
      </Button>
      <SchedulesButton notebook={notebook} />
      <Button onClick={onExport}>⤓ Export YAML</Button>
      {onPresent && (
        <Button onClick={onPresent} disabled={!flow} data-testid="present-open">
          ▣ Present
        </Button>
      )}
      <ShareButton notebookId={notebook.id} />
      <KestraMenu notebook={notebook} />
    </TopBar>
  );
}
