'use client';
import * as D from '@radix-ui/react-dialog';
import type { ReactNode } from 'react';

export function Dialog({
  open,
  onOpenChange,
  title,
  description,
  children,
  wide = false,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: string;
  children: ReactNode;
  wide?: boolean;
}) {
  return (
    <D.Root open={open} onOpenChange={onOpenChange}>
      <D.Portal>
        <D.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <D.Content
          className={`surface fixed top-1/2 left-1/2 z-50 flex max-h-[88vh] w-[92vw] -translate-x-1/2 -translate-y-1/2 flex-col rounded-xl border shadow-2xl ${wide ? 'max-w-5xl' : 'max-w-2xl'}`}
        >
          <div className="border-theme flex items-center gap-3 border-b px-5 py-3">
            <D.Title className="text-[15px] font-semibold">{title}</D.Title>
            <div className="flex-1" />
            <D.Close className="text-muted rounded px-2 hover:bg-black/5 dark:hover:bg-white/10" aria-label="Close">
              ✕
            </D.Close>
          </div>
          {description ? <D.Description className="text-muted px-5 pt-3 text-xs">{description}</D.Description> : <D.Description className="sr-only">{title}</D.Description>}
          <div className="min-h-0 flex-1 overflow-auto px-5 py-4">{children}</div>
        </D.Content>
      </D.Portal>
    </D.Root>
  );
}
