'use client';
/** Files a task run stored: name, size, download, and an inline preview. */
import { useEffect, useState } from 'react';
import { api } from '@/lib/client/api';
import { fileNameOf, formatBytes } from '@/lib/client/format';
import { StoredPreview } from './StoredPreview';

function useFileSize(url: string): number | undefined {
  const [size, setSize] = useState<number | undefined>(undefined);
  useEffect(() => {
    let live = true;
    fetch(url, { method: 'HEAD' })
      .then((res) => {
        const len = res.headers.get('x-file-size') ?? res.headers.get('content-length');
        if (live && res.ok && len) setSize(Number(len));
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [url]);
  return size;
}

/** An output file's name as the task wrote it (the `outputFiles` key), not the stored name with its unique prefix. */
function displayName(path: string, uri: string): string {
  return path.startsWith('outputFiles.') ? path.slice('outputFiles.'.length) : fileNameOf(uri);
}

function FileRow({ executionId, path, uri }: { executionId: string; path: string; uri: string }) {
  const [open, setOpen] = useState(false);
  const href = api.downloadUrl(executionId, uri);
  const size = useFileSize(href);
  return (
    <li className="border-theme border-b last:border-0" data-testid="file-row">
      <div className="flex items-center gap-3 px-3 py-1.5">
        <span className="font-mono text-xs" title={fileNameOf(uri)} data-testid="file-name">
          {displayName(path, uri)}
        </span>
        <span className="text-muted text-xs">{path}</span>
        <span className="flex-1" />
        <span className="text-muted text-xs">{formatBytes(size)}</span>
        <button type="button" className="text-xs text-sky-700 hover:underline dark:text-sky-400" onClick={() => setOpen(!open)}>
          {open ? 'hide preview' : 'preview'}
        </button>
        <a className="text-xs text-sky-700 hover:underline dark:text-sky-400" href={href} download>
          download
        </a>
      </div>
      {open && <StoredPreview executionId={executionId} uri={uri} chart={false} />}
    </li>
  );
}

export function FilesTab({ executionId, files }: { executionId: string; files: { path: string; uri: string }[] }) {
  return (
    <ul>
      {files.map((f) => (
        <FileRow key={f.uri} executionId={executionId} path={f.path} uri={f.uri} />
      ))}
    </ul>
  );
}
