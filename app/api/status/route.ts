import { json, route } from '@/lib/api/http';

export const dynamic = 'force-dynamic';

export const GET = route(async (app) => json(await app.status()));
