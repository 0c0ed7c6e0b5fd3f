/**
 * A cell's markdown note is saved with the notebook version it edited, like its code: the
 * route refuses a note save without a version (400) or on a stale one (409), and the page's
 * note save (lib/client/note-save) saves again by itself when only another cell changed, and
 * stops with Reload / Keep mine when this note changed, against the real route handlers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installApp } from '../../lib/server/app-holder';
import type { App } from '../../lib/server/app';
import type { ApiError, NotebookDto, PatchCellRequest } from '../../lib/contract';
import { ApiClientError } from '../../lib/client/api';
import { NoteConflictError, saveNote, type NoteSaveIo } from '../../lib/client/note-save';
import { LOG_FLOW, testApp } from './harness';
import * as cell from '../../app/api/notebooks/[id]/cells/[taskId]/route';
import * as notebook from '../../app/api/notebooks/[id]/route';

let app: App;
beforeAll(async () => {
  app = await testApp('sqlite');
  installApp(app);
});
afterAll(async () => {
  installApp(undefined);
  await app.close();
});

const params = <T>(p: T) => ({ params: Promise.resolve(p) });

async function patch(id: string, taskId: string, body: unknown): Promise<Response> {
  return cell.PATCH(new Request('http://127.0.0.1:3000/x', { method: 'PATCH', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }), params({ id, taskId }));
}

/** What the page's API client does with an answer: the body, or an ApiClientError with the status. */
async function answer<T>(res: Response): Promise<T> {
  const body = (await res.json()) as unknown;
  if (!res.ok) throw new ApiClientError(res.status, body as ApiError, res.url);
  return body as T;
}

/** One browser page: its own copy of the notebook, updated only by what it saves or fetches. */
function page(id: string, taskId: string, start: NotebookDto): NoteSaveIo & { shown: () => NotebookDto } {
  let mine = start;
  return {
    known: () => mine,
    get: async () => answer<NotebookDto>(await notebook.GET(new Request(`http://127.0.0.1:3000/api/notebooks/${id}`), params({ id }))),
    patch: async (body: PatchCellRequest) => answer<NotebookDto>(await patch(id, taskId, body)),
    apply: (nb) => (mine = nb),
    shown: () => mine,
  };
}

const noteOf = (nb: NotebookDto, taskId: string) => nb.cells.find((c) => c.taskId === taskId)?.note;

describe('note saves carry their version', () => {
  it('refuses a note save without a version (400) and on a stale version (409), keeping the other save', async () => {
    const { id } = await app.notebooks.create(LOG_FLOW);
    const { version } = await app.notebooks.get(id);
    expect((await patch(id, 'third', { note: 'no version' })).status).toBe(400);
    expect((await patch(id, 'third', { note: 'from the first page', version })).status).toBe(200);
    const stale = await patch(id, 'third', { note: 'from the second page', version });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as ApiError).error).toContain('saved elsewhere');
    expect(noteOf(await app.notebooks.get(id), 'third')).toBe('from the first page');
  });

  it('saves again by itself when only another cell changed since the page opened', async () => {
    const { id } = await app.notebooks.create(LOG_FLOW);
    const opened = await app.notebooks.get(id);
    await app.notebooks.patchCell(id, 'third', { code: 'changed by another page', version: opened.version });
    const p = page(id, 'second', opened);
    await saveNote(p, 'second', 'Why this cell logs.');
    const saved = await app.notebooks.get(id);
    expect(noteOf(saved, 'second')).toBe('Why this cell logs.');
    expect(saved.yaml).toContain('message: changed by another page');
    expect(noteOf(p.shown(), 'second')).toBe('Why this cell logs.');
  });

  it('stops on a note changed elsewhere; "Keep mine" saves over it, "Reload" takes it', async () => {
    const { id } = await app.notebooks.create(LOG_FLOW);
    const opened = await app.notebooks.get(id);
    const first = page(id, 'second', opened);
    const second = page(id, 'second', opened);
    await saveNote(first, 'second', 'note of the first page');

    const refused = await saveNote(second, 'second', 'note of the second page').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NoteConflictError);
    const conflict = refused as NoteConflictError;
    expect(conflict.message).toContain('changed elsewhere');
    expect(conflict.saved).toBe('note of the first page');
    expect(noteOf(await app.notebooks.get(id), 'second')).toBe('note of the first page');

    await conflict.keepMine('note of the second page');
    expect(noteOf(await app.notebooks.get(id), 'second')).toBe('note of the second page');

    // The first page, still on its old copy, saves again: refused in turn, and Reload takes the saved note.
    const back = (await saveNote(first, 'second', 'again from the first').catch((e: unknown) => e)) as NoteConflictError;
    expect(back).toBeInstanceOf(NoteConflictError);
    back.reload();
    expect(noteOf(first.shown(), 'second')).toBe('note of the second page');
    expect(noteOf(await app.notebooks.get(id), 'second')).toBe('note of the second page');
  });
});
