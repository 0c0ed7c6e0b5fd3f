import { json, readBody } from '@/lib/api/http';
import { route } from '@/lib/server/route';
import { insertCellSchema } from '@/lib/api/schemas';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

export const POST = route<Ctx>(async (app, req, { params }) => {
  const body = await readBody(req, insertCellSchema);
  return json(await app.notebooks.insertCell((await params).id, body.afterTaskId, body.source), 201);
});
