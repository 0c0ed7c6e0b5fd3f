import { json, readBody } from '@/lib/api/http';
import { route } from '@/lib/server/route';
import { settingsSchema } from '@/lib/api/schemas';

export const dynamic = 'force-dynamic';

export const GET = route(async (app) => json(await app.settings.get()));

export const PUT = route(async (app, req) => {
  const body = await readBody(req, settingsSchema);
  return json(await app.settings.setHostAliases(body.hostAliases));
});
