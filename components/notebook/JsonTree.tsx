'use client';
/** Outputs as a collapsible tree. Every value renders as text. */
import { useState } from 'react';

function Leaf({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="text-slate-400">null</span>;
  if (typeof value === 'string') return <span className="break-all text-emerald-700 dark:text-emerald-400">&quot;{value}&quot;</span>;
  if (typeof value === 'number') return <span className="text-sky-700 dark:text-sky-400">{value}</span>;
  if (typeof value === 'boolean') return <span className="text-violet-700 dark:text-violet-400">{String(value)}</span>;
  return <span>{String(value)}</span>;
}

function Node({ name, value, depth }: { name?: string; value: unknown; depth: number }) {
  const [open, setOpen] = useState(depth < 2);
  const isObj = value !== null && typeof value === 'object';
  const entries = isObj ? (Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value)) : [];
  return (
    <div className="font-mono text-xs leading-5">
      {isObj ? (
        <>
          <button type="button" onClick={() => setOpen(!open)} className="hover:underline">
            <span className="text-muted inline-block w-3">{open ? '▾' : '▸'}</span>
            {name !== undefined && <span className="text-slate-600 dark:text-slate-300">{name}: </span>}
            <span className="text-muted">{Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`}</span>
          </button>
          {open && (
            <div className="ml-4 border-l border-slate-200 pl-2 dark:border-slate-700">
              {entries.map(([k, v]) => (
                <Node key={k} name={k} value={v} depth={depth + 1} />
              ))}
            </div>
          )}
        </>
      ) : (
        <div>
          <span className="inline-block w-3" />
          {name !== undefined && <span className="text-slate-600 dark:text-slate-300">{name}: </span>}
          <Leaf value={value} />
        </div>
      )}
    </div>
  );
}

export function JsonTree({ value }: { value: unknown }) {
  return (
    <div className="p-3" data-testid="json-tree">
      <Node value={value} depth={0} />
    </div>
  );
}
