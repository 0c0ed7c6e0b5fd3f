'use client';
/**
 * Keyboard focus across the cell cards: each card registers its element; moves go to the
 * next or previous cell in document order, and a cell just inserted gets focus as soon as
 * its card has rendered.
 */
import { useCallback, useEffect, useRef } from 'react';
import type { CellWithRun } from './types';

export interface CellFocus {
  focus(taskId: string | undefined): void;
  focusNext(taskId: string): void;
  focusPrev(taskId: string): void;
  /** Focuses the cell now if its card is there, else once it registers. */
  focusWhenShown(taskId: string): void;
  register(taskId: string, el: HTMLElement | null): void;
}

export function useCellFocus(cells: readonly CellWithRun[]): CellFocus {
  const els = useRef(new Map<string, HTMLElement>());
  const order = useRef<string[]>([]);
  const waiting = useRef<string | null>(null);

  useEffect(() => {
    order.current = cells.map((c) => c.cell.taskId);
  }, [cells]);

  const focus = useCallback((taskId: string | undefined) => {
    const el = taskId ? els.current.get(taskId) : undefined;
    if (!el) return;
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, []);

  const register = useCallback(
    (taskId: string, el: HTMLElement | null) => {
      if (!el) {
        els.current.delete(taskId);
        return;
      }
      els.current.set(taskId, el);
      if (waiting.current === taskId) {
        waiting.current = null;
        focus(taskId);
      }
    },
    [focus],
  );

  const focusWhenShown = useCallback(
    (taskId: string) => {
      if (els.current.has(taskId)) focus(taskId);
      else waiting.current = taskId;
    },
    [focus],
  );

  const step = useCallback((taskId: string, by: number) => focus(order.current[order.current.indexOf(taskId) + by]), [focus]);
  const focusNext = useCallback((taskId: string) => step(taskId, 1), [step]);
  const focusPrev = useCallback((taskId: string) => step(taskId, -1), [step]);

  return { focus, focusNext, focusPrev, focusWhenShown, register };
}
