/**
 * Uploading a file for a FILE input: the file is the raw request body (streamed to disk
 * on the server, no multipart buffering), and the answer's token is the input's value.
 */
import type { ApiError } from '@/lib/contract';
import { MAX_UPLOAD_BYTES, type UploadDto } from '@/lib/contract';
import { ApiClientError } from './api';
import { formatBytes } from './format';

export { MAX_UPLOAD_BYTES, type UploadDto } from '@/lib/contract';

export async function uploadFile(notebookId: string, file: File): Promise<UploadDto> {
  const url = `/api/notebooks/${encodeURIComponent(notebookId)}/uploads?name=${encodeURIComponent(file.name)}`;
  // Checked here too so a too-large file is refused before it is sent.
  if (file.size > MAX_UPLOAD_BYTES) {
    throw new ApiClientError(413, { error: `${file.name} is ${formatBytes(file.size)}: the upload limit is ${formatBytes(MAX_UPLOAD_BYTES)}` }, url);
  }
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: file });
  } catch (err) {
    throw new ApiClientError(0, { error: `cannot reach the server to upload ${file.name}: ${String(err)}` }, url);
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const err = typeof body === 'object' && body !== null && typeof (body as ApiError).error === 'string' ? (body as ApiError) : { error: `upload of ${file.name} failed: ${res.status} ${text.slice(0, 200)}` };
    throw new ApiClientError(res.status, err, url);
  }
  return body as UploadDto;
}
