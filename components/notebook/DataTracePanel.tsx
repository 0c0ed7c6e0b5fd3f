import type { DataTrace } from '@/lib/contract';

type Target = DataTrace['targets'][number];

/** Targets on the same connection read as one destination with its tables. */
function groupTargets(targets: Target[]): { technology: string; connection?: string; steps: Target[] }[] {
  const groups = new Map<string, { technology: string; connection?: string; steps: Target[] }>();
  for (const t of targets) {
    const key = `${t.technology}|${t.connection ?? ''}`;
    let g = groups.get(key);
    if (!g) {
      g = { technology: t.technology, connection: t.connection, steps: [] };
      groups.set(key, g);
    }
    g.steps.push(t);
  }
  return [...groups.values()];
}

/** "Where does the data come from and where does it go", read from the YAML. */
export function DataTracePanel({ trace }: { trace: DataTrace }) {
  if (trace.sources.length === 0 && trace.targets.length === 0) {
    return <div className="text-muted text-xs">No external sources or targets found in this flow.</div>;
  }
  return (
    <ul className="space-y-2 text-[12.5px]" data-testid="data-trace">
      {trace.sources.map((s, i) => (
        <li key={`s${i}`} className="flex gap-1.5">
          <span className="text-sky-600" aria-hidden>
            ⬇
          </span>
          <span className="min-w-0">
            <b>source</b> <span className="font-mono text-xs break-all">{s.url}</span>{' '}
            <span className="text-muted">
              ({s.kind} in <i>{s.taskId}</i>)
            </span>
          </span>
        </li>
      ))}
      {groupTargets(trace.targets).map((g, i) => (
        <li key={`t${i}`} className="flex gap-1.5">
          <span className="text-emerald-600" aria-hidden>
            ⬆
          </span>
          <div className="min-w-0">
            <div>
              <b>target</b> {g.technology}
              {g.connection && <span className="font-mono text-xs break-all"> {g.connection}</span>}
            </div>
            <ul className="text-muted mt-0.5 space-y-0.5 text-xs">
              {g.steps.map((t, j) => (
                <li key={j} className="break-all">
                  {t.operation && <span className="font-semibold">{t.operation} </span>}
                  <span className="font-mono">{t.tables.join(', ') || '—'}</span> <span>· {t.taskId}</span>
                </li>
              ))}
            </ul>
          </div>
        </li>
      ))}
    </ul>
  );
}
