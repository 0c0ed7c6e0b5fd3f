import type { PostgresStatusDto } from '@/lib/contract';
import { json } from '@/lib/api/http';
import { route } from '@/lib/server/route';

export const dynamic = 'force-dynamic';

/** Whether the built-in PostgreSQL runs, on which port, and why its last start failed. */
export const GET = route(async (app) => json<PostgresStatusDto>(app.postgres.status()));
