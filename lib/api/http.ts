/**
 * Helpers that keep route handlers thin: parse the body with a zod schema, run the
 * lib/ call, and turn an ApiProblem (or anything else) into a JSON response.
 */
import type { z } from 'zod';
import { ApiProblem, isApiProblem } from './errors';
import { getApp } from './app-holder';
import type { App } from './app';
import type { ApiError } from './types';

export function json<T>(body: T, status = 200, headers: Record<string, string> = {}): Response {
  // bigint (DuckDB, PostgreSQL int8 results) has no JSON form: it travels as a string.
  const text = JSON.stringify(body, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return new Response(text, {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

export function problemResponse(err: unknown): Response {
  if (isApiProblem(err)) return json<ApiError>(err.toBody(), err.status);
  console.error('flowbook: request failed:', err);
  return json<ApiError>({ error: err instanceof Error ? err.message : 'internal error' }, 500);
}

/** Wraps a handler: the app is passed in, any thrown problem becomes its response. */
export function route<C>(fn: (app: App, req: Request, ctx: C) => Promise<Response>): (req: Request, ctx: C) => Promise<Response> {
  return async (req, ctx) => {
    try {
      return await fn(getApp(), req, ctx);
    } catch (err) {
      return problemResponse(err);
    }
  };
}

export async function readBody<S extends z.ZodType>(req: Request, schema: S): Promise<z.infer<S>> {
  let raw: unknown;
  try {
    const text = await req.text();
    raw = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new ApiProblem(400, 'the request body is not valid JSON');
  }
  return parseWith(schema, raw, 'body');
}

export function parseWith<S extends z.ZodType>(schema: S, raw: unknown, where: string): z.infer<S> {
  const result = schema.safeParse(raw);
  if (!result.success) {
    const first = result.error.issues[0];
    const at = first?.path.length ? `${where}.${first.path.join('.')}` : where;
    throw new ApiProblem(400, `${at}: ${first?.message ?? 'invalid'}`);
  }
  return result.data;
}

export function queryOf(req: Request): Record<string, string> {
  return Object.fromEntries(new URL(req.url).searchParams.entries());
}
