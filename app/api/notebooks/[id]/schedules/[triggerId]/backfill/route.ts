import { json, readBody } from '@/lib/api/http';
import { route } from '@/lib/server/route';
import { backfillSchema } from '@/lib/api/schemas';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string; triggerId: string }> };

export const POST = route<Ctx>(async (app, req, { params }) => {
  const { id, triggerId } = await params;
  return json(await app.schedules.backfill(id, triggerId, await readBody(req, backfillSchema)), 202);
});
