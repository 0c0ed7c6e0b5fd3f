import { json } from '@/lib/api/http';
import { route } from '@/lib/server/route';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

export const POST = route<Ctx>(async (app, _req, { params }) => json(await app.notebooks.duplicate((await params).id), 201));
