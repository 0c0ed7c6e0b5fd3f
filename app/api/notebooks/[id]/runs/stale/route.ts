import * as z from 'zod';
import { json, readBody } from '@/lib/api/http';
import { route } from '@/lib/server/route';
import { StaleRunner } from '@/lib/notebooks/stale-runs';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

const runStaleSchema = z.object({ inputs: z.record(z.string(), z.unknown()).optional() }).strict();

/** Runs the notebook's stale cells in flow order, one execution each; answers with the first. */
export const POST = route<Ctx>(async (app, req, { params }) => {
  const body = await readBody(req, runStaleSchema);
  return json(await new StaleRunner(app.db, app.runs, app.notebooks).start((await params).id, body.inputs ?? {}), 202);
});
