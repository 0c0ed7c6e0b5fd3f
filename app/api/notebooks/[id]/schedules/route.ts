import { json, route } from '@/lib/api/http';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

export const GET = route<Ctx>(async (app, _req, { params }) => json(await app.schedules.list((await params).id)));
