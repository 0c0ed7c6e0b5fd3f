/**
 * Helpers that keep route handlers thin: parse the body with a zod schema, answer JSON,
 * and turn a thrown Problem (or anything else) into a response: the one place where a
 * domain problem becomes an HTTP status.
 */
import type { z } from 'zod';
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

export async function readBody<S extends z.ZodType>(req: Request, schema: S): Promise<z.infer<S>> {
  let raw: unknown;
  try {
    const text = await req.text();
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
