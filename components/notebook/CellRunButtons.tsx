/** A cell's run buttons (this cell, from here, up to here), Stop while it runs, and delete. */
import type { CellDto } from '@/lib/contract';
import { Button } from '@/components/ui/Button';
import { DeleteCellButton } from './DeleteCellButton';

export type CellRunMode = 'cell' | 'from' | 'upTo';

export function CellRunButtons({
  cell,
  onRun,
  onStop,
  onDelete,
}: {
  cell: CellDto;
  onRun: (mode: CellRunMode) => void;
  /** Present while the cell's run may still be stopped. */
  onStop?: () => void;
  onDelete: () => Promise<void>;
}) {
  const id = cell.taskId;
  return (
    <div className="ml-auto flex gap-1">
      <Button size="sm" onClick={() => onRun('cell')} aria-label={`Run cell ${id}`} title="Run cell (Ctrl+Enter)">
        ▶ Run
      </Button>
      <Button size="sm" onClick={() => onRun('from')} aria-label={`Run from ${id}`} title="Run this cell and every cell after it">
        ▶▶ from here
      </Button>
      <Button size="sm" onClick={() => onRun('upTo')} aria-label={`Run up to ${id}`} title="Run every cell before this one, then this one">
        ⇥ up to here
      </Button>
      {onStop && (
        <Button size="sm" variant="danger" onClick={onStop} aria-label={`Stop ${id}`}>
          ■ Stop
        </Button>
      )}
      <DeleteCellButton cell={cell} onDelete={onDelete} />
    </div>
  );
}
