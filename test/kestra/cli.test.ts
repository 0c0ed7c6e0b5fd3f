/**
 * `flowbook export --out-dir`, `flowbook import` and `flowbook deploy`, run as a user runs them,
 * against real git and the local Kestra stand-in (test/support/kestra-stand-in.ts).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from '../support/cli';
import { openDatabase } from '../../lib/db/client';
import { NotebookService } from '../../lib/notebooks/service';
import { startKestraStandIn, type KestraStandIn } from '../support/kestra-stand-in';
import { sampleFlowFiles } from '../support/sample-flows';

const PASSWORD = 'cli-password-not-printed';
const SAMPLES = sampleFlowFiles();

let dir: string;
let kestra: KestraStandIn;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-kestra-cli-'));
  kestra = await startKestraStandIn({ basic: { username: 'admin@kestra.io', password: PASSWORD } });
});
afterAll(async () => {
  await kestra.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
}

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

const auth = { FLOWBOOK_KESTRA_USER: 'admin@kestra.io', FLOWBOOK_KESTRA_PASSWORD: PASSWORD };

// Every case spawns the CLI (tsx compiles it on start) several times: minutes on a busy machine.
describe('flowbook export --out-dir', { timeout: 300_000 }, () => {
  it('writes the course flows in the git layout, each byte-identical to `flowbook export`, and commits with --git', async () => {
    const out = path.join(dir, 'layout');
    const files = SAMPLES.map((f) => path.join('flows', f));
    const r = await runCli(['export', '--out-dir', out, '--git', ...files], { FLOWBOOK_DATA_DIR: path.join(dir, 'data') });
    expect(r.stderr).toContain(`created a git repository in ${out}`);
    expect(r.code).toBe(0);
    expect(git(out, 'ls-files').split('\n')).toEqual(SAMPLES.map((f) => `_flows/${f.replace(/\.yaml$/, '.yml')}`));
    for (const f of SAMPLES) {
      const printed = await runCli(['export', path.join('flows', f)]);
      expect(fs.readFileSync(path.join(out, '_flows', f.replace(/\.yaml$/, '.yml')), 'utf8')).toBe(printed.stdout);
    }
    expect(r.stdout).toMatch(/^committed [0-9a-f]{12} Flowbook export of zoomcamp: add 5 flows$/m);
    expect(git(out, 'log', '-1', '--format=%b')).toContain('- add flow zoomcamp.01_hello_world (_flows/01_hello_world.yml)');

    // Import gives the files back, byte for byte.
    const back = path.join(dir, 'back');
    const imported = await runCli(['import', out, '--out-dir', back]);
    expect(imported.code).toBe(0);
    for (const f of SAMPLES) expect(fs.readFileSync(path.join(back, f))).toEqual(fs.readFileSync(path.join(REPO, 'flows', f)));

    // Run again with one flow changed: one commit naming it.
    const changed = write('01_hello_world.yaml', fs.readFileSync(path.join(REPO, 'flows/01_hello_world.yaml'), 'utf8').replace('Hello', 'Bonjour'));
    const again = await runCli(['export', '--out-dir', out, '--git', changed]);
    expect(again.stdout).toContain(`updated   ${path.join(out, '_flows/01_hello_world.yml')}`);
    expect(again.stdout).toMatch(/committed [0-9a-f]{12} Flowbook export of zoomcamp: update flow zoomcamp.01_hello_world \(_flows\/01_hello_world.yml\)/);
    const nothing = await runCli(['export', '--out-dir', out, '--git', changed]);
    expect(nothing.stdout).toContain('nothing to commit: the layout is unchanged');
  });

  it('exports every notebook saved in the app with --all, and imports them into another Flowbook', async () => {
    const data = path.join(dir, 'app-data');
    const database = await openDatabase({ kind: 'sqlite', file: path.join(data, 'flowbook.db') }, { migrationsRoot: REPO });
    const notebooks = new NotebookService(database.db);
    const a = 'id: a\nnamespace: shop\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: a\n';
    const b = 'id: b\nnamespace: shop.eu\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: b # comment\n';
    await notebooks.create(a);
    await notebooks.create(b);
    await database.close();

    const out = path.join(dir, 'shop');
    const r = await runCli(['export', '--out-dir', out, '--all', '--namespace', 'shop', '--git'], { FLOWBOOK_DATA_DIR: data });
    expect(r.code).toBe(0);
    expect(git(out, 'ls-files').split('\n')).toEqual(['_flows/a.yml', '_flows/eu/b.yml']);

    const other = path.join(dir, 'other-data');
    const imported = await runCli(['import', out], { FLOWBOOK_DATA_DIR: other });
    expect(imported.stdout).toBe('created   shop.a (_flows/a.yml)\ncreated   shop.eu.b (_flows/eu/b.yml)\n');
    expect(imported.code).toBe(0);
    const copy = await openDatabase({ kind: 'sqlite', file: path.join(other, 'flowbook.db') }, { migrationsRoot: REPO });
    try {
      const rows = await copy.db.notebook.findMany({ orderBy: { flowId: 'asc' } });
      expect(rows.map((n) => n.yaml)).toEqual([a, b]);
    } finally {
      await copy.close();
    }
  });

  it('says what is wrong with how it is called', async () => {
    expect((await runCli(['export', '--out-dir', dir])).code).toBe(2);
    expect((await runCli(['export', '--out-dir', dir, '--all', 'flows/01_hello_world.yaml'])).code).toBe(2);
    const mixed = await runCli(['export', '--out-dir', path.join(dir, 'mixed'), 'flows/01_hello_world.yaml', write('x.yaml', 'id: x\nnamespace: elsewhere\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: x\n')]);
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toContain('no common parent (zoomcamp, elsewhere)');
    expect((await runCli(['import', path.join(dir, 'nope')])).stderr).toContain('is not a directory');
  });
});

describe('flowbook deploy', { timeout: 300_000 }, () => {
  it('--dry-run shows the diff and sends nothing; then creates; then says unchanged', async () => {
    const file = path.join(REPO, 'flows/01_hello_world.yaml');
    const dry = await runCli(['deploy', '--server', kestra.url, '--dry-run', file], auth);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`Comparing with Kestra at ${kestra.url} (tenant main) as admin@kestra.io`);
    expect(dry.stdout).toContain('would create    flow zoomcamp.01_hello_world');
    expect(dry.stdout).toContain('@@ -1 +1 @@\n+id: 01_hello_world\n+namespace: zoomcamp\n');
    expect(dry.stdout).toContain('Dry run: 1 of 1 would change; nothing was sent.');
    expect(kestra.flows.size).toBe(0);
    expect(kestra.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/main/flows')).toEqual([]);

    const applied = await runCli(['deploy', '--server', kestra.url, file], auth);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('create          flow zoomcamp.01_hello_world');
    expect(applied.stdout).toContain('Deployed: 1 changed, 0 unchanged.');
    expect(kestra.flows.get('zoomcamp/01_hello_world')?.source).toBe(fs.readFileSync(file, 'utf8'));

    const again = await runCli(['deploy', '--server', kestra.url, file], auth);
    expect(again.stdout).toContain('unchanged       flow zoomcamp.01_hello_world');
    for (const r of [dry, applied, again]) expect(r.stdout + r.stderr).not.toContain(PASSWORD);
  });

  it('deploys a layout directory (flows and namespace files), showing the update\'s diff', async () => {
    const layout = path.join(dir, 'deploy-layout');
    write('deploy-layout/_flows/01_hello_world.yml', fs.readFileSync(path.join(REPO, 'flows/01_hello_world.yaml'), 'utf8').replace('Hello', 'Hi'));
    write('deploy-layout/_files/scripts/hello.sh', 'echo hi\n');
    const r = await runCli(['deploy', '--server', kestra.url, layout], auth);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('update          flow zoomcamp.01_hello_world');
    expect(r.stdout).toMatch(/\n-.*Hello.*\n\+.*Hi/);
    expect(r.stdout).toContain('create          namespace file scripts/hello.sh of zoomcamp');
    expect(kestra.namespaceFiles.get('zoomcamp:/scripts/hello.sh')?.toString()).toBe('echo hi\n');
  });

  it('gives a clear message for 401, 404 namespace and 422 invalid flow, and never prints the credential', async () => {
    const file = path.join(REPO, 'flows/01_hello_world.yaml');
    const anonymous = await runCli(['deploy', '--server', kestra.url, file]);
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toBe(`flowbook: Kestra at ${kestra.url} (tenant main) refused to read namespace zoomcamp: 401 Unauthorized. It asks for credentials: set basic auth (user and password) or an API token for this server.\n`);
    const wrong = await runCli(['deploy', '--server', kestra.url, file], { FLOWBOOK_KESTRA_USER: 'admin@kestra.io', FLOWBOOK_KESTRA_PASSWORD: 'not-the-password-42' });
    expect(wrong.stderr).toContain('401 Unauthorized. Check the user and password');
    expect(wrong.stdout + wrong.stderr).not.toContain('not-the-password-42');
    const noPassword = await runCli(['deploy', '--server', kestra.url, '--user', 'admin@kestra.io', file], { FLOWBOOK_KESTRA_PASSWORD: '' });
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toContain('the password of admin@kestra.io: environment variable FLOWBOOK_KESTRA_PASSWORD is not set');

    const invalid = write('custom.yaml', 'id: custom\nnamespace: zoomcamp\ntasks:\n  - id: c\n    type: com.example.Custom\n');
    const refused = await runCli(['deploy', '--server', kestra.url, invalid], auth);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`flowbook: flow zoomcamp.custom: Kestra at ${kestra.url} (tenant main) refused to create flow zoomcamp.custom (422): Invalid entity: tasks[0].type: Invalid type: com.example.Custom`);
    const dry = await runCli(['deploy', '--server', kestra.url, '--dry-run', invalid], auth);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('Kestra would refuse it: tasks[0].type: Invalid type: com.example.Custom');

    const ee = await startKestraStandIn({ namespaces: ['company'], token: 'tok-en-123' });
    try {
      const missing = await runCli(['deploy', '--server', ee.url, '--token-env', 'MY_KESTRA_TOKEN', file], { MY_KESTRA_TOKEN: 'tok-en-123' });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain(`flowbook: flow zoomcamp.01_hello_world: namespace zoomcamp does not exist on Kestra at ${ee.url} (tenant main): create it in Kestra first (or check the tenant)`);
      expect(ee.requests.every((r) => r.auth === 'bearer')).toBe(true);
      expect(missing.stdout + missing.stderr).not.toContain('tok-en-123');
      // A token from a secret, as the CLI reads secrets (SECRET_<KEY>, base64).
      const viaSecret = await runCli(['deploy', '--server', ee.url, '--dry-run', '--token-secret', 'KESTRA', file], { SECRET_KESTRA: Buffer.from('tok-en-123').toString('base64') });
      expect(viaSecret.stdout).toContain('as the API token');
    } finally {
      await ee.close();
    }
  });
});
