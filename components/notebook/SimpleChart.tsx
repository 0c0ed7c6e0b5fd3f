/** A bar (or line) chart for two-column results: first column labels, second values. */
import { useState } from 'react';
import { cellText } from '@/lib/client/format';

export function SimpleChart({ rows }: { rows: unknown[][] }) {
  const [kind, setKind] = useState<'bar' | 'line'>('bar');
  const points = rows.map((r) => ({ label: cellText(r[0]), value: Number(r[1]) })).filter((p) => Number.isFinite(p.value));
  if (points.length === 0) return <div className="text-muted p-3 text-xs">The second column has no numbers to chart.</div>;
  const max = Math.max(...points.map((p) => p.value), 0);
  const min = Math.min(...points.map((p) => p.value), 0);
  const span = max - min || 1;
  const W = 640;
  const H = 220;
  const pad = 28;
  const step = (W - pad * 2) / points.length;
  const y = (v: number) => H - pad - ((v - min) / span) * (H - pad * 2);
  return (
    <div className="p-3">
      <div className="mb-2 flex gap-2 text-xs">
        {(['bar', 'line'] as const).map((k) => (
          <button key={k} type="button" onClick={() => setKind(k)} className={`rounded px-2 py-0.5 ${kind === k ? 'bg-sky-100 text-sky-800 dark:bg-sky-900 dark:text-sky-100' : 'text-muted'}`}>
            {k}
          </button>
        ))}
      </div>
      <svg viewBox={`0 0 ${W} ${H}`} className="h-56 w-full" role="img" aria-label="Chart of the results">
        <line x1={pad} x2={W - pad} y1={y(0)} y2={y(0)} stroke="currentColor" opacity={0.3} />
        {kind === 'bar'
          ? points.map((p, i) => (
              <rect key={i} x={pad + i * step + step * 0.15} width={step * 0.7} y={Math.min(y(p.value), y(0))} height={Math.abs(y(p.value) - y(0))} className="fill-sky-500">
                <title>{`${p.label}: ${p.value}`}</title>
              </rect>
            ))
          : (
              <polyline fill="none" strokeWidth={2} className="stroke-sky-500" points={points.map((p, i) => `${pad + i * step + step / 2},${y(p.value)}`).join(' ')} />
            )}
        {points.length <= 24 &&
          points.map((p, i) => (
            <text key={i} x={pad + i * step + step / 2} y={H - 8} fontSize={10} textAnchor="middle" fill="currentColor" opacity={0.7}>
              {p.label.length > 10 ? `${p.label.slice(0, 9)}…` : p.label}
            </text>
          ))}
        <text x={4} y={pad} fontSize={10} fill="currentColor" opacity={0.7}>
          {max}
        </text>
      </svg>
    </div>
  );
}
