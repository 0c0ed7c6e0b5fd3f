import { json, parseWith, queryOf, readBody } from '@/lib/api/http';
import { route } from '@/lib/server/route';
import { remoteRunSchema, remoteRunsQuerySchema } from '@/lib/api/kestra-schemas';

export const dynamic = 'force-dynamic';

/** A notebook's latest runs on Kestra servers, with their links to Kestra's UI. */
export const GET = route(async (app, req) => {
  const { notebookId } = parseWith(remoteRunsQuerySchema, queryOf(req), 'query');
  return json(await app.kestra.runs.list(notebookId));
});

/** Starts the deployed flow on a Kestra server; its execution then shows in the notebook's cells. */
export const POST = route(async (app, req) => {
  const body = await readBody(req, remoteRunSchema);
  return json(await app.kestra.runs.start(body), 202);
});
