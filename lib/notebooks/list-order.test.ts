import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stopSharedPostgres, testApp, type Provider } from '../../test/api/harness';
import { REPO } from '../../test/support/cli';

afterAll(stopSharedPostgres);

const flow = (id: string) => `id: ${id}\nnamespace: test.app\ntasks:\n  - id: hi\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n`;

describe.each<Provider>(['sqlite', 'postgresql'])('the notebook list on %s', (provider) => {
  it('lists in flow order (the samples 01…05 first, numbers as numbers) and names duplicates "(copy)"', async () => {
    const app = await testApp(provider, { samplesDir: path.join(REPO, 'flows') });
    try {
      const z = await app.notebooks.create(flow('zeta'));
      await app.notebooks.create(flow('10_later'));
      await app.notebooks.create(flow('9_earlier'));
      const samples = (await app.notebooks.list()).map((n) => n.flowId);
      expect(samples).toEqual([
        '01_hello_world',
        '02_python',
        '03_getting_started_data_pipeline',
        '04_postgres_taxi',
        '05_postgres_taxi_scheduled',
        '9_earlier',
        '10_later',
        'zeta',
      ]);

      const first = await app.notebooks.duplicate(z.id);
      const second = await app.notebooks.duplicate(z.id);
      const ofCopy = await app.notebooks.duplicate(first.id);
      expect((await app.notebooks.get(first.id)).name).toBe('zeta (copy)');
      expect((await app.notebooks.get(second.id)).name).toBe('zeta (copy 2)');
      expect((await app.notebooks.get(ofCopy.id)).name).toBe('zeta (copy 3)');
      const list = await app.notebooks.list();
      expect(list.slice(-4).map((n) => n.name ?? n.flowId)).toEqual(['zeta', 'zeta (copy)', 'zeta (copy 2)', 'zeta (copy 3)']);
      expect((await app.notebooks.list({ q: 'copy 2' })).map((n) => n.id)).toEqual([second.id]);
    } finally {
      await app.close();
    }
  });
});
