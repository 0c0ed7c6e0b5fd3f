import { describe, expect, it } from 'vitest';
import { fileTree, languageOf, uploadPath } from './namespace-files';

const file = (path: string) => ({ path, size: 1, modified: '2026-01-01T00:00:00.000Z' });

describe('the Files panel', () => {
  it('shows files as a tree by folder, folders first, each level by name', () => {
    const tree = fileTree([file('README.md'), file('scripts/b.py'), file('scripts/a.py'), file('scripts/sql/q.sql'), file('data.csv')]);
    const names = (nodes: ReturnType<typeof fileTree>): unknown[] => nodes.map((n) => (n.file ? n.name : { [n.name]: names(n.children) }));
    expect(names(tree)).toEqual([{ scripts: [{ sql: ['q.sql'] }, 'a.py', 'b.py'] }, 'data.csv', 'README.md']);
    expect(tree[0].children[0].children[0].path).toBe('scripts/sql/q.sql');
  });

  it('opens each file with the language of its extension', () => {
    expect(['a.py', 'q.SQL', 'f.yml', 'f.yaml', 'run.sh', 'x.js', 'notes.txt', 'Makefile', 'dir.py/x'].map(languageOf)).toEqual([
      'python', 'sql', 'yaml', 'yaml', 'shell', 'javascript', 'text', 'text', 'text',
    ]);
  });

  it('puts an upload into the selected folder under its own name only', () => {
    expect(uploadPath('', 'hello.py')).toBe('hello.py');
    expect(uploadPath('scripts', 'hello.py')).toBe('scripts/hello.py');
    expect(uploadPath('scripts', 'C:\\Users\\me\\hello.py')).toBe('scripts/hello.py');
  });
});
