/** The boxes under a cell's header: a refused run, a failed save, the run's error. */
import { Button } from '@/components/ui/Button';
import type { CellMessage } from './types';

/** "Run cell X first" from a refused start, with a button that runs X. */
export function RefusedRun({ message, onRun }: { message: CellMessage; onRun: (taskId: string) => void }) {
  const missing = message.missingTaskId;
  return (
    <div role="alert" className="border-theme flex items-center gap-2 border-t bg-amber-50 px-3 py-1.5 text-[13px] text-amber-900 dark:bg-amber-950/40 dark:text-amber-200" data-testid="cell-message">
      {message.text}
      {missing && (
        <Button size="sm" onClick={() => onRun(missing)}>
          Run {missing}
        </Button>
      )}
    </div>
  );
}

export function SaveError({ error }: { error: string }) {
  return (
    <div role="alert" className="bg-red-50 px-3 py-1.5 text-xs text-red-700 dark:bg-red-950/40 dark:text-red-300" data-testid="save-error">
      Not saved — your text is kept. {error}
    </div>
  );
}

export function RunError({ error }: { error: string }) {
  return <div className="border-theme border-t bg-red-50 px-3 py-1.5 font-mono text-xs whitespace-pre-wrap text-red-700 dark:bg-red-950/40 dark:text-red-300">{error}</div>;
}
