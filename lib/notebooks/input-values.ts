/**
 * The values a user typed into a notebook's inputs form. They are kept per notebook in the
 * database, not in the YAML: the YAML keeps the flow's defaults (what Kestra sees on export),
 * and the stored values win over them on the notebook page, across reloads and restarts.
 * Only values that differ from the default are stored, so a default changed in the YAML
 * still reaches every input the user did not touch.
 */
import type { FlowSpec, InputSpec } from '../flow';
import { checkInputValue, isTemplate } from '../flow/inputs';
import { parseFlow } from '../tasks/catalog';
import type { Db } from '../db/client';
import { Problem } from '../model/problem';
import type { NotebookInputsDto } from '../contract';
import { parseJson, toJson } from '../persistence/rows';
import type { NotebookService } from './service';
import { isUploadToken, type UploadStore } from './uploads';

function isUnset(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/** The stored values of a notebook, as saved (input id → value); `{}` when none were saved. */
export async function storedInputValues(db: Db, notebookId: string): Promise<Record<string, unknown>> {
  const row = await db.notebookInputValues.findUnique({ where: { notebookId } });
  return parseJson<Record<string, unknown>>(row?.values, {});
}

/**
 * Stored values over the YAML's defaults, for the inputs the flow declares now: the values
 * a run started from the notebook page uses. An input with neither a stored value nor a
 * default is absent. Defaults written as templates (`{{ … }}`) are returned as written.
 */
export function mergeInputValues(specs: readonly InputSpec[], stored: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const spec of specs) {
    const value = Object.hasOwn(stored, spec.id) && !isUnset(stored[spec.id]) ? stored[spec.id] : spec.defaults;
    if (value !== undefined && value !== null) out[spec.id] = value;
  }
  return out;
}

/**
 * The current input values of a notebook: its stored values over the YAML's defaults
 * (see mergeInputValues). A notebook whose YAML cannot be read has none.
 */
export async function currentInputValues(db: Db, notebookId: string): Promise<Record<string, unknown>> {
  const row = await db.notebook.findUnique({ where: { id: notebookId }, select: { yaml: true } });
  if (!row) throw Problem.notFound(`notebook ${notebookId}`);
  const flow = parseFlow(row.yaml).flow;
  if (!flow) return {};
  return mergeInputValues(flow.inputs, await storedInputValues(db, notebookId));
}

/** Whether a checked value is the input's own (non-template) default, which needs no storing. */
function sameAsDefault(spec: InputSpec, value: unknown): boolean {
  if (spec.defaults === undefined || spec.defaults === null || isTemplate(spec.defaults)) return false;
  const d = checkInputValue(spec, spec.defaults);
  return d.ok && JSON.stringify(d.value) === JSON.stringify(value);
}

export class InputValueService {
  constructor(
    private readonly db: Db,
    private readonly notebooks: NotebookService,
    /** Checks that a FILE input's upload token names a file this notebook uploaded. */
    private readonly uploads?: UploadStore,
  ) {}

  /** The stored values of the inputs the flow declares now. */
  async get(notebookId: string): Promise<NotebookInputsDto> {
    const flow = await this.flow(notebookId);
    const stored = await storedInputValues(this.db, notebookId);
    const ids = new Set(flow?.inputs.map((i) => i.id) ?? []);
    return { values: Object.fromEntries(Object.entries(stored).filter(([id]) => ids.has(id))) };
  }

  /**
   * Replaces the stored values. Each is checked against its input's type as a run would
   * check it; an empty value means "the default" and is not stored.
   */
  async save(notebookId: string, values: Record<string, unknown>): Promise<NotebookInputsDto> {
    const flow = await this.flow(notebookId);
    if (!flow) throw new Problem('unprocessable', `notebook ${notebookId} has errors in its YAML: fix them before setting input values`);
    const specs = new Map(flow.inputs.map((s) => [s.id, s]));
    const keep: Record<string, unknown> = {};
    for (const [id, value] of Object.entries(values)) {
      const spec = specs.get(id);
      if (!spec) throw new Problem('unprocessable', `the flow has no input "${id}"`, { inputId: id });
      // A SECRET typed into the form is used for the run it starts and never kept: the
      // database holds secrets only sealed, and a form value has no execution to seal it in.
      if (isUnset(value) || spec.type === 'SECRET') continue;
      const checked = this.check(notebookId, spec, value);
      if (!sameAsDefault(spec, checked)) keep[id] = checked;
    }
    const text = toJson(keep);
    await this.db.notebookInputValues.upsert({ where: { notebookId }, create: { notebookId, values: text }, update: { values: text } });
    return { values: keep };
  }

  /** Forgets the stored values: every input is back to its YAML default. */
  async reset(notebookId: string): Promise<NotebookInputsDto> {
    await this.notebooks.row(notebookId);
    await this.db.notebookInputValues.deleteMany({ where: { notebookId } });
    return { values: {} };
  }

  private async flow(notebookId: string): Promise<FlowSpec | undefined> {
    return parseFlow((await this.notebooks.row(notebookId)).yaml).flow;
  }

  private check(notebookId: string, spec: InputSpec, value: unknown): unknown {
    if (spec.type === 'FILE') {
      if (typeof value === 'string' && value.startsWith('kestra:///')) return value;
      if (!isUploadToken(value)) throw new Problem('unprocessable', `input ${spec.id}: upload the file; a path on the server is not accepted here`, { inputId: spec.id });
      // Resolving proves the token is well formed and names a file of this notebook.
      if (this.uploads) this.uploads.resolve(notebookId, spec.id, value);
      return value;
    }
    const checked = checkInputValue(spec, value);
    if (!checked.ok) throw new Problem('unprocessable', `input ${spec.id}: ${checked.message}`, { inputId: spec.id });
    return checked.value;
  }
}
