import type { InputSpec, NotebookDto } from '@/lib/contract';
import { initialDraft, type InputDraft } from '@/lib/client/inputs';
import { StateIcon } from '@/components/ui/StateIcon';
import type { CellWithRun } from './types';

function draftText(d: InputDraft): string {
  if (typeof d === 'boolean') return String(d);
  if (Array.isArray(d)) return d.join(', ');
  return d.length > 24 ? `${d.slice(0, 23)}…` : d;
}

function triggerText(t: Record<string, unknown>): string {
  const type = typeof t.type === 'string' ? (t.type.split('.').pop() ?? t.type) : 'trigger';
  const cron = typeof t.cron === 'string' ? ` ${t.cron}` : '';
  return `${String(t.id ?? '')} · ${type}${cron}`;
}

export function Outline({
  notebook,
  cells,
  drafts,
  onSelect,
}: {
  notebook: NotebookDto;
  cells: CellWithRun[];
  drafts: Record<string, InputDraft>;
  onSelect: (taskId: string) => void;
}) {
  const inputs: InputSpec[] = notebook.flow?.inputs ?? [];
  const triggers = notebook.flow?.triggers ?? [];
  const h = 'text-muted mt-4 mb-1 px-1 text-[11px] font-semibold tracking-wider uppercase first:mt-0';
  return (
    <nav className="surface overflow-auto border-r p-3 text-[13px]" aria-label="Outline">
      <h2 className={h}>Cells</h2>
      <ul>
        {cells.map(({ cell, run }) => (
          <li key={cell.taskId}>
            <button
              type="button"
              onClick={() => onSelect(cell.taskId)}
              style={{ paddingLeft: 4 + cell.depth * 14 }}
              className={`flex w-full items-center gap-1.5 rounded py-0.5 pr-1 text-left hover:bg-black/5 dark:hover:bg-white/10 ${cell.stale ? 'bg-amber-50 dark:bg-amber-950/40' : ''}`}
            >
              <StateIcon state={run?.state} />
              <span className={`truncate font-mono text-xs ${cell.disabled ? 'line-through opacity-60' : ''}`}>{cell.taskId}</span>
              {cell.stale && <span className="ml-auto text-[10px] text-amber-700 dark:text-amber-300">stale</span>}
            </button>
          </li>
        ))}
      </ul>
      <h2 className={h}>Inputs</h2>
      {inputs.length === 0 ? (
        <div className="text-muted px-1 text-xs">none</div>
      ) : (
        <ul className="px-1 font-mono text-xs">
          {inputs.map((i) => (
            <li key={i.id} className="truncate">
              {i.id} = {draftText(drafts[i.id] ?? initialDraft(i))}
            </li>
          ))}
        </ul>
      )}
      <h2 className={h}>Triggers</h2>
      {triggers.length === 0 ? (
        <div className="text-muted px-1 text-xs">none</div>
      ) : (
        <ul className="px-1 text-xs">
          {triggers.map((t, i) => (
            <li key={i} className="truncate font-mono">
              {triggerText(t)}
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}
