'use client';
/**
 * Under a Subflow cell: the child execution it started, linked to that run in its own notebook
 * (`/notebooks/<id>?run=<execution>` opens it there). The child's id is on the task run's
 * details whatever its end, so a failed child is one click away too.
 */
import { useQuery } from '@tanstack/react-query';
import type { TaskRun } from '@/lib/contract';
import { api } from '@/lib/client/api';
import { StateIcon } from '@/components/ui/StateIcon';

export function SubflowLink({ run }: { run: TaskRun }) {
  const childId = run.details?.subflowExecutionId;
  const child = useQuery({
    queryKey: ['execution', childId, run.state],
    queryFn: () => api.getExecution(childId ?? ''),
    enabled: childId !== undefined,
  });
  if (childId === undefined) return null;
  const execution = child.data?.execution;
  return (
    <div className="border-theme flex items-center gap-2 border-t px-3 py-1.5 text-xs" data-testid="subflow-link">
      <span className="text-muted">subflow execution</span>
      {execution ? (
        <a href={`/notebooks/${encodeURIComponent(execution.notebookId)}?run=${encodeURIComponent(childId)}`} className="inline-flex items-center gap-1 font-mono text-sky-700 hover:underline dark:text-sky-300">
          <StateIcon state={execution.state} />
          {execution.namespace}.{execution.flowId} · {childId} ↗
        </a>
      ) : (
        <span className="font-mono">{childId}</span>
      )}
    </div>
  );
}
