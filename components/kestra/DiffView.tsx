/** A deploy item's diff against the server, in hunks as `git diff` shows them. */
import type { KestraDiffHunkDto } from '@/lib/contract';

export function DiffView({ hunks, label }: { hunks: KestraDiffHunkDto[]; label: string }) {
  return (
    <div className="border-theme max-h-[40vh] overflow-auto rounded-md border font-mono text-xs" data-testid="deploy-diff" aria-label={label}>
      {hunks.map((h, k) => (
        <div key={k}>
          <div className="text-muted bg-slate-50 px-2 py-0.5 dark:bg-slate-900">
            @@ −{h.oldStart} +{h.newStart} @@
          </div>
          {h.lines.map((l, i) => (
            <div
              key={i}
              data-kind={l.kind}
              className={`flex whitespace-pre ${l.kind === 'add' ? 'bg-emerald-50 text-emerald-900 dark:bg-emerald-950/50 dark:text-emerald-200' : l.kind === 'del' ? 'bg-red-50 text-red-900 dark:bg-red-950/50 dark:text-red-200' : ''}`}
            >
              <span className="text-muted w-9 shrink-0 pr-2 text-right select-none">{l.oldLine ?? ''}</span>
              <span className="text-muted w-9 shrink-0 pr-2 text-right select-none">{l.newLine ?? ''}</span>
              <span className="w-4 shrink-0 select-none">{l.kind === 'add' ? '+' : l.kind === 'del' ? '−' : ' '}</span>
              <span>{l.text}</span>
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}
