/**
 * The import-boundary rules of eslint.config.mjs are built from the parts table in
 * docs/architecture.md: a crossing fails the lint with a message naming both parts, an
 * allowed import passes, and a table that contradicts itself stops ESLint at load.
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkParts, parseParts, readParts, type Part } from '../../eslint-rules/architecture.mjs';

const root = path.resolve(import.meta.dirname, '../..');

describe('import boundaries from docs/architecture.md', () => {
  let eslint: ESLint;
  beforeAll(() => {
    eslint = new ESLint({ cwd: root });
  });

  async function boundaryMessages(filePath: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
    return result.messages.filter((m) => m.ruleId === 'boundaries/dependencies').map((m) => m.message);
  }

  it('fails a low part importing a higher one, naming both parts and the page', async () => {
    const messages = await boundaryMessages('lib/model/x.ts', "import { Engine } from '../engine/engine';\nexport const e = Engine;\n");
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('"model"');
    expect(messages[0]).toContain('"engine"');
    expect(messages[0]).toContain('docs/architecture.md');
  });

  it('resolves the @/ alias, type imports and re-exports too', async () => {
    const viaAlias = await boundaryMessages('lib/flow/x.ts', "import type { TaskDefinition } from '@/lib/tasks/types';\nexport type T = TaskDefinition;\n");
    expect(viaAlias).toEqual([expect.stringMatching(/"flow".*"tasks"/)]);
    const reExport = await boundaryMessages('lib/engine/x.ts', "export { X } from '../notebooks/x';\n");
    expect(reExport).toEqual([expect.stringMatching(/"engine".*"notebooks"/)]);
  });

  it('passes an import the table allows and an import within the part', async () => {
    expect(await boundaryMessages('lib/engine/x.ts', "import { Problem } from '../model/problem';\nexport const p = Problem;\n")).toEqual([]);
    expect(await boundaryMessages('lib/engine/x.ts', "import { Engine } from './engine';\nexport const e = Engine;\n")).toEqual([]);
    expect(await boundaryMessages('lib/model/x.ts', "import { z } from 'zod';\nexport const s = z.string();\n")).toEqual([]);
  });

  it('classifies by the most specific folder: app/api is routes, the rest of app is ui', async () => {
    const code = "import { getApp } from '@/lib/server/app';\nexport const g = getApp;\n";
    expect(await boundaryMessages('app/api/x/route.ts', code)).toEqual([]);
    expect(await boundaryMessages('app/x/page.tsx', code)).toEqual([expect.stringMatching(/"ui".*"server"/)]);
  });

  it('treats server.ts as the server part', async () => {
    expect(await boundaryMessages('lib/engine/x.ts', "import '../../server';\n")).toEqual([expect.stringMatching(/"engine".*"server"/)]);
  });

  it('leaves tests, benchmarks and e2e specs free to import any part', async () => {
    const code = "import { Engine } from '../engine/engine';\nexport const e = Engine;\n";
    expect(await boundaryMessages('lib/model/x.test.ts', code)).toEqual([]);
    expect(await boundaryMessages('bench/x.ts', "import { getApp } from '../lib/server/app';\nexport const g = getApp;\n")).toEqual([]);
  });
});

describe('the parts table', () => {
  const table = (rows: string[]) =>
    ['<!-- parts:start -->', '| part | layer | folders | owns | may import |', '|---|---|---|---|---|', ...rows, '<!-- parts:end -->'].join('\n');

  it('reads the real table and finds it sane', () => {
    const parts = readParts(root);
    const byName = new Map(parts.map((p) => [p.name, p]));
    expect(byName.get('server')?.folders).toEqual(['lib/server', 'server.ts']);
    expect(byName.get('model')?.mayImport).toEqual([]);
    expect(byName.get('engine')?.layer).toBe(4);
  });

  it('rejects a target that is no part, an upward import and a cycle', () => {
    const check = (rows: string[]) => () => checkParts(parseParts(table(rows)));
    expect(check(['| a | 0 | `a` | | nope |'])).toThrow(/"a" may import "nope", which is no part/);
    expect(check(['| a | 0 | `a` | | b |', '| b | 1 | `b` | | |'])).toThrow(/"a" \(layer 0\) may import "b" \(layer 1\)/);
    expect(check(['| a | 1 | `a` | | b |', '| b | 1 | `b` | | a |'])).toThrow(/cycle: a → b → a/);
    expect(check(['| a | 0 | `a` | | |', '| b | 0 | `b` | | a |'])).not.toThrow();
  });

  it('parses folders and may-import lists', () => {
    const parts: Part[] = parseParts(table(['| s | 2 | `lib/s`, `s.ts` | what it owns | m, n |']));
    expect(parts).toEqual([expect.objectContaining({ name: 's', layer: 2, folders: ['lib/s', 's.ts'], mayImport: ['m', 'n'] })]);
  });
});
