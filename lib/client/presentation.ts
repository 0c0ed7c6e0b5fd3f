/**
 * Presentation mode's keyboard and stepping, kept pure so the rules are tested apart from
 * the page: → or Space moves on, ← goes back, Enter runs the cell shown, Esc leaves.
 */
export type PresentationCommand = 'next' | 'prev' | 'run' | 'exit';

export function presentationCommand(key: string): PresentationCommand | undefined {
  switch (key) {
    case 'ArrowRight':
    case ' ':
    case 'PageDown':
      return 'next';
    case 'ArrowLeft':
    case 'PageUp':
      return 'prev';
    case 'Enter':
      return 'run';
    case 'Escape':
      return 'exit';
    default:
      return undefined;
  }
}

/** The slide after a step, held within the deck (the last slide stays put on "next"). */
export function stepSlide(index: number, count: number, command: 'next' | 'prev'): number {
  if (count <= 0) return 0;
  const next = command === 'next' ? index + 1 : index - 1;
  return Math.min(count - 1, Math.max(0, next));
}
