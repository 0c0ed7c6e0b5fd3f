import { json } from '@/lib/api/http';
import { route } from '@/lib/server/route';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

export const POST = route<Ctx>(async (app, _req, { params }) => {
  const id = (await params).id;
  // A run on a Kestra server is stopped there: Kestra kills it, the followed events end it here.
  if (app.kestra.runs.isFollowing(id)) return json(await app.kestra.runs.cancel(id));
  return json(await app.runs.cancel(id));
});
