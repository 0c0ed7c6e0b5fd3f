import { json } from '@/lib/api/http';
import { route } from '@/lib/server/route';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

export const GET = route<Ctx>(async (app, _req, { params }) => json(await app.runs.listForNotebook((await params).id)));
