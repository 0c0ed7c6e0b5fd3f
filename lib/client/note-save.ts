/**
 * Saving a cell's markdown note with the notebook version it edited, as cell code saves do.
 * When someone saved the notebook meanwhile (409) but left this note alone, the note is saved
 * again on the current version by itself; when they changed this note too, the save stops
 * with a NoteConflictError and the user picks: reload (take their note) or keep mine (save
 * mine over it).
 */
import type { NotebookDto, PatchCellRequest } from '@/lib/contract';
import { ApiClientError } from './api';

export interface NoteSaveIo {
  /** The notebook as this page last had it (the note the user started from is in it). */
  known(): NotebookDto | undefined;
  get(): Promise<NotebookDto>;
  patch(body: PatchCellRequest): Promise<NotebookDto>;
  /** Puts a notebook the server answered into the page. */
  apply(notebook: NotebookDto): void;
}

export const NOTE_CONFLICT = 'This note was changed elsewhere (another tab or person) since you started editing it. Reload it, or keep your text and save it over theirs.';

const noteOf = (nb: NotebookDto, taskId: string): string | null => nb.cells.find((c) => c.taskId === taskId)?.note ?? null;

export class NoteConflictError extends Error {
  constructor(
    /** The notebook as saved now, with the other note in it. */
    readonly latest: NotebookDto,
    private readonly io: NoteSaveIo,
    private readonly taskId: string,
  ) {
    super(NOTE_CONFLICT);
    this.name = 'NoteConflictError';
  }

  /** The other note: what the page shows after "Reload". */
  get saved(): string | null {
    return noteOf(this.latest, this.taskId);
  }

  reload(): void {
    this.io.apply(this.latest);
  }

  /** Saves the user's note over the other one; a further save in between is a new conflict. */
  keepMine(note: string | null): Promise<void> {
    return saveNote(this.io, this.taskId, note, this.latest);
  }
}

/**
 * Saves `note` before `taskId`. `base` is the notebook the user's edit started from (default:
 * the page's copy); its version goes with the save.
 */
export async function saveNote(io: NoteSaveIo, taskId: string, note: string | null, base?: NotebookDto): Promise<void> {
  let from = base ?? io.known() ?? (await io.get());
  const started = noteOf(from, taskId);
  for (let tries = 0; ; tries++) {
    try {
      io.apply(await io.patch({ note, version: from.version }));
      return;
    } catch (err) {
      if (!(err instanceof ApiClientError && err.status === 409) || tries >= 2) throw err;
      const latest = await io.get();
      // Saved elsewhere meanwhile: another cell's edit is no reason to bother the user, this note's is.
      if (noteOf(latest, taskId) !== started) throw new NoteConflictError(latest, io, taskId);
      from = latest;
    }
  }
}
