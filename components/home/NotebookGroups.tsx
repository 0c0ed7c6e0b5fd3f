'use client';
/**
 * The home page's notebooks grouped: each course collection under its title, its notebooks in
 * course order (with an export link), then the notebooks that belong to no course.
 */
import { Fragment, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { CollectionDto, NotebookSummary } from '@/lib/contract';
import { coursesApi } from '@/lib/client/courses';
import { Markdown } from '@/components/ui/Markdown';

export function NotebookGroups({ notebooks, row }: { notebooks: NotebookSummary[]; row: (nb: NotebookSummary) => ReactNode }) {
  const collections = useQuery({ queryKey: ['collections'], queryFn: coursesApi.list });
  const byId = new Map(notebooks.map((nb) => [nb.id, nb]));
  const grouped = new Set<string>();
  const groups = (collections.data ?? []).map((c) => {
    const members = c.notebookIds.flatMap((id) => byId.get(id) ?? []);
    for (const nb of members) grouped.add(nb.id);
    return { collection: c, members };
  });
  const loose = notebooks.filter((nb) => !grouped.has(nb.id));
  return (
    <div className="space-y-8">
      {groups
        .filter((g) => g.members.length > 0)
        .map(({ collection, members }) => (
          <Collection key={collection.id} collection={collection}>
            {members.map((nb) => (
              <Fragment key={nb.id}>
                {row(nb)}
                {collection.notes[nb.id] && (
                  <li className="-mt-2 ml-4 list-none text-[13px]">
                    <details data-testid="notebook-notes">
                      <summary className="text-muted cursor-pointer text-xs">Notes on {nb.name ?? nb.flowId}</summary>
                      <Markdown text={collection.notes[nb.id]} className="surface rounded-lg border p-3" />
                    </details>
                  </li>
                )}
              </Fragment>
            ))}
          </Collection>
        ))}
      {loose.length > 0 && (
        <section className="space-y-3">
          {groups.some((g) => g.members.length > 0) && <h2 className="text-muted text-sm font-semibold tracking-wide uppercase">Other notebooks</h2>}
          <ul className="grid gap-3" data-testid="notebook-list">
            {loose.map(row)}
          </ul>
        </section>
      )}
    </div>
  );
}

function Collection({ collection, children }: { collection: CollectionDto; children: ReactNode }) {
  const intro = collection.readme?.replace(/^#[^\n]*\n+/, '').trim();
  return (
    <section className="space-y-3" data-testid="collection" data-title={collection.title} aria-label={`Course ${collection.title}`}>
      <header className="flex items-baseline gap-3">
        <h2 className="text-lg font-semibold" data-testid="collection-title">
          {collection.title}
        </h2>
        <span className="text-muted text-xs">
          course · {collection.notebookIds.length} notebook{collection.notebookIds.length === 1 ? '' : 's'}
        </span>
        <span className="flex-1" />
        <a className="text-xs underline" href={coursesApi.exportUrl(collection.id)} download data-testid="collection-export">
          ⤓ Export .zip
        </a>
      </header>
      {intro && <Markdown text={intro} className="text-muted line-clamp-3 text-[13px]" />}
      <ol className="grid gap-3">{children}</ol>
    </section>
  );
}
