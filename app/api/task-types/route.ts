import { json, route } from '@/lib/api/http';
import { allTaskDefinitions } from '@/lib/tasks/registry';
import type { TaskTypeDto } from '@/lib/api/types';

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
