import { json } from '@/lib/api/http';
import { route } from '@/lib/server/route';
import { shareLinks } from '@/lib/server/share';
import { Problem } from '@/lib/model/problem';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string; shareId: string }> };

/** Revokes a link: its viewers are disconnected and it opens nothing any more. */
export const DELETE = route<Ctx>(async (_app, _req, { params }) => {
  const { id, shareId } = await params;
  if (!shareLinks().revoke(id, shareId)) throw Problem.notFound(`share link ${shareId}`);
  return json({ revoked: true });
});
