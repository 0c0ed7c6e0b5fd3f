import { json, readBody } from '@/lib/api/http';
import { route } from '@/lib/server/route';
import { startRunSchema } from '@/lib/api/schemas';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

export const POST = route<Ctx>(async (app, req, { params }) => {
  const body = await readBody(req, startRunSchema);
  return json(await app.runs.start((await params).id, body), 202);
});
