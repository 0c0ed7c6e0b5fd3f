import { json } from '@/lib/api/http';
import { route } from '@/lib/server/route';

export const dynamic = 'force-dynamic';

export const GET = route(async (app) => json(await app.status()));
