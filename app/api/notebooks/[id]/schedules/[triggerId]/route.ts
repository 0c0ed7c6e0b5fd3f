import { json, readBody } from '@/lib/api/http';
import { route } from '@/lib/server/route';
import { setScheduleSchema } from '@/lib/api/schemas';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string; triggerId: string }> };

export const PATCH = route<Ctx>(async (app, req, { params }) => {
  const { id, triggerId } = await params;
  const { disabled } = await readBody(req, setScheduleSchema);
  return json(await app.schedules.setDisabled(id, triggerId, disabled));
});
