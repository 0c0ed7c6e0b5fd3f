import type { NotebookDto } from '@/lib/contract';
import type { InputDraft } from '@/lib/client/inputs';
import type { InputsSaveState } from '@/lib/client/use-stored-inputs';
import { Badge } from '@/components/ui/Badge';
import { Markdown } from '@/components/ui/Markdown';
import { IssueList } from '@/components/home/IssueList';
import { InputsForm } from './InputsForm';

export function FlowCard({
  notebook,
  drafts,
  inputErrors,
  onInput,
  stored,
}: {
  notebook: NotebookDto;
  drafts: Record<string, InputDraft>;
  inputErrors: Record<string, string>;
  onInput: (id: string, v: InputDraft) => void;
  /** The form's values kept for the notebook: reset, and how the last save went. */
  stored?: { edited: boolean; save: InputsSaveState; reset: () => Promise<void> };
}) {
  const flow = notebook.flow;
  return (
    <div className="surface mb-4 rounded-xl border shadow-sm" data-testid="flow-card">
      <div className="flex flex-wrap items-center gap-2 px-4 pt-3 pb-2">
        <h1 className="text-lg font-semibold tracking-tight" data-testid="flow-id">
          {flow?.id ?? 'Unreadable flow'}
        </h1>
        {flow && <span className="text-muted font-mono text-xs">{flow.namespace}</span>}
        {notebook.name && (
          <span className="text-muted text-xs" data-testid="notebook-name">
            {notebook.name}
          </span>
        )}
        {flow &&
          Object.entries(flow.labels).map(([k, v]) => (
            <Badge key={k} tone="blue">
              {k}: {v}
            </Badge>
          ))}
      </div>
      {flow?.description && <Markdown text={flow.description} className="text-muted px-4 pb-2 text-[13px]" />}
      {notebook.issues.length > 0 && (
        <div className="border-theme border-t px-4 py-2" role="alert">
          <div className="text-xs font-semibold text-amber-700 dark:text-amber-300">Problems in this flow</div>
          <IssueList issues={notebook.issues} />
        </div>
      )}
      {flow && flow.inputs.length > 0 && (
        <div className="border-theme border-t">
          <InputsForm
            notebookId={notebook.id}
            inputs={flow.inputs}
            drafts={drafts}
            serverErrors={inputErrors}
            onChange={onInput}
            edited={stored?.edited}
            save={stored?.save}
            onReset={stored && (() => void stored.reset())}
          />
        </div>
      )}
    </div>
  );
}
