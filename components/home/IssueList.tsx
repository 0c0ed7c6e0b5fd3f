import type { FlowIssue } from '@/lib/contract';

/** YAML problems with their line and column, as the import and save errors show them. */
export function IssueList({ issues }: { issues: FlowIssue[] }) {
  return (
    <ul className="mt-2 space-y-1 text-[13px]" data-testid="issue-list">
      {issues.map((issue, i) => (
        <li key={i} className="flex gap-2" data-testid="issue">
          <span className={`font-mono text-xs ${issue.severity === 'error' ? 'text-red-700 dark:text-red-300' : 'text-amber-700 dark:text-amber-300'}`}>
            {issue.pos ? `line ${issue.pos.line}, column ${issue.pos.column}` : issue.path.length ? issue.path.join('.') : 'document'}
          </span>
          <span>{issue.message}</span>
        </li>
      ))}
    </ul>
  );
}
