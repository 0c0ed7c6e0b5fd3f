/**
 * Uploading a file for a FILE input: the file is the raw request body (streamed to disk
 * on the server, no multipart buffering), and the answer's token is the input's value.
 */
import { MAX_UPLOAD_BYTES, type UploadDto } from '@/lib/contract';
import { ApiClientError, postRaw } from './api';
import { formatBytes } from './format';

export { MAX_UPLOAD_BYTES, type UploadDto } from '@/lib/contract';

export async function uploadFile(notebookId: string, file: File): Promise<UploadDto> {
  const url = `/api/notebooks/${encodeURIComponent(notebookId)}/uploads?name=${encodeURIComponent(file.name)}`;
  // Checked here too so a too-large file is refused before it is sent.
  if (file.size > MAX_UPLOAD_BYTES) {
    throw new ApiClientError(413, { error: `${file.name} is ${formatBytes(file.size)}: the upload limit is ${formatBytes(MAX_UPLOAD_BYTES)}` }, url);
  }
  return postRaw<UploadDto>(url, file, 'application/octet-stream', { verb: 'upload', subject: file.name });
}
