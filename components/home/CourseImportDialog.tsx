'use client';
/**
 * Import a course: a .zip, or a folder picked whole. The course lands on the home page as a
 * collection; files that could not be imported are listed with their name, line and column.
 */
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { CourseImportResult } from '@/lib/contract';
import { errorMessage } from '@/lib/client/api';
import { importCourseZip, problemText, zipFolder } from '@/lib/client/courses';
import { Dialog } from '@/components/ui/Dialog';
import { Button } from '@/components/ui/Button';
import { ErrorBox } from '@/components/ui/States';

export function CourseImportDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const qc = useQueryClient();
  const [replaceFiles, setReplaceFiles] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [result, setResult] = useState<CourseImportResult>();

  async function send(make: () => Promise<{ zip: Blob; name: string }>) {
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      const { zip, name } = await make();
      setResult(await importCourseZip(zip, name, replaceFiles));
      await Promise.all([qc.invalidateQueries({ queryKey: ['collections'] }), qc.invalidateQueries({ queryKey: ['notebooks'] })]);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const pickZip = (file: File | undefined) => file && void send(async () => ({ zip: file, name: file.name }));
  const pickFolder = (files: FileList | null) => files && files.length > 0 && void send(() => zipFolder([...files]));

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Import a course"
      description="A .zip or a folder of flows: each flow becomes a notebook, in file name order (01_…, 02_…), with its notes (<flow>.md) and namespace files (_files/<namespace>/…)."
    >
      <div className="space-y-3 text-[13px]">
        <label className="flex items-center gap-2">
          <span className="w-28">A .zip file</span>
          <input type="file" accept=".zip,application/zip" aria-label="Course zip" disabled={busy} onChange={(e) => pickZip(e.target.files?.[0])} />
        </label>
        <label className="flex items-center gap-2">
          <span className="w-28">Or a folder</span>
          <input type="file" ref={(el) => el?.setAttribute('webkitdirectory', '')} aria-label="Course folder" disabled={busy} onChange={(e) => pickFolder(e.target.files)} />
        </label>
        <label className="text-muted flex items-center gap-2 text-xs">
          <input type="checkbox" checked={replaceFiles} onChange={(e) => setReplaceFiles(e.target.checked)} />
          Replace namespace files that differ from the ones already kept (otherwise those are kept and listed below)
        </label>
        {busy && <p className="text-muted">Importing…</p>}
        {error && <ErrorBox title="This course cannot be imported" message={error} />}
        {result && (
          <div className="space-y-2" data-testid="course-import-result">
            <p>
              Imported <strong>{result.title}</strong>: {result.notebooks.length} notebook{result.notebooks.length === 1 ? '' : 's'}
              {result.files > 0 ? `, ${result.files} namespace file${result.files === 1 ? '' : 's'}` : ''}.
            </p>
            {result.problems.length > 0 && (
              <div className="rounded-md border border-amber-300 bg-amber-50 p-2 dark:border-amber-700 dark:bg-amber-950">
                <p className="font-semibold">Left out:</p>
                <ul className="font-mono text-xs">
                  {result.problems.map((p, i) => (
                    <li key={i} data-testid="course-problem">
                      {problemText(p)}
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </div>
        )}
        <div className="flex justify-end">
          <Button onClick={() => onOpenChange(false)}>{result ? 'Done' : 'Cancel'}</Button>
        </div>
      </div>
    </Dialog>
  );
}
