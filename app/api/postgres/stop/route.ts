import type { PostgresStatusDto } from '@/lib/contract';
import { json } from '@/lib/api/http';
import { route } from '@/lib/server/route';

export const dynamic = 'force-dynamic';

export const POST = route(async (app) => json<PostgresStatusDto>(await app.postgres.stop()));
