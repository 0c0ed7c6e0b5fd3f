import { json, readBody, queryOf } from '@/lib/api/http';
import { route } from '@/lib/server/route';
import { createNotebookSchema } from '@/lib/api/schemas';

export const dynamic = 'force-dynamic';

export const GET = route(async (app, req) => {
  const q = queryOf(req);
  return json(await app.notebooks.list({ q: q.q, deleted: q.deleted === '1' }));
});

export const POST = route(async (app, req) => {
  const body = await readBody(req, createNotebookSchema);
  return json(await app.notebooks.create(body.yaml), 201);
});
