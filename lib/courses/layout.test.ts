import { describe, expect, it } from 'vitest';
import { readCourse, writeCourse, type CourseFile } from './layout';
import { unsafeEntryReason } from './paths';

const file = (path: string, text: string): CourseFile => ({ path, content: new TextEncoder().encode(text) });
const FLOW = 'id: a\nnamespace: n\ntasks: []\n';

describe('the course layout', () => {
  it('takes the title from README.md when course.yaml names none, and the folder name when neither does', () => {
    expect(readCourse([file('c/README.md', '# My course\n\ntext'), file('c/01.yaml', FLOW)], 'zip').course.title).toBe('My course');
    const bare = readCourse([file('01.yaml', FLOW)], 'from-zip-name').course;
    expect(bare.title).toBeUndefined();
    expect(bare.folder).toBe('from-zip-name');
  });

  it('reports a course.yaml that is not YAML with its line and column', () => {
    const { problems } = readCourse([file('c/course.yaml', 'title: [unclosed\n'), file('c/01.yaml', FLOW)], 'c');
    expect(problems).toEqual([expect.objectContaining({ file: 'course.yaml', line: expect.any(Number), column: expect.any(Number) })]);
  });

  it('lists what is not part of a course and leaves out what zip tools add', () => {
    const { course, problems } = readCourse(
      [file('c/01.yaml', FLOW), file('c/notes/extra.txt', 'x'), file('c/02.md', 'orphan'), file('c/__MACOSX/._01.yaml', 'x'), file('c/.DS_Store', 'x'), file('c/_files/bad ns/x', 'x')],
      'c',
    );
    expect(course.flows.map((f) => f.fileName)).toEqual(['01.yaml']);
    expect(problems.map((p) => p.file)).toEqual(['notes/extra.txt', '_files/bad ns/x', '02.md']);
  });

  it('orders flows by file name with numbers compared as numbers, and writes back what it read', () => {
    const files = [file('c/10_c.yaml', FLOW), file('c/2_b.yaml', FLOW), file('c/1_a.yaml', FLOW), file('c/1_a.md', 'note')];
    const { course } = readCourse(files, 'c');
    expect(course.flows.map((f) => f.fileName)).toEqual(['1_a.yaml', '2_b.yaml', '10_c.yaml']);
    expect(writeCourse(course).map((f) => f.path)).toEqual(['1_a.yaml', '1_a.md', '2_b.yaml', '10_c.yaml']);
  });

  it('refuses raw names that could leave the folder', () => {
    for (const raw of ['../x', 'a/../../x', '/etc/passwd', 'C:/x', 'C:x', 'a\\..\\x', 'a//b', './a', 'a\0b']) expect(unsafeEntryReason(raw), raw).toBeDefined();
    expect(unsafeEntryReason('course/_files/ns/dir/x.py')).toBeUndefined();
  });
});
