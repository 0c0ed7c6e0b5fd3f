import { json, readBody } from '@/lib/api/http';
import { route } from '@/lib/server/route';
import { resumeExecutionSchema } from '@/lib/api/schemas';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

/** Kestra's `POST /executions/{id}/resume`: the paused task goes on with its onResume inputs (422 names a bad one). */
export const POST = route<Ctx>(async (app, req, { params }) => {
  const body = await readBody(req, resumeExecutionSchema);
  return json(await app.runs.resume((await params).id, body.inputs ?? {}));
});
