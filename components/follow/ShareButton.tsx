'use client';
/**
 * "Share with class": a read-only link to this notebook (its own viewer token, expiring,
 * revocable), and, while the page is open, the cell in view sent to everyone following.
 */
import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { shareApi } from '@/lib/client/share';
import { useRealtime } from '@/lib/client/realtime';
import { Button } from '@/components/ui/Button';
import { Dialog } from '@/components/ui/Dialog';

/** Sends the topmost cell in view (`[data-testid=cell]`) as the teacher's focus. */
function useTeacherFocus(notebookId: string): void {
  const rt = useRealtime();
  useEffect(() => {
    if (!rt) return;
    let last = '';
    const send = () => {
      const cells = [...document.querySelectorAll<HTMLElement>('[data-testid="cell"][data-task-id]')];
      const inView = cells.find((c) => c.getBoundingClientRect().bottom > 80);
      const taskId = inView?.dataset.taskId;
      const presenting = document.querySelector('[data-testid="presentation"]') !== null;
      const presented = document.querySelector<HTMLElement>('[data-testid="presentation"][data-task-id]')?.dataset.taskId;
      const key = `${presented ?? taskId}|${presenting}`;
      if (key === last) return;
      last = key;
      rt.socket.emit('notebook:focus', { notebookId, taskId: presented ?? taskId, presenting });
    };
    const timer = setInterval(send, 700);
    return () => clearInterval(timer);
  }, [rt, notebookId]);
}

export function ShareButton({ notebookId }: { notebookId: string }) {
  useTeacherFocus(notebookId);
  const [open, setOpen] = useState(false);
  const [made, setMade] = useState<string>();
  const [error, setError] = useState<string>();
  const client = useQueryClient();
  const links = useQuery({ queryKey: ['share-links', notebookId], queryFn: () => shareApi.list(notebookId), enabled: open });
  const create = async () => {
    setError(undefined);
    try {
      const link = await shareApi.create(notebookId);
      setMade(`${window.location.origin}${link.url}`);
      await client.invalidateQueries({ queryKey: ['share-links', notebookId] });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  const revoke = async (id: string) => {
    await shareApi.revoke(notebookId, id).catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
    await client.invalidateQueries({ queryKey: ['share-links', notebookId] });
  };
  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid="share-open">
        Share with class
      </Button>
      <Dialog open={open} onOpenChange={setOpen} title="Share with class" description="A read-only link: students see the notes, every run you start live, and the cell you are on. It cannot edit or run anything, and ends after 4 hours or when revoked.">
        <div className="space-y-3 text-[13px]">
          <Button variant="primary" onClick={() => void create()} data-testid="share-create">
            Make a link
          </Button>
          {made && (
            <input readOnly value={made} onFocus={(e) => e.currentTarget.select()} className="surface w-full rounded border px-2 py-1 font-mono text-xs" data-testid="share-link" aria-label="Share link" />
          )}
          {error && <p className="text-red-600">{error}</p>}
          <ul className="space-y-1">
            {(links.data ?? []).map((l) => (
              <li key={l.id} className="flex items-center gap-2" data-testid="share-link-row">
                <span className="text-muted">ends {new Date(l.expiresAt).toLocaleString()}</span>
                <Button size="sm" onClick={() => void revoke(l.id)}>
                  Revoke
                </Button>
              </li>
            ))}
          </ul>
        </div>
      </Dialog>
    </>
  );
}
