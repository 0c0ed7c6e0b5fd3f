'use client';
/** "Run stale cells": runs exactly the cells whose badge says stale, in flow order. */
import { Button } from '@/components/ui/Button';

export function RunStaleButton({ count, disabled, onRun }: { count: number; disabled?: boolean; onRun: () => void }) {
  const title =
    count === 0
      ? 'No cell is stale'
      : `Runs the ${count === 1 ? 'stale cell' : `${count} stale cells`} in flow order, one execution each; a cell that goes stale on the way runs too`;
  return (
    <Button onClick={onRun} disabled={disabled || count === 0} aria-label="Run stale cells" title={title} data-testid="run-stale">
      ↻ Run stale cells
      {count > 0 && <span className="rounded-full bg-amber-100 px-1.5 text-[11px] text-amber-800 dark:bg-amber-950 dark:text-amber-300">{count}</span>}
    </Button>
  );
}
