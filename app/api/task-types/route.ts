import { json } from '@/lib/api/http';
import { route } from '@/lib/server/route';
import { allTaskDefinitions } from '@/lib/tasks/registry';
import type { TaskTypeDto } from '@/lib/contract';

export const dynamic = 'force-dynamic';

export const GET = route(async () =>
  json<TaskTypeDto[]>(
    allTaskDefinitions().map((d) => ({
      type: d.type,
      aliases: [...(d.aliases ?? [])],
      title: d.title,
      description: d.description,
      example: d.example,
      kind: d.kind,
      editor: d.editor,
    })),
  ),
);
