'use client';
/** The ✕ in a cell's header and the dialog that asks before the task leaves the flow. */
import { useState } from 'react';
import type { CellDto } from '@/lib/contract';
import { errorMessage } from '@/lib/client/api';
import { Button } from '@/components/ui/Button';
import { Dialog } from '@/components/ui/Dialog';

export function DeleteCellButton({ cell, onDelete }: { cell: CellDto; onDelete: () => Promise<void> }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);

  function confirm() {
    setDeleting(true);
    onDelete()
      .then(() => setOpen(false))
      .catch((err: unknown) => setError(errorMessage(err)))
      .finally(() => setDeleting(false));
  }

  return (
    <>
      <Button
        size="sm"
        variant="ghost"
        onClick={() => {
          setError(null);
          setOpen(true);
        }}
        aria-label={`Delete cell ${cell.taskId}`}
        title="Delete this cell (asks first)"
      >
        ✕
      </Button>
      <Dialog
        open={open}
        onOpenChange={setOpen}
        title={`Delete cell ${cell.taskId}?`}
        description={cell.kind === 'flowable' ? 'The task and every task nested in it are removed from the flow YAML.' : 'The task is removed from the flow YAML; the other cells stay as they are.'}
      >
        <pre className="bg-code mb-3 max-h-60 overflow-auto rounded p-2 font-mono text-xs">{cell.source}</pre>
        {error && (
          <div role="alert" className="mb-2 text-xs text-red-600" data-testid="delete-error">
            Not deleted: {error}
          </div>
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={() => setOpen(false)}>Cancel</Button>
          <Button variant="danger" disabled={deleting} onClick={confirm}>
            Delete cell
          </Button>
        </div>
      </Dialog>
    </>
  );
}
