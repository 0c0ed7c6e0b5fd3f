import * as z from 'zod';
import { json, readBody } from '@/lib/api/http';
import { route } from '@/lib/server/route';
import { shareLinks, followUrl } from '@/lib/server/share';
import type { ShareLinkCreated, ShareLinkDto } from '@/lib/contract/share';

export const dynamic = 'force-dynamic';
const shareSchema = z.object({ minutes: z.number().positive().max(7 * 24 * 60).optional() }).strict();
type Ctx = { params: Promise<{ id: string }> };

/** The notebook's live share links (their tokens are never shown again). */
export const GET = route<Ctx>(async (app, _req, { params }) => {
  const { id } = await params;
  await app.notebooks.row(id);
  return json<ShareLinkDto[]>(shareLinks().list(id));
});

/** A new read-only link for a class: `{ minutes? }` (default 4 hours, at most 7 days). */
export const POST = route<Ctx>(async (app, req, { params }) => {
  const { id } = await params;
  await app.notebooks.row(id);
  const { minutes } = await readBody(req, shareSchema);
  const { token, link } = shareLinks().create(id, minutes === undefined ? undefined : minutes * 60_000);
  return json<ShareLinkCreated>({ ...link, url: followUrl(id, token) }, 201);
});
