import { afterAll, describe, expect, it } from 'vitest';
import { stopSharedPostgres, testApp, type Provider } from '../../test/api/harness';
import { createApp } from '../server/app';
import { isProblem } from '../model/problem';
import { currentInputValues, mergeInputValues } from './input-values';

afterAll(stopSharedPostgres);

const FLOW = `id: inputs_kept
namespace: test.app
inputs:
  - id: taxi
    type: SELECT
    values: [yellow, green]
    defaults: yellow
  - id: year
    type: INT
    defaults: 2019
  - id: note
    type: STRING
    required: false
  - id: data
    type: FILE
    required: false
tasks:
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: "{{ inputs.taxi }} {{ inputs.year }}"
`;

async function problemOf(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    if (isProblem(err)) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

function body(text: string): ReadableStream<Uint8Array> {
  return new Blob([text]).stream();
}

describe('mergeInputValues', () => {
  it('takes the stored value over the default, and leaves out inputs with neither', () => {
    const specs = [
      { id: 'a', type: 'STRING' as const, required: false, defaults: 'x', raw: {} },
      { id: 'b', type: 'INT' as const, required: false, defaults: 1, raw: {} },
      { id: 'c', type: 'STRING' as const, required: false, raw: {} },
    ];
    expect(mergeInputValues(specs, { b: 7, gone: 'ignored' })).toEqual({ a: 'x', b: 7 });
  });
});

describe.each<Provider>(['sqlite', 'postgresql'])('stored input values on %s', (provider) => {
  it('keeps what differs from the defaults, checks types, resets to defaults', async () => {
    const app = await testApp(provider);
    try {
      const { id } = await app.notebooks.create(FLOW);
      expect(await app.inputs.get(id)).toEqual({ values: {} });
      expect(await currentInputValues(app.db, id)).toEqual({ taxi: 'yellow', year: 2019 });

      // The default (yellow) is not stored; a string that reads as an INT is stored as a number.
      expect(await app.inputs.save(id, { taxi: 'green', year: '2020', note: '' })).toEqual({ values: { taxi: 'green', year: 2020 } });
      expect(await app.inputs.save(id, { taxi: 'yellow', year: 2021 })).toEqual({ values: { year: 2021 } });
      expect(await currentInputValues(app.db, id)).toEqual({ taxi: 'yellow', year: 2021 });

      const wrongType = await problemOf(app.inputs.save(id, { year: 'soon' }));
      expect(wrongType).toMatchObject({ kind: 'unprocessable', details: { inputId: 'year' } });
      expect(wrongType.message).toContain('input year: expected an integer');
      expect(await problemOf(app.inputs.save(id, { taxi: 'blue' }))).toMatchObject({ kind: 'unprocessable', details: { inputId: 'taxi' } });
      expect(await problemOf(app.inputs.save(id, { nope: 1 }))).toMatchObject({ kind: 'unprocessable', details: { inputId: 'nope' } });
      // A refused save keeps what was stored.
      expect((await app.inputs.get(id)).values).toEqual({ year: 2021 });

      expect(await app.inputs.reset(id)).toEqual({ values: {} });
      expect(await currentInputValues(app.db, id)).toEqual({ taxi: 'yellow', year: 2019 });
      expect(await problemOf(app.inputs.get('no-such-notebook'))).toMatchObject({ kind: 'not-found' });
    } finally {
      await app.close();
    }
  });

  it('keeps a FILE input as its upload token, refuses paths and foreign tokens, and the YAML is untouched', async () => {
    const app = await testApp(provider);
    try {
      const { id } = await app.notebooks.create(FLOW);
      const { id: other } = await app.notebooks.create(FLOW);
      const up = await app.uploads.save(id, 'trips.csv', body('a,b\n1,2\n'));
      expect((await app.inputs.save(id, { data: up.token })).values).toEqual({ data: up.token });
      expect(await currentInputValues(app.db, id)).toMatchObject({ data: up.token });
      expect(await problemOf(app.inputs.save(id, { data: '/etc/passwd' }))).toMatchObject({ details: { inputId: 'data' } });
      // Another notebook's upload is not this notebook's file.
      expect(await problemOf(app.inputs.save(other, { data: up.token }))).toMatchObject({ details: { inputId: 'data' } });
      expect((await app.notebooks.get(id)).yaml).toBe(FLOW);

      // A run with the stored token gets the uploaded file.
      const { executionId } = await app.runs.start(id, { mode: 'all', inputs: await currentInputValues(app.db, id) });
      await app.runs.settled(executionId);
      expect((await app.runs.detail(executionId)).execution.inputs.data).toMatch(/^kestra:\/\/\/.*trips\.csv$/);
    } finally {
      await app.close();
    }
  });

  it('never keeps a SECRET input typed into the form', async () => {
    const app = await testApp(provider);
    try {
      const { id } = await app.notebooks.create(FLOW.replace('tasks:', '  - id: password\n    type: SECRET\n    required: false\ntasks:'));
      expect(await app.inputs.save(id, { taxi: 'green', password: 's3cr3t-typed' })).toEqual({ values: { taxi: 'green' } });
      const row = await app.db.notebookInputValues.findUnique({ where: { notebookId: id } });
      expect(row?.values).not.toContain('s3cr3t-typed');
    } finally {
      await app.close();
    }
  });

  it('survives a restart of the server on the same database', async () => {
    const app = await testApp(provider);
    const { id } = await app.notebooks.create(FLOW);
    await app.inputs.save(id, { taxi: 'green' });
    await app.close();
    const again = await createApp({ dataDir: app.tmp, database: app.databaseConfig });
    try {
      expect(await again.inputs.get(id)).toEqual({ values: { taxi: 'green' } });
    } finally {
      await again.close();
    }
  });

  it('forgets the values of a deleted notebook with it', async () => {
    const app = await testApp(provider);
    try {
      const { id } = await app.notebooks.create(FLOW);
      await app.inputs.save(id, { taxi: 'green' });
      await app.db.notebook.delete({ where: { id } });
      expect(await app.db.notebookInputValues.count({ where: { notebookId: id } })).toBe(0);
    } finally {
      await app.close();
    }
  });
});
