import { FollowView } from '@/components/follow/FollowView';

/** What a share link opens: the notebook read-only, following the teacher's runs live. */
export default async function FollowPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <FollowView id={decodeURIComponent(id)} />;
}
