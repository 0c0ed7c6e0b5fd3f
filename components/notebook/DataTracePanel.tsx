import type { DataTrace } from '@/lib/api/types';

/** "Where does the data come from and where does it go", read from the YAML. */
export function DataTracePanel({ trace }: { trace: DataTrace }) {
  if (trace.sources.length === 0 && trace.targets.length === 0) {
    return <div className="text-muted text-xs">No external sources or targets found in this flow.</div>;
  }
  return (
    <ul className="space-y-1.5 text-[12.5px]" data-testid="data-trace">
      {trace.sources.map((s, i) => (
        <li key={`s${i}`} className="flex gap-1.5">
          <span className="text-sky-600" aria-hidden>⬇</span>
          <span>
            <b>source</b> <span className="font-mono text-xs break-all">{s.url}</span>{' '}
            <span className="text-muted">
              ({s.kind} in <i>{s.taskId}</i>)
            </span>
          </span>
        </li>
      ))}
      {trace.targets.map((t, i) => (
        <li key={`t${i}`} className="flex gap-1.5">
          <span className="text-emerald-600" aria-hidden>⬆</span>
          <span>
            <b>target</b> {t.technology}
            {t.connection && <span className="font-mono text-xs break-all"> {t.connection}</span>}
            {t.tables.length > 0 && <span className="text-muted"> · tables {t.tables.join(' → ')}</span>}
            {t.operation && <span className="text-muted"> ({t.operation})</span>}
            <span className="text-muted">
              {' '}
              in <i>{t.taskId}</i>
            </span>
          </span>
        </li>
      ))}
    </ul>
  );
}
