/** The top line of a cell card: state, id, badges, status, save state and buttons. */
import type { CellDto, TaskRun } from '@/lib/contract';
import type { SaveState } from '@/lib/client/use-cell-save';
import { StateIcon } from '@/components/ui/StateIcon';
import { CellBadges } from './CellBadges';
import { CellStatus, SaveStatus } from './CellStatus';
import { CellRunButtons, type CellRunMode } from './CellRunButtons';

export function CellHeader({
  cell,
  run,
  saveState,
  onRun,
  onStop,
  onDelete,
}: {
  cell: CellDto;
  run?: TaskRun;
  saveState: SaveState;
  onRun: (mode: CellRunMode) => void;
  onStop?: () => void;
  onDelete: () => Promise<void>;
}) {
  return (
    <header className="flex flex-wrap items-center gap-2 px-3 py-2">
      <StateIcon state={run?.state} />
      <h3 className="font-mono text-[13px] font-semibold" data-testid="cell-id">
        {cell.taskId}
      </h3>
      <CellBadges cell={cell} run={run} />
      <span className="flex-1" />
      <CellStatus run={run} />
      <SaveStatus state={saveState} />
      <CellRunButtons cell={cell} onRun={onRun} onStop={onStop} onDelete={onDelete} />
    </header>
  );
}
