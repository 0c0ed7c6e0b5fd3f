'use client';
/**
 * The notebook page: outline and inputs on the left, the flow and its cells in the
 * middle, data trace / topology / runs on the right. What the cells show about runs comes
 * from `useNotebookRun`; this file only lays the page out.
 */
import { useState } from 'react';
import { errorMessage } from '@/lib/client/api';
import { useNotebook } from '@/lib/client/queries';
import { useNotebookRun } from '@/lib/client/use-notebook-run';
import { TopBar } from '@/components/ui/TopBar';
import { ErrorBox, Loading } from '@/components/ui/States';
import { NotebookTopBar } from './NotebookTopBar';
import { NotebookSidebar } from './NotebookSidebar';
import { CellList } from './CellList';
import { FlowCard } from './FlowCard';
import { Outline } from './Outline';
import { StatusBar } from './StatusBar';
import { ExportDialog } from './ExportDialog';
import { PostgresBanner } from './PostgresBanner';
import { useCellFocus } from './use-cell-focus';
import { useCellActions } from './use-cell-actions';
import { Presentation } from '@/components/present/Presentation';

export function NotebookView({ id }: { id: string }) {
  const nb = useNotebook(id);
  const runs = useNotebookRun(id, nb.data);
  const focus = useCellFocus(runs.cells);
  const actions = useCellActions(id, runs.run, runs.stop, focus);
  const [exportOpen, setExportOpen] = useState(false);
  // The cell in view when Present was pressed: the presentation opens on it.
  const [presenting, setPresenting] = useState<{ from?: string }>();

  if (nb.isPending || nb.isError) {
    return (
      <div className="flex h-screen flex-col">
        <TopBar />
        {nb.isPending ? (
          <Loading what="notebook" />
        ) : (
          <div className="p-6">
            <ErrorBox title="This notebook could not be opened" message={errorMessage(nb.error)} />
          </div>
        )}
      </div>
    );
  }
  const notebook = nb.data;

  return (
    <div className="flex h-screen flex-col">
      <NotebookTopBar
        notebook={notebook}
        stoppable={runs.stoppable}
        onRunAll={() => void runs.run('all')}
        onStop={runs.stop}
        onExport={() => setExportOpen(true)}
        staleCount={runs.staleCount}
        onRunStale={() => void runs.runStale()}
        onRunAsTrigger={(t) => void runs.run('all', undefined, t)}
        onPresent={() => setPresenting({ from: topmostCellInView() })}
      />
      <div className="grid min-h-0 flex-1 grid-cols-[220px_minmax(0,1fr)_300px] max-[1100px]:grid-cols-[190px_minmax(0,1fr)_260px]">
        <Outline notebook={notebook} cells={runs.cells} drafts={runs.drafts} onSelect={focus.focus} />
        <main className="min-w-0 overflow-auto px-6 py-5" data-testid="cells">
          <FlowCard notebook={notebook} drafts={runs.drafts} inputErrors={runs.inputErrors} onInput={runs.setInput} stored={runs.storedInputs} />
          <PostgresBanner cells={runs.cells} onRunAll={() => void runs.run('all')} />
          {runs.banner && (
            <div className="mb-4">
              <ErrorBox title="Run" message={runs.banner} />
            </div>
          )}
          <CellList
            notebookId={id}
            canInsert={notebook.flow !== undefined}
            cells={runs.cells}
            messages={runs.messages}
            issues={notebook.issues}
            actions={actions}
            registerFocus={focus.register}
            onInserted={focus.focusWhenShown}
          />
          <p className="text-muted py-6 text-center text-[11px]">
            Shift+Enter runs a cell and moves on · Ctrl+Enter runs in place · Enter edits · Esc leaves the editor · ↑/↓ move · a adds a note
          </p>
        </main>
        <NotebookSidebar notebook={notebook} cells={runs.cells} onSelect={focus.focus} />
      </div>
      <StatusBar />
      {presenting && (
        <Presentation
          notebookId={id}
          title={notebook.name ?? notebook.flow?.id ?? id}
          cells={runs.cells}
          messages={runs.messages}
          startAt={presenting.from}
          onRun={(taskId) => void runs.run('cell', taskId)}
          onClose={() => setPresenting(undefined)}
        />
      )}
      <ExportDialog open={exportOpen} onOpenChange={setExportOpen} notebookId={id} originalYaml={notebook.originalYaml} version={notebook.version} />
    </div>
  );
}

/** The first cell whose bottom is below the top bar, as the share button's focus reads it. */
function topmostCellInView(): string | undefined {
  const cells = [...document.querySelectorAll<HTMLElement>('[data-testid="cell"][data-task-id]')];
  return cells.find((c) => c.getBoundingClientRect().bottom > 80)?.dataset.taskId;
}
