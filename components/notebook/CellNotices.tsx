/** The boxes under a cell's header: a refused run, a failed save, the run's error. */
import { Button } from '@/components/ui/Button';
import type { FlowIssue } from '@/lib/contract';
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

/**
 * The run's error: its first line as the headline, the rest (the last lines the task wrote to
 * stderr, a Python traceback at the script's own line numbers) below it as printed.
 */
export function RunError({ error }: { error: string }) {
  const [headline, ...rest] = error.split('\n');
  const detail = rest.join('\n').replace(/\s+$/, '');
  return (
    <div className="border-theme border-t bg-red-50 px-3 py-1.5 text-xs text-red-700 dark:bg-red-950/40 dark:text-red-300" data-testid="cell-error">
      <div className="font-mono font-semibold whitespace-pre-wrap">{headline}</div>
      {detail && (
        <pre className="mt-1 max-h-72 overflow-auto rounded border border-red-200 bg-white/70 px-2 py-1 font-mono text-[11.5px] leading-snug whitespace-pre-wrap text-red-900 dark:border-red-900 dark:bg-black/30 dark:text-red-200" data-testid="cell-error-detail">
          {detail}
        </pre>
      )}
    </div>
  );
}

/** What validation and the reference check found in this cell, with where (line and column of the flow's YAML). */
export function CellIssues({ issues }: { issues: readonly FlowIssue[] }) {
  return (
    <ul className="border-theme border-t bg-amber-50 px-3 py-1.5 text-xs text-amber-900 dark:bg-amber-950/40 dark:text-amber-200" data-testid="cell-issues">
      {issues.map((issue, i) => (
        <li key={i} className={issue.severity === 'error' ? 'text-red-700 dark:text-red-300' : undefined}>
          <span className="font-semibold">{issue.severity}</span>
          {issue.pos && <span className="text-muted"> (line {issue.pos.line}, column {issue.pos.column})</span>}: {issue.message}
        </li>
      ))}
    </ul>
  );
}
