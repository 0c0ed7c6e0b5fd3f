/**
 * Helpers that keep route handlers thin: parse the body with a zod schema, answer JSON,
 * and turn a thrown Problem (or anything else) into a response: the one place where a
 * domain problem becomes an HTTP status.
 */
import type * as z from 'zod';
import { Problem, isProblem, type ProblemKind } from '../model/problem';
import type { ApiError } from '../contract';

export function json<T>(body: T, status = 200, headers: Record<string, string> = {}): Response {
  // bigint (DuckDB, PostgreSQL int8 results) has no JSON form: it travels as a string.
  const text = JSON.stringify(body, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return new Response(text, {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

const STATUS: Record<ProblemKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'too-large': 413,
  unprocessable: 422,
  unavailable: 503,
};

/** The HTTP status a thrown error answers with: its kind's for a Problem, 500 for anything else. */
export function httpStatus(err: unknown): number {
  return isProblem(err) ? STATUS[err.kind] : 500;
}

export function problemResponse(err: unknown): Response {
  if (isProblem(err)) return json<ApiError>({ error: err.message, ...err.details }, httpStatus(err));
  console.error('flowbook: request failed:', err);
  return json<ApiError>({ error: err instanceof Error ? err.message : 'internal error' }, 500);
}

/** The largest JSON request body any route reads; files go through the upload route under its own cap. */
export const MAX_JSON_BODY_BYTES = 10 * 1024 * 1024;

/**
 * How long a refused body's connection stays open, unread, before it is closed. Nothing
 * more of the body is read (the client's sending stalls); the pause gives the client
 * time to read the 413 it was sent, since a connection closed while the client is still
 * sending can make it lose that answer.
 */
const CLOSE_REFUSED_AFTER_MS = 3_000;

function tooLarge(limit: number): Problem {
  return new Problem('too-large', `the request body is larger than ${limit / 1024 / 1024} MB, the most a JSON request may carry (files go through a FILE input's upload)`);
}

/** Stops reading a refused body: nothing more of it is read, and its connection closes after a pause. */
function abandon(reader: ReadableStreamDefaultReader<Uint8Array>): void {
  setTimeout(() => void reader.cancel().catch(() => undefined), CLOSE_REFUSED_AFTER_MS).unref();
}

/**
 * The body as text, read as a stream and refused (413) as soon as it passes `limit`:
 * a declared Content-Length over the limit is refused before anything is read, and a
 * body that grows past it is refused at the chunk that passes it. Nothing past the
 * limit is kept in memory.
 */
export async function readText(req: Request, limit = MAX_JSON_BODY_BYTES): Promise<string> {
  return Buffer.from(await readBytes(req, limit)).toString('utf8');
}

/** The body as bytes, under the same rules as readText (a .zip upload reads it so, with its own limit). */
export async function readBytes(req: Request, limit: number, what?: string): Promise<Uint8Array> {
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const refuse = () => (what ? new Problem('too-large', `${what} is larger than ${limit / 1024 / 1024} MB, the most it may be`) : tooLarge(limit));
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    abandon(reader);
    throw refuse();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      next = await reader.read();
    } catch (err) {
      throw new Problem('invalid', 'the request body could not be read: the client stopped sending it', {}, { cause: err });
    }
    if (next.done) break;
    size += next.value.byteLength;
    if (size > limit) {
      chunks.length = 0;
      abandon(reader);
      throw refuse();
    }
    chunks.push(next.value);
  }
  return Buffer.concat(chunks, size);
}

export async function readBody<S extends z.ZodType>(req: Request, schema: S, limit = MAX_JSON_BODY_BYTES): Promise<z.infer<S>> {
  const text = await readText(req, limit);
  let raw: unknown;
  try {
    raw = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new Problem('invalid', 'the request body is not valid JSON');
  }
  return parseWith(schema, raw, 'body');
}

export function parseWith<S extends z.ZodType>(schema: S, raw: unknown, where: string): z.infer<S> {
  const result = schema.safeParse(raw);
  if (!result.success) {
    const first = result.error.issues[0];
    const at = first?.path.length ? `${where}.${first.path.join('.')}` : where;
    throw new Problem('invalid', `${at}: ${first?.message ?? 'invalid'}`);
  }
  return result.data;
}

export function queryOf(req: Request): Record<string, string> {
  return Object.fromEntries(new URL(req.url).searchParams.entries());
}
