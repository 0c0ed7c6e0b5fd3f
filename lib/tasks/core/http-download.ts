import fsp from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import { dynamic, stringish, taskSchema } from '../schema';
import { TaskError, type RunnableTaskDefinition } from '../types';
import { readProps, renderBoolean, renderStringRecord } from './props';
import { headerLists, httpCall } from './http-transport';

const properties = taskSchema(() => ({
  uri: stringish.describe('The URL to download. Host aliases apply, so compose host names work locally.'),
  method: stringish.optional().describe('HTTP method (default GET).'),
  headers: z.union([z.record(z.string(), z.unknown()), z.string()]).optional().describe('Request headers as a map.'),
  body: stringish.optional().describe('Request body, for POST downloads.'),
  failOnEmptyResponse: dynamic(z.boolean()).optional().describe('Fail when the server sends an empty body (default true).'),
  // The rest of Kestra's AbstractHttp (core/.../plugin/core/http/AbstractHttp.java), accepted so a Kestra flow validates.
  contentType: stringish.optional().describe('Content-Type of the body (Kestra default application/json).'),
  options: z.record(z.string(), z.unknown()).optional().describe("Kestra's HTTP client options (timeouts, allowFailed, ssl, …). Not used by Flowbook's Download yet."),
  formData: z.record(z.string(), z.unknown()).optional().describe('Form fields sent as the body (Kestra sends them url-encoded, or multipart with `contentType: multipart/form-data`). Not sent by Flowbook yet.'),
  allowFailed: dynamic(z.boolean()).optional().describe('Deprecated in Kestra: use `options.allowFailed`.'),
  sslOptions: z.record(z.string(), z.unknown()).optional().describe('Deprecated in Kestra: use `options.ssl`. Not used by Flowbook.'),
}));

export const httpDownload: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.http.Download',
  aliases: ['io.kestra.plugin.fs.http.Download', 'io.kestra.core.tasks.http.Download'],
  title: 'Download a file',
  description:
    "Downloads a file over HTTP(S) into Kestra's internal storage and outputs its `uri`, so later tasks can read it (for example a CSV to load into a database). The file is stored exactly as the server sent it, so a `.csv.gz` stays compressed. The outputs also give the HTTP status `code`, the `length` in bytes and the response `headers`.",
  properties,
  outputs: ['uri', 'code', 'length', 'headers'],
  example: `id: extract
type: io.kestra.plugin.core.http.Download
uri: https://github.com/DataTalksClub/nyc-tlc-data/releases/download/yellow/yellow_tripdata_2019-01.csv.gz`,
  async run(ctx) {
    const props = readProps(properties, ctx);
    const uri = ctx.renderString(props.uri);
    const method = props.method === undefined ? 'GET' : ctx.renderString(props.method);
    const headers = renderStringRecord(ctx, props.headers, 'headers');
    const body = props.body === undefined ? undefined : ctx.renderString(props.body);
    const { response, finalUri } = await httpCall(ctx, { uri, method, headers, body });
    const code = response.statusCode ?? 0;
    if (code >= 400) {
      response.resume();
      throw new TaskError(`Failed to download ${uri}: the server answered ${code} ${response.statusMessage ?? ''}`.trim());
    }
    const fileName = fileNameOf(response.headers['content-disposition'], finalUri);
    const storageUri = ctx.storage.taskFileUri(ctx.scope, fileName);
    // Storage attaches its pipeline after an await; until then an early error must not go
    // unheard (the pipeline still reports it, as a premature close).
    response.on('error', () => undefined);
    try {
      await ctx.storage.putStream(storageUri, response);
    } catch (err) {
      // A half-written file must not look like a download.
      await fsp.rm(ctx.storage.resolve(storageUri), { force: true });
      if (ctx.signal.aborted) throw err;
      throw new TaskError(`Download of ${uri} was interrupted: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    const length = ctx.storage.size(storageUri);
    if (length === 0 && renderBoolean(ctx, props.failOnEmptyResponse, true)) {
      throw new TaskError(`${uri} returned an empty response (set failOnEmptyResponse: false to accept it)`);
    }
    ctx.logger.info(`Downloaded ${length} bytes from ${uri} to ${storageUri}`);
    ctx.metric('response.length', 'counter', length);
    return { outputs: { uri: storageUri, code, length, headers: headerLists(response) } };
  },
};

/** Content-Disposition's filename (RFC 6266, `filename*` first), else the URL's last path segment. */
export function fileNameOf(disposition: string | undefined, uri: string): string {
  if (disposition) {
    const star = /filename\*\s*=\s*(?:[\w-]+'[^']*')?("?)([^";]+)\1/i.exec(disposition);
    const plain = /filename\s*=\s*("?)([^";]+)\1/i.exec(disposition);
    const raw = star?.[2] ?? plain?.[2];
    if (raw) {
      let decoded = raw;
      try {
        decoded = decodeURIComponent(raw);
      } catch {
        // keep the raw name: a malformed escape is still a usable name
      }
      const base = path.posix.basename(decoded.replace(/\\/g, '/')).trim();
      if (base && base !== '.' && base !== '..') return base;
    }
  }
  const last = decodeURIComponent(new URL(uri).pathname.split('/').filter(Boolean).pop() ?? '');
  return last && last !== '..' ? last : 'download';
}
