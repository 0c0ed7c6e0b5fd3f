/** On a cell whose last run ran on a Kestra server: where it ran, and a link to it in Kestra's UI. */
import type { TaskRun } from '@/lib/contract';

export function RemoteRunBadge({ run }: { run?: TaskRun }) {
  const url = run?.details?.kestraUrl;
  if (run?.details?.remote !== 'kestra' || !url) return null;
  return (
    <a
      href={url}
      target="_blank"
      rel="noopener noreferrer"
      data-testid="remote-run-link"
      title={`Ran on Kestra server ${run.details?.kestraServer ?? ''}: open the execution in Kestra's UI`}
      className="inline-flex items-center rounded-full bg-sky-100 px-2 py-px text-[11px] font-medium whitespace-nowrap text-sky-800 hover:underline dark:bg-sky-950 dark:text-sky-300"
    >
      on Kestra ↗
    </a>
  );
}
