import { json } from '@/lib/api/http';
import { route } from '@/lib/server/route';

export const dynamic = 'force-dynamic';

/** Names and dates only: values never leave the server. */
export const GET = route(async (app) => json(await app.secrets.list()));
