import type { State } from '@/lib/contract';

const LOOK: Record<State, { glyph: string; cls: string; label: string }> = {
  CREATED: { glyph: '○', cls: 'text-slate-400', label: 'created' },
  QUEUED: { glyph: '◔', cls: 'text-slate-500', label: 'queued' },
  RUNNING: { glyph: '◐', cls: 'text-amber-500 animate-pulse', label: 'running' },
  PAUSED: { glyph: '⏸', cls: 'text-sky-600', label: 'paused' },
  RESTARTED: { glyph: '↻', cls: 'text-slate-500', label: 'restarted' },
  KILLING: { glyph: '■', cls: 'text-red-600 animate-pulse', label: 'killing' },
  SUCCESS: { glyph: '✔', cls: 'text-emerald-600', label: 'success' },
  WARNING: { glyph: '⚠', cls: 'text-amber-600', label: 'warning' },
  FAILED: { glyph: '✖', cls: 'text-red-600', label: 'failed' },
  KILLED: { glyph: '■', cls: 'text-red-700', label: 'killed' },
  CANCELLED: { glyph: '⊘', cls: 'text-slate-500', label: 'cancelled' },
  RETRYING: { glyph: '↻', cls: 'text-amber-600 animate-pulse', label: 'retrying' },
  RETRIED: { glyph: '↺', cls: 'text-slate-500', label: 'retried in a new execution' },
  SKIPPED: { glyph: '—', cls: 'text-slate-400', label: 'skipped' },
};

export function StateIcon({ state }: { state?: State }) {
  if (!state) return <span className="text-slate-300 dark:text-slate-600" aria-label="not run" title="not run">○</span>;
  const look = LOOK[state];
  return (
    <span className={`inline-block w-4 text-center ${look.cls}`} aria-label={look.label} title={look.label} data-state={state}>
      {look.glyph}
    </span>
  );
}

export function stateTextClass(state?: State): string {
  return state ? LOOK[state].cls.replace(' animate-pulse', '') : 'text-muted';
}
