/**
 * HTTP for the http tasks: follows redirects itself so every hop goes through the host
 * aliases, and hands back the raw response stream (a `.csv.gz` is stored byte for byte,
 * never silently decompressed).
 */
import type { IncomingMessage } from 'node:http';
import { TaskError, type RunContext } from '../types';

const MAX_REDIRECTS = 10;

export interface HttpCall {
  uri: string;
  method: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Per-attempt connect + response-headers timeout. */
  timeoutMs?: number;
  followRedirects?: boolean;
}

export interface HttpResponse {
  response: IncomingMessage;
  /** The URL that finally answered, after redirects (as the flow wrote it, before aliasing). */
  finalUri: string;
}

export async function httpCall(ctx: RunContext, call: HttpCall): Promise<HttpResponse> {
  let uri = call.uri;
  let method = call.method.toUpperCase();
  let body = call.body;
  for (let hop = 0; ; hop++) {
    const response = await once(ctx, uri, method, call.headers, body, call.timeoutMs);
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (call.followRedirects === false || status < 300 || status >= 400 || status === 304 || !location) {
      return { response, finalUri: uri };
    }
    response.resume();
    if (hop >= MAX_REDIRECTS) throw new TaskError(`${call.uri}: more than ${MAX_REDIRECTS} redirects`);
    uri = new URL(location, uri).toString();
    if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
    }
  }
}

function once(
  ctx: RunContext,
  uri: string,
  method: string,
  headers: Record<string, string>,
  body: string | Buffer | undefined,
  timeoutMs: number | undefined,
): Promise<IncomingMessage> {
  let url: URL;
  try {
    url = new URL(ctx.hostAliases.rewriteUrl(uri));
  } catch (err) {
    throw new TaskError(`"${uri}" is not a valid URL`, { cause: err });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TaskError(`"${uri}": only http and https URLs can be requested`);
  }
  // Loaded at the first request, not at start: most flows make none, and node:https brings TLS.
  const client = url.protocol === 'https:' ? process.getBuiltinModule('node:https') : process.getBuiltinModule('node:http');
  const aliased = url.host !== new URL(uri).host;
  return new Promise<IncomingMessage>((resolve, reject) => {
    const req = client.request(
      url,
      {
        method,
        headers: { 'user-agent': 'flowbook', ...headers },
        signal: ctx.signal,
        timeout: timeoutMs,
      },
      resolve,
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => {
      if (ctx.signal.aborted) return reject(err);
      const where = aliased ? `${uri} (via host alias ${url.host})` : uri;
      reject(new TaskError(`${method} ${where} failed: ${err.message}`, { cause: err }));
    });
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** Kestra shows headers as lists of values per name. */
export function headerLists(response: IncomingMessage): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (let i = 0; i < response.rawHeaders.length; i += 2) {
    const name = response.rawHeaders[i].toLowerCase();
    (out[name] ??= []).push(response.rawHeaders[i + 1]);
  }
  return out;
}
