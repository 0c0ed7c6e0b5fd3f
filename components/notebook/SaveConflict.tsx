/** A cell save refused because the cell was changed elsewhere: take the saved text, or save yours over it. */
import { Button } from '@/components/ui/Button';

export function SaveConflict({ error, onReload, onKeepMine }: { error: string; onReload: () => void; onKeepMine: () => void }) {
  return (
    <div role="alert" className="border-theme flex flex-wrap items-center gap-2 border-t bg-amber-50 px-3 py-1.5 text-xs text-amber-900 dark:bg-amber-950/40 dark:text-amber-200" data-testid="save-conflict">
      <span className="flex-1">{error}</span>
      <Button size="sm" onClick={onReload}>
        Reload
      </Button>
      <Button size="sm" onClick={onKeepMine}>
        Keep mine
      </Button>
    </div>
  );
}
