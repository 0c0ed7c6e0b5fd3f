/** The badges in a cell's header: task type, facts from its YAML and last run, what it uses, disabled, stale. */
import type { CellDto, TaskRun } from '@/lib/contract';
import { Badge } from '@/components/ui/Badge';
import { RemoteRunBadge } from '@/components/kestra/RemoteRunBadge';
import { staleBadgeText } from '@/lib/client/stale';

/** Facts worth a badge, read from the task's own YAML and its last run. */
function factsOf(cell: CellDto, run?: TaskRun): string[] {
  const out: string[] = [];
  const fetchType = /^\s*fetchType:\s*["']?(\w+)/m.exec(cell.source)?.[1];
  if (fetchType) out.push(fetchType);
  const runner = run?.details?.runner ?? (/taskRunner:\s*\n\s*type:\s*\S*?(Docker|Process)\b/.exec(cell.source)?.[1]?.toLowerCase() ?? undefined);
  if (runner) out.push(runner);
  return out;
}

/** Why the cell's result is out of date, in full: the reason names the cell and what links it, so it may wrap. */
export function StaleBadge({ reason }: { reason?: string }) {
  const text = staleBadgeText(reason);
  return (
    <span
      data-testid="stale-marker"
      title={text}
      className="inline-flex max-w-full items-center rounded-md bg-amber-100 px-2 py-px text-[11px] font-medium break-words text-amber-800 dark:bg-amber-950 dark:text-amber-300"
    >
      {text}
    </span>
  );
}

export function CellBadges({ cell, run }: { cell: CellDto; run?: TaskRun }) {
  return (
    <>
      <Badge tone="violet" title={cell.type}>
        {cell.title}
      </Badge>
      {factsOf(cell, run).map((b) => (
        <Badge key={b}>{b}</Badge>
      ))}
      <RemoteRunBadge run={run} />
      {cell.usesOutputsOf.map((u) => (
        <Badge key={u} tone="blue" title={`uses outputs of ${u}`}>
          uses: {u}
        </Badge>
      ))}
      {cell.disabled && <Badge tone="neutral">disabled</Badge>}
      {cell.stale && <StaleBadge reason={cell.staleReason} />}
    </>
  );
}
