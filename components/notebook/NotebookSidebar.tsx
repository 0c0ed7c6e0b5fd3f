'use client';
/** The right-hand column: where data comes from and goes, how tasks connect, and past runs. */
import { useMemo, type ReactNode } from 'react';
import type { NotebookDto } from '@/lib/contract';
import { errorMessage } from '@/lib/client/api';
import { cellStates } from '@/lib/client/notebook-run';
import { useExecutions } from '@/lib/client/queries';
import { ErrorBox, Loading } from '@/components/ui/States';
import { DataTracePanel } from './DataTracePanel';
import { TopologyView } from './TopologyView';
import { RunsHistory } from './RunsHistory';
import { NamespaceFilesPanel } from './NamespaceFilesPanel';
import type { CellWithRun } from './types';

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="mb-5">
      <h2 className="text-muted mb-2 text-[11px] font-semibold tracking-wider uppercase">{title}</h2>
      {children}
    </section>
  );
}

export function NotebookSidebar({ notebook, cells, onSelect }: { notebook: NotebookDto; cells: readonly CellWithRun[]; onSelect: (taskId: string) => void }) {
  const execs = useExecutions(notebook.id);
  const states = useMemo(() => cellStates(cells), [cells]);
  return (
    <aside className="surface overflow-auto border-l p-4">
      <Section title="Data trace">
        <DataTracePanel trace={notebook.dataTrace} />
      </Section>
      <Section title="Topology">
        <TopologyView topology={notebook.topology} states={states} onSelect={onSelect} />
      </Section>
      {notebook.flow !== undefined && (
        <Section title="Namespace files">
          <NamespaceFilesPanel namespace={notebook.flow.namespace} />
        </Section>
      )}
      <Section title="Runs">
        {execs.isPending ? <Loading what="runs" /> : execs.isError ? <ErrorBox title="Runs" message={errorMessage(execs.error)} /> : <RunsHistory executions={execs.data} />}
      </Section>
    </aside>
  );
}
