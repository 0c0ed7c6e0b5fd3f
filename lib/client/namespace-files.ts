/**
 * The browser's side of namespace files: the API calls, the folder tree the panel shows,
 * and which editor language a file opens with.
 */
import type { CellEditorDto, NamespaceFileContentDto, NamespaceFileDto, NamespaceFileListDto } from '@/lib/contract';
import { MAX_NAMESPACE_FILE_BYTES } from '@/lib/contract';
import { ApiClientError, postRaw, request } from './api';
import { formatBytes } from './format';

const enc = encodeURIComponent;
const base = (ns: string) => `/api/namespaces/${enc(ns)}/files`;
const contentUrl = (ns: string, path: string) => `${base(ns)}/content?path=${enc(path)}`;

export const namespaceFilesApi = {
  list: (ns: string) => request<NamespaceFileListDto>('GET', base(ns)),
  read: (ns: string, path: string) => request<NamespaceFileContentDto>('GET', contentUrl(ns, path)),
  create: (ns: string, path: string, content: string) => request<NamespaceFileContentDto>('POST', base(ns), { path, content }),
  save: (ns: string, path: string, content: string, version: string) => request<NamespaceFileContentDto>('PUT', contentUrl(ns, path), { content, version }),
  rename: (ns: string, from: string, to: string) => request<NamespaceFileDto>('POST', `${base(ns)}/rename`, { from, to }),
  remove: (ns: string, path: string) => request<unknown>('DELETE', contentUrl(ns, path)),
  downloadUrl: (ns: string, path: string) => `${contentUrl(ns, path)}&download=1`,
  /** The notebook's YAML and its namespace's files as one .zip. */
  bundleUrl: (notebookId: string) => `/api/notebooks/${enc(notebookId)}/export/bundle`,
};

/** Uploads one file as the raw request body (streamed by the server, no multipart). */
export async function uploadNamespaceFile(ns: string, path: string, file: Blob, overwrite: boolean): Promise<NamespaceFileDto> {
  const url = `${base(ns)}/upload?path=${enc(path)}${overwrite ? '&overwrite=1' : ''}`;
  if (file.size > MAX_NAMESPACE_FILE_BYTES) {
    throw new ApiClientError(413, { error: `${path} is ${formatBytes(file.size)}: a namespace file may hold at most ${formatBytes(MAX_NAMESPACE_FILE_BYTES)}` }, url);
  }
  return postRaw<NamespaceFileDto>(url, file, 'application/octet-stream', { verb: 'upload', subject: path });
}

export interface FileTreeNode {
  name: string;
  /** The full path: of the file, or of the folder (without a trailing /). */
  path: string;
  file?: NamespaceFileDto;
  children: FileTreeNode[];
}

/** The flat, path-sorted list as a tree: folders first, then files, each by name. */
export function fileTree(files: readonly NamespaceFileDto[]): FileTreeNode[] {
  const root: FileTreeNode = { name: '', path: '', children: [] };
  for (const file of files) {
    const segments = file.path.split('/');
    let node = root;
    segments.forEach((name, i) => {
      const path = segments.slice(0, i + 1).join('/');
      if (i === segments.length - 1) {
        node.children.push({ name, path, file, children: [] });
        return;
      }
      let folder = node.children.find((c) => c.file === undefined && c.name === name);
      if (!folder) {
        folder = { name, path, children: [] };
        node.children.push(folder);
      }
      node = folder;
    });
  }
  const sort = (nodes: FileTreeNode[]) => {
    nodes.sort((a, b) => Number(a.file !== undefined) - Number(b.file !== undefined) || a.name.localeCompare(b.name));
    for (const n of nodes) sort(n.children);
  };
  sort(root.children);
  return root.children;
}

/** The editor language a file opens with, by its extension. */
export function languageOf(path: string): CellEditorDto['language'] {
  const ext = /\.([^./]+)$/.exec(path)?.[1]?.toLowerCase();
  switch (ext) {
    case 'py':
      return 'python';
    case 'sql':
      return 'sql';
    case 'yml':
    case 'yaml':
      return 'yaml';
    case 'sh':
    case 'bash':
      return 'shell';
    case 'js':
    case 'mjs':
    case 'cjs':
      return 'javascript';
    default:
      return 'text';
  }
}

/** Where a dropped or picked file goes: its name inside `folder` (the root when empty). */
export function uploadPath(folder: string, fileName: string): string {
  const name = fileName.split(/[\\/]/).pop() ?? fileName;
  return folder ? `${folder}/${name}` : name;
}
