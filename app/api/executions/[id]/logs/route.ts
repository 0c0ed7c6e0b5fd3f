import { json, parseWith, queryOf } from '@/lib/api/http';
import { route } from '@/lib/server/route';
import { logsQuerySchema } from '@/lib/api/schemas';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

export const GET = route<Ctx>(async (app, req, { params }) => {
  const q = parseWith(logsQuerySchema, queryOf(req), 'query');
  return json(await app.runs.logs((await params).id, q.after, q.limit));
});
