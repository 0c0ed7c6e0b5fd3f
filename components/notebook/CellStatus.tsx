'use client';
/** A cell's run state in words with its duration (ticking while it runs), and whether its text is saved. */
import { useEffect, useState } from 'react';
import { isTerminal } from '@/lib/model/states';
import type { TaskRun } from '@/lib/contract';
import { durationBetween, formatDuration } from '@/lib/client/format';
import type { SaveState } from '@/lib/client/use-cell-save';

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

export function CellStatus({ run }: { run?: TaskRun }) {
  const now = useNow(run ? !isTerminal(run.state) : false);
  const duration = run ? durationBetween(run.startDate, run.endDate, now) : undefined;
  return (
    <span className="text-muted text-xs" data-testid="cell-status">
      {run ? run.state.toLowerCase() : 'not run'}
      {duration !== undefined ? ` · ${formatDuration(duration)}` : ''}
      {run && run.attempt > 1 ? ` · attempt ${run.attempt}` : ''}
    </span>
  );
}

const SAVE_TEXT: Record<Exclude<SaveState['kind'], 'saved'>, string> = { dirty: 'unsaved', saving: 'saving…', failed: 'save failed', conflict: 'changed elsewhere' };

export function SaveStatus({ state }: { state: SaveState }) {
  if (state.kind === 'saved') return null;
  return <span className={`text-xs ${state.kind === 'failed' || state.kind === 'conflict' ? 'text-red-600' : 'text-muted'}`}>{SAVE_TEXT[state.kind]}</span>;
}
