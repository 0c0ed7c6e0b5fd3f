/**
 * Files a user uploads for a notebook's FILE inputs. Each upload is stored as
 * `<dataDir>/uploads/<notebookId>/<uploadId>/<safeName>`: the server picks the folder
 * (a random UUID) and reduces the user's file name to a plain basename, so no part of a
 * path the user sent is ever joined onto the disk path. A run passes the upload's token
 * (`upload:<uploadId>/<safeName>`) as the input value; the run service turns it back into
 * the stored file, which the engine copies into the execution's storage.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Problem, isProblem } from '../model/problem';

import { MAX_UPLOAD_BYTES, UPLOAD_TOKEN_PREFIX, type UploadDto } from '../contract';

const UPLOAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,119}$/;
const NOTEBOOK_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The last segment of a user's file name with anything but letters, digits, `.`, `_`, `-` replaced. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[.-]+/, '').slice(-120);
  return SAFE_NAME.test(cleaned) ? cleaned : 'upload';
}

export function isUploadToken(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(UPLOAD_TOKEN_PREFIX);
}

function tooLarge(limit: number, size: number | string): Problem {
  return new Problem('too-large', `the file is larger than the upload limit of ${+(limit / 1024 / 1024).toFixed(2)} MB (${size} bytes)`);
}

export class UploadStore {
  private readonly root: string;

  constructor(
    dataDir: string,
    private readonly maxBytes = MAX_UPLOAD_BYTES,
  ) {
    this.root = path.join(path.resolve(dataDir), 'uploads');
  }

  private notebookDir(notebookId: string): string {
    if (!NOTEBOOK_ID.test(notebookId)) throw new Problem('invalid', `not a notebook id: ${JSON.stringify(notebookId)}`);
    return path.join(this.root, notebookId);
  }

  /** Streams the body to disk, refusing it (and leaving nothing behind) past the size limit. */
  async save(notebookId: string, fileName: string, body: ReadableStream<Uint8Array> | null, declaredLength?: number): Promise<UploadDto> {
    const limit = this.maxBytes;
    if (declaredLength !== undefined && declaredLength > limit) throw tooLarge(limit, declaredLength);
    if (!body) throw new Problem('invalid', 'the upload has no body: send the file as the request body');
    const uploadId = randomUUID();
    const name = safeFileName(fileName);
    const dir = path.join(this.notebookDir(notebookId), uploadId);
    await fs.promises.mkdir(dir, { recursive: true });
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > limit) done(tooLarge(limit, `more than ${limit}`));
        else done(null, chunk);
      },
    });
    try {
      // `wx`: the folder is new, so an existing file here would mean something is wrong.
      await pipeline(Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>), counter, fs.createWriteStream(path.join(dir, name), { flags: 'wx' }));
    } catch (err) {
      await fs.promises.rm(dir, { recursive: true, force: true });
      if (isProblem(err)) throw err;
      throw new Problem('invalid', `the upload of ${name} did not complete: ${err instanceof Error ? err.message : String(err)}`, {}, { cause: err });
    }
    return { token: `${UPLOAD_TOKEN_PREFIX}${uploadId}/${name}`, name, size };
  }

  /**
   * The stored file a token names, for the input `inputId`. The token is checked against
   * the exact forms `save` produces; a token from another notebook is not found.
   */
  resolve(notebookId: string, inputId: string, token: string): string {
    const rest = token.slice(UPLOAD_TOKEN_PREFIX.length);
    const slash = rest.indexOf('/');
    const uploadId = rest.slice(0, slash);
    const name = rest.slice(slash + 1);
    if (slash < 0 || !UPLOAD_ID.test(uploadId) || !SAFE_NAME.test(name)) {
      throw new Problem('unprocessable', `input ${inputId}: ${JSON.stringify(token)} is not an upload token`, { inputId });
    }
    const file = path.join(this.notebookDir(notebookId), uploadId, name);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(file);
    } catch {
      throw new Problem('unprocessable', `input ${inputId}: the uploaded file ${name} is no longer on the server: upload it again`, { inputId });
    }
    if (!st.isFile()) throw new Problem('unprocessable', `input ${inputId}: the upload ${name} is not a regular file`, { inputId });
    return file;
  }
}
