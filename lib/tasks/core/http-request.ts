import { pipeline } from 'node:stream/promises';
import { Writable, type Transform } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import * as z from 'zod';
import { dynamic, isoDuration, stringish, taskSchema } from '../schema';
import { TaskError, type RunContext, type RunnableTaskDefinition } from '../types';
import { readProps, renderRecord, renderStringRecord } from './props';
import { headerLists, httpCall } from './http-transport';
import { parseDurationMs } from '../../model/duration';

/** A response body kept in the outputs must stay small: outputs live in the execution context. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

const properties = taskSchema(() => ({
  uri: stringish.describe('The URL to call. Host aliases apply.'),
  method: stringish.optional().describe('HTTP method (default GET).'),
  body: z.unknown().optional().describe('Request body; a map is sent as JSON.'),
  contentType: stringish.optional().describe('Content-Type of the body (default application/json).'),
  headers: z.union([z.record(z.string(), z.unknown()), z.string()]).optional().describe('Request headers as a map.'),
  options: z
    .object({
      allowFailed: dynamic(z.boolean()).optional().describe('Keep going on 4xx/5xx answers instead of failing.'),
      followRedirects: dynamic(z.boolean()).optional().describe('Follow redirects (default true).'),
      readTimeout: isoDuration.optional().describe('How long to wait for the answer (ISO-8601 duration).'),
      connectTimeout: isoDuration.optional().describe('How long to wait for the connection (ISO-8601 duration).'),
    })
    .passthrough()
    .optional()
    .describe('Client options: allowFailed, followRedirects, timeouts.'),
  // The rest of Kestra's AbstractHttp and Request (core/.../plugin/core/http/), accepted so a Kestra flow validates.
  formData: z.record(z.string(), z.unknown()).optional().describe('Form fields sent as the body (Kestra sends them url-encoded, or multipart with `contentType: multipart/form-data`). Not sent by Flowbook yet.'),
  allowFailed: dynamic(z.boolean()).optional().describe('Deprecated in Kestra: use `options.allowFailed`.'),
  sslOptions: z.record(z.string(), z.unknown()).optional().describe('Deprecated in Kestra: use `options.ssl`. Not used by Flowbook.'),
  encryptBody: dynamic(z.boolean()).optional().describe('Kestra keeps the body encrypted (output `encryptedBody`) when encryption is configured. Flowbook keeps it in `body`.'),
}));

export const httpRequest: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.http.Request',
  aliases: ['io.kestra.plugin.fs.http.Request', 'io.kestra.core.tasks.http.Request'],
  title: 'Call an HTTP API',
  description:
    'Sends one HTTP request and keeps the answer: status `code`, `headers` and the `body` as text. Use it to call a REST API, trigger a webhook, or check that a service is up. A 4xx or 5xx answer fails the task unless `options.allowFailed` is true. To save a large file, use Download instead: a Request body is held in the execution.',
  properties,
  outputs: ['uri', 'code', 'headers', 'body', 'encryptedBody'],
  editor: { property: 'body', language: 'text' },
  example: `id: api
type: io.kestra.plugin.core.http.Request
uri: https://dummyjson.com/products
method: GET
headers:
  accept: application/json`,
  async run(ctx) {
    const props = readProps(properties, ctx);
    const uri = ctx.renderString(props.uri);
    const method = props.method === undefined ? 'GET' : ctx.renderString(props.method);
    const headers = renderStringRecord(ctx, props.headers, 'headers');
    const options = props.options === undefined ? {} : renderRecord(ctx, props.options, 'options');
    let body: string | undefined;
    if (props.body !== undefined && props.body !== null) {
      const rendered = ctx.render(props.body);
      body = typeof rendered === 'string' ? rendered : JSON.stringify(rendered);
      const contentType = props.contentType === undefined ? 'application/json' : ctx.renderString(props.contentType);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = contentType;
    }
    const timeoutMs = timeoutOf(ctx, options.readTimeout ?? options.connectTimeout);
    const { response } = await httpCall(ctx, {
      uri,
      method,
      headers,
      body,
      timeoutMs,
      followRedirects: options.followRedirects !== false && options.followRedirects !== 'false',
    });
    const code = response.statusCode ?? 0;
    const text = await readBody(response, uri);
    const allowFailed = options.allowFailed === true || options.allowFailed === 'true';
    if (code >= 400 && !allowFailed) {
      throw new TaskError(`Request ${method} ${uri} failed with status ${code}${text ? `: ${text.slice(0, 500)}` : ''}`);
    }
    ctx.logger.debug(`${method} ${uri} answered ${code}`);
    return { outputs: { uri, code, headers: headerLists(response), body: text } };
  },
};

function timeoutOf(ctx: RunContext, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  return parseDurationMs(String(value), `task "${ctx.task.id}" timeout`);
}

async function readBody(response: IncomingMessage, uri: string): Promise<string> {
  const encoding = String(response.headers['content-encoding'] ?? '').toLowerCase();
  const chunks: Buffer[] = [];
  let size = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return done(new TaskError(`${uri}: the response body is larger than 10 MB; use io.kestra.plugin.core.http.Download for files`));
      chunks.push(chunk);
      done();
    },
  });
  const decoder = decoderFor(encoding);
  if (decoder) await pipeline(response, decoder, sink);
  else await pipeline(response, sink);
  return Buffer.concat(chunks).toString('utf8');
}

function decoderFor(encoding: string): Transform | undefined {
  // Loaded when an answer is compressed, not at start.
  const zlib = process.getBuiltinModule('node:zlib');
  if (encoding === 'gzip' || encoding === 'x-gzip') return zlib.createGunzip();
  if (encoding === 'deflate') return zlib.createInflate();
  if (encoding === 'br') return zlib.createBrotliDecompress();
  return undefined;
}
