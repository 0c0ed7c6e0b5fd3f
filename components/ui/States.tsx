import type { ReactNode } from 'react';

export function Loading({ what }: { what: string }) {
  return (
    <div className="text-muted flex items-center gap-2 p-6" role="status">
      <span className="inline-block h-3 w-3 animate-spin rounded-full border-2 border-current border-t-transparent" />
      Loading {what}…
    </div>
  );
}

export function ErrorBox({ title, message, children }: { title: string; message: string; children?: ReactNode }) {
  return (
    <div role="alert" className="rounded-lg border border-red-300 bg-red-50 p-3 text-red-800 dark:border-red-900 dark:bg-red-950/50 dark:text-red-200">
      <div className="font-semibold">{title}</div>
      <div className="mt-0.5 text-[13px] whitespace-pre-wrap">{message}</div>
      {children}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="text-muted rounded-lg border border-dashed border-current/30 p-8 text-center">{children}</div>;
}
