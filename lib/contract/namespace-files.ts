/**
 * Namespace files over the wire: the files a flow's `namespaceFiles`, `fileURI()` and the
 * Kestra export read, kept per namespace. Paths are relative to the namespace's root and
 * `/`-separated (`scripts/hello.py`). Shared by lib/notebooks/namespace-files.ts and the page.
 */

/** The most one namespace file may hold (an upload or a save). */
export const MAX_NAMESPACE_FILE_BYTES = 20 * 1024 * 1024;
/** The most all of a namespace's files may hold together: export and deploy read them whole. */
export const MAX_NAMESPACE_BYTES = 100 * 1024 * 1024;
/** The most files one namespace may hold. */
export const MAX_NAMESPACE_FILE_COUNT = 2000;
/** Files up to this size open in the editor; larger ones can only be downloaded or replaced. */
export const MAX_EDITABLE_BYTES = 2 * 1024 * 1024;
/** The longest path a namespace file may have. */
export const MAX_NAMESPACE_PATH_LENGTH = 512;

export interface NamespaceFileDto {
  path: string;
  size: number;
  /** ISO time of the last change. */
  modified: string;
}

/** GET /api/namespaces/:namespace/files */
export interface NamespaceFileListDto {
  namespace: string;
  files: NamespaceFileDto[];
  /** Bytes held by all files, against MAX_NAMESPACE_BYTES. */
  totalBytes: number;
}

/** GET /api/namespaces/:namespace/files/content?path=… (JSON): one file for the editor. */
export interface NamespaceFileContentDto extends NamespaceFileDto {
  /** A hash of the content: a save sends it back, and a save made on an older one is refused (409). */
  version: string;
  /** The text, or null when the file is not UTF-8 text or is larger than MAX_EDITABLE_BYTES. */
  content: string | null;
  /** Why `content` is null. */
  notEditable?: string;
}

/** POST /api/namespaces/:namespace/files: a new text file; refused (409) when the path exists. */
export interface CreateNamespaceFileRequest {
  path: string;
  content: string;
}

/** PUT …/files/content?path=…: a save of what the editor loaded at `version`. */
export interface SaveNamespaceFileRequest {
  content: string;
  version: string;
}

/** POST …/files/rename */
export interface RenameNamespaceFileRequest {
  from: string;
  to: string;
}
