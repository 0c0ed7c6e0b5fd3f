/** `flowbook course import|list|export`, run as a user runs them, against a fresh data directory. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';

const flow = (id: string) => `id: ${id}\nnamespace: cli.course\ntasks:\n  - id: say\n    type: io.kestra.plugin.core.log.Log\n    message: ${id}\n`;
const BAD = 'id: bad\nnamespace: cli.course\ntasks:\n  - id: hello\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n    message: again\n';

let tmp: string;
let env: Record<string, string>;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-course-cli-'));
  env = { FLOWBOOK_DATA_DIR: path.join(tmp, 'data'), DATABASE_URL: '' };
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(rel: string, text: string): void {
  const file = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

describe('flowbook course', () => {
  it('imports a folder (a bad flow reported as file:line:column, exit 1), lists it, and exports it back as the same layout', async () => {
    write('basics/course.yaml', 'title: CLI basics\n');
    write('basics/02_second.yaml', flow('second'));
    write('basics/01_first.yaml', flow('first'));
    write('basics/01_first.md', 'Notes on the first flow.\n');
    write('basics/03_bad.yaml', BAD);
    write('basics/_files/cli.course/run.sh', 'echo hi\n');

    const imported = await runCli(['course', 'import', path.join(tmp, 'basics')], env);
    expect(imported.code, imported.stderr).toBe(1);
    expect(imported.stdout).toContain('imported CLI basics');
    expect(imported.stdout.indexOf('01_first.yaml')).toBeLessThan(imported.stdout.indexOf('02_second.yaml'));
    expect(imported.stderr).toMatch(/^03_bad\.yaml:7:5: /m);

    const listed = await runCli(['course', 'list'], env);
    const id = /^(\S+) {2}CLI basics \(2 notebooks\)$/m.exec(listed.stdout)?.[1];
    expect(id, listed.stdout).toBeDefined();

    const out = path.join(tmp, 'basics.zip');
    const exported = await runCli(['course', 'export', id ?? '', '--out', out], env);
    expect(exported.code, exported.stderr).toBe(0);
    const entries = unzipSync(new Uint8Array(fs.readFileSync(out)));
    expect(Object.keys(entries).sort()).toEqual(['basics/01_first.md', 'basics/01_first.yaml', 'basics/02_second.yaml', 'basics/_files/cli.course/run.sh', 'basics/course.yaml']);
    expect(new TextDecoder().decode(entries['basics/01_first.yaml'])).toBe(flow('first'));
  }, 120_000);

  it('refuses zip-slip entries of a .zip and says which; a zip with nothing importable exits 1 with the reason', async () => {
    const zip = path.join(tmp, 'slip.zip');
    fs.writeFileSync(zip, zipSync({ 'slip/01_ok.yaml': strToU8(flow('ok')), '../../outside.yaml': strToU8(flow('outside')) }));
    const result = await runCli(['course', 'import', zip], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('../../outside.yaml: refused: a ".." segment that leaves the course folder');
    expect(fs.existsSync(path.join(tmp, '..', 'outside.yaml'))).toBe(false);

    const empty = path.join(tmp, 'empty.zip');
    fs.writeFileSync(empty, zipSync({ 'empty/01_bad.yaml': strToU8(BAD) }));
    const refused = await runCli(['course', 'import', empty], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('flowbook: empty holds no flow that can be imported: 01_bad.yaml:7:5');

    const usage = await runCli(['course', 'export', 'x'], env);
    expect(usage.code).toBe(2);
  }, 120_000);
});
