/** The upload contract shared by the server (lib/notebooks/uploads.ts) and the browser. */

export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;
export const UPLOAD_TOKEN_PREFIX = 'upload:';

/** What POST /api/notebooks/:id/uploads answers: the token to send as the FILE input's value. */
export interface UploadDto {
  /** `upload:<uploadId>/<storedName>` */
  token: string;
  /** The stored file name (the task sees this name). */
  name: string;
  size: number;
}
