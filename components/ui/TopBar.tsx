import Link from 'next/link';
import type { ReactNode } from 'react';
import { ThemeToggle } from './ThemeToggle';

export function TopBar({ crumbs, children }: { crumbs?: ReactNode; children?: ReactNode }) {
  return (
    <header className="surface flex h-12 shrink-0 items-center gap-3 border-b px-4">
      <Link href="/" className="flex items-center gap-2 text-[15px] font-semibold tracking-tight">
        <span className="grid h-6 w-6 place-items-center rounded-md bg-gradient-to-br from-emerald-500 to-sky-600 text-xs text-white">F</span>
        Flowbook
      </Link>
      {crumbs && <div className="text-muted flex min-w-0 items-center gap-2 truncate">{crumbs}</div>}
      <div className="flex-1" />
      {children}
      <Link href="/settings" className="text-muted rounded-md px-2 py-1 hover:bg-black/5 dark:hover:bg-white/10">
        Settings
      </Link>
      <ThemeToggle />
    </header>
  );
}
