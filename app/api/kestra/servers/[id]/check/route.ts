import { json } from '@/lib/api/http';
import { route } from '@/lib/server/route';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

/** Asks the server for one flow: says whether the address, tenant and credentials work. */
export const POST = route<Ctx>(async (app, _req, { params }) => json(await app.kestra.check((await params).id)));
