'use client';
/** One notebook on the home page: where it lives, its description, its last run, and what can be done with it. */
import Link from 'next/link';
import type { NotebookSummary } from '@/lib/contract';
import { formatDateTime } from '@/lib/client/format';
import { Button } from '@/components/ui/Button';
import { Badge } from '@/components/ui/Badge';
import { Markdown } from '@/components/ui/Markdown';
import { StateIcon } from '@/components/ui/StateIcon';

export function NotebookRow({ nb, onOpen, onDuplicate, onDelete }: { nb: NotebookSummary; onOpen: () => void; onDuplicate: () => void; onDelete: () => void }) {
  return (
    <li className="surface group flex items-center gap-4 rounded-xl border p-4 shadow-sm transition hover:shadow-md" data-testid="notebook-item">
      <div className="min-w-0 flex-1">
        <Link href={`/notebooks/${encodeURIComponent(nb.id)}`} className="flex items-baseline gap-2 hover:underline">
          <span className="text-muted text-xs">{nb.namespace} /</span>
          <span className="truncate font-semibold" data-testid="notebook-title">
            {nb.name ?? nb.flowId}
          </span>
        </Link>
        {nb.description && <Markdown text={nb.description} className="text-muted mt-0.5 line-clamp-3 text-[13px]" />}
        <div className="text-muted mt-1 flex items-center gap-3 text-xs">
          <span>updated {formatDateTime(nb.updatedAt)}</span>
          {nb.lastExecution && (
            <span className="flex items-center gap-1">
              <StateIcon state={nb.lastExecution.state} /> last run {formatDateTime(nb.lastExecution.startDate)}
            </span>
          )}
        </div>
      </div>
      {nb.lastExecution && <Badge tone="neutral">{nb.lastExecution.state.toLowerCase()}</Badge>}
      <div className="flex gap-1 opacity-80 group-hover:opacity-100">
        <Button size="sm" onClick={onOpen}>
          Open
        </Button>
        <Button size="sm" onClick={onDuplicate} aria-label={`Duplicate ${nb.flowId}`}>
          Duplicate
        </Button>
        <Button size="sm" variant="danger" onClick={onDelete} aria-label={`Delete ${nb.flowId}`}>
          Delete
        </Button>
      </div>
    </li>
  );
}
