'use client';
/** Downloads an execution as one HTML report, with the charts chosen on this page. */
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/client/api';
import { reportUrl } from '@/lib/client/report';

export function ReportLink({ executionId, notebookId }: { executionId: string; notebookId?: string }) {
  // The task ids whose chart choices to send: the execution's task runs.
  const detail = useQuery({ queryKey: ['execution-report-tasks', executionId], queryFn: () => api.getExecution(executionId) });
  const taskIds = [...new Set((detail.data?.taskRuns ?? []).map((t) => t.taskId))];
  return (
    <a
      href={reportUrl(executionId, notebookId, taskIds)}
      download
      className="border-theme inline-flex items-center rounded-md border px-2 py-0.5 text-xs hover:bg-black/5 dark:hover:bg-white/10"
      data-testid="download-report"
    >
      ⤓ Report (.html)
    </a>
  );
}
