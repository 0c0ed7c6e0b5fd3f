/** The keys a focused cell card answers to (the card itself, not its editor). */
export type CellKeyCommand = 'run-and-advance' | 'run' | 'edit' | 'next' | 'prev' | 'add-note';

export function cellKeyCommand(e: { key: string; shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }): CellKeyCommand | undefined {
  if (e.key === 'Enter' && e.shiftKey) return 'run-and-advance';
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) return 'run';
  if (e.key === 'Enter') return 'edit';
  if (e.key === 'ArrowDown' || e.key === 'j') return 'next';
  if (e.key === 'ArrowUp' || e.key === 'k') return 'prev';
  if (e.key === 'm' || e.key === 'a') return 'add-note';
  return undefined;
}
