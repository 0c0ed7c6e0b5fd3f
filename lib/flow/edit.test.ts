import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { insertTask, moveTask, removeTask, replaceTask, setTaskProperty, taskText, FlowEditError } from './edit';
import { notesBefore, setNoteBefore } from './notes';
import { exportFlow } from './parse';
import { parseFlow } from '../tasks/catalog';
import { walkTasks } from './walk';

const flow04 = readFileSync(new URL('./fixtures/04_postgres_taxi.yaml', import.meta.url), 'utf8');

/**
 * The whole text after an edit equals the text before with one fragment replaced: every byte
 * outside the edited range is unchanged.
 */
function expectOnlyChange(before: string, after: string, oldFragment: string, newFragment: string): void {
  const at = before.indexOf(oldFragment);
  expect(at, 'fragment present').toBeGreaterThanOrEqual(0);
  expect(before.indexOf(oldFragment, at + 1), 'fragment unique').toBe(-1);
  expect(after).toBe(before.slice(0, at) + newFragment + before.slice(at + oldFragment.length));
}

function ids(text: string): string[] {
  const parsed = parseFlow(text);
  expect(parsed.flow, JSON.stringify(parsed.issues)).toBeDefined();
  return walkTasks(parsed.flow!).map((t) => t.task.id);
}

const small = `id: demo
namespace: zoomcamp

tasks:
  # a comment nobody owns
  - id: hello
    type: io.kestra.plugin.core.log.Log   # says hello
    message: Hello

  - id: wait
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT1S

  - id: bye
    type: io.kestra.plugin.core.log.Log
    message: "Bye {{ inputs.name }}"
`;

describe('export', () => {
  it('returns the text unchanged, comments and trailing spaces included', () => {
    expect(exportFlow(parseFlow(flow04))).toBe(flow04);
    expect(exportFlow(parseFlow(small))).toBe(small);
  });
});

describe('taskText', () => {
  it('gives a nested task dedented, with its block scalar intact', () => {
    const text = taskText(parseFlow(flow04), 'yellow_truncate_staging_table');
    expect(text).toBe(
      'id: yellow_truncate_staging_table\ntype: io.kestra.plugin.jdbc.postgresql.Queries\nsql: |\n  TRUNCATE TABLE {{render(vars.staging_table)}};',
    );
  });

  it('keeps a trailing comment of the task line', () => {
    expect(taskText(parseFlow(small), 'hello')).toBe('id: hello\ntype: io.kestra.plugin.core.log.Log   # says hello\nmessage: Hello');
  });

  it('names the missing task', () => {
    expect(() => taskText(parseFlow(small), 'nope')).toThrow(new FlowEditError('no task with id "nope" in the flow'));
  });
});

describe('replaceTask', () => {
  it('changes only the task text in a nested branch, re-indented', () => {
    const parsed = parseFlow(flow04);
    const after = replaceTask(parsed, 'yellow_truncate_staging_table', 'id: yellow_truncate_staging_table\ntype: io.kestra.plugin.jdbc.postgresql.Queries\nsql: |\n  TRUNCATE TABLE {{render(vars.staging_table)}} CASCADE;\n');
    expectOnlyChange(flow04, after.text, 'TRUNCATE TABLE {{render(vars.staging_table)}};\n\n      - id: yellow_copy', 'TRUNCATE TABLE {{render(vars.staging_table)}} CASCADE;\n\n      - id: yellow_copy');
    expect(after.flow?.tasks[2].then).toHaveLength(6);
  });

  it('round-trips taskText → replaceTask to the identical document', () => {
    const parsed = parseFlow(flow04);
    for (const { task } of walkTasks(parsed.flow!)) {
      if (task.id.startsWith('if_')) continue;
      expect(replaceTask(parsed, task.id, taskText(parsed, task.id)).text).toBe(flow04);
    }
  });

  it('refuses YAML that is not a task map, saying where', () => {
    expect(() => replaceTask(parseFlow(small), 'hello', 'id: hello\ntype: [oops')).toThrow(/task's YAML is invalid \(line 2/);
    expect(() => replaceTask(parseFlow(small), 'hello', '- id: x')).toThrow(/must be a map/);
  });
});

describe('setTaskProperty', () => {
  it('rewrites one scalar and nothing else', () => {
    const after = setTaskProperty(parseFlow(small), 'wait', 'duration', 'PT5S');
    expectOnlyChange(small, after.text, 'duration: PT1S', 'duration: PT5S');
    expect(after.flow?.tasks[1].duration).toBe('PT5S');
  });

  it('writes a multi-line string as a literal block scalar at the right indentation', () => {
    const after = setTaskProperty(parseFlow(flow04), 'yellow_truncate_staging_table', 'sql', 'TRUNCATE TABLE a;\nTRUNCATE TABLE b;\n');
    expectOnlyChange(
      flow04,
      after.text,
      'sql: |\n          TRUNCATE TABLE {{render(vars.staging_table)}};\n\n      - id: yellow_copy',
      'sql: |\n          TRUNCATE TABLE a;\n          TRUNCATE TABLE b;\n\n      - id: yellow_copy',
    );
    expect(after.flow?.tasks[2].then).toMatchObject([{}, {}, { sql: 'TRUNCATE TABLE a;\nTRUNCATE TABLE b;\n' }, {}, {}, {}]);
  });

  it('adds a missing property after the task, keeping the trailing comment of the task', () => {
    const after = setTaskProperty(parseFlow(small), 'hello', 'level', 'WARN');
    expectOnlyChange(small, after.text, '# says hello\n    message: Hello\n', '# says hello\n    message: Hello\n    level: WARN\n');
    expect(after.flow?.tasks[0].level).toBe('WARN');
  });

  it('writes maps and lists in block style', () => {
    const after = setTaskProperty(parseFlow(small), 'bye', 'labels', { a: '1', b: ['x', 'y'] });
    expect(after.text.endsWith('    labels:\n      a: "1"\n      b:\n        - x\n        - y\n')).toBe(true);
    expect(after.flow?.tasks[2].labels).toEqual({ a: '1', b: ['x', 'y'] });
  });

  it('removes a property with undefined, and refuses to remove the id', () => {
    const after = setTaskProperty(parseFlow(small), 'hello', 'message', undefined);
    expectOnlyChange(small, after.text, '# says hello\n    message: Hello\n', '# says hello\n');
    expect(() => setTaskProperty(parseFlow(small), 'hello', 'id', undefined)).toThrow(/cannot lose its `id`/);
  });
});

describe('insert, remove, move', () => {
  it('inserts after a task with the list’s blank-line spacing', () => {
    const after = insertTask(parseFlow(small), 'hello', 'id: mid\ntype: io.kestra.plugin.core.log.Log\nmessage: |\n  two\n  lines\n');
    expect(ids(after.text)).toEqual(['hello', 'mid', 'wait', 'bye']);
    expectOnlyChange(small, after.text, 'message: Hello\n', 'message: Hello\n\n  - id: mid\n    type: io.kestra.plugin.core.log.Log\n    message: |\n      two\n      lines\n');
  });

  it('inserts into a nested branch', () => {
    const after = insertTask(parseFlow(flow04), 'yellow_merge_data', 'id: yellow_done\ntype: io.kestra.plugin.core.log.Log\nmessage: done');
    const flow = after.flow!;
    expect(walkTasks(flow).find((t) => t.task.id === 'yellow_done')).toMatchObject({ parentId: 'if_yellow_taxi', branch: 'then', depth: 1, path: ['tasks', 2, 'then', 6] });
    expectOnlyChange(flow04, after.text, 'S.improvement_surcharge, S.total_amount, S.congestion_surcharge\n            );\n', 'S.improvement_surcharge, S.total_amount, S.congestion_surcharge\n            );\n\n      - id: yellow_done\n        type: io.kestra.plugin.core.log.Log\n        message: done\n');
  });

  it('inserts first, before the first task (and its comment-free line)', () => {
    const after = insertTask(parseFlow(small), null, 'id: first\ntype: io.kestra.plugin.core.log.Log\nmessage: hi');
    expect(ids(after.text)).toEqual(['first', 'hello', 'wait', 'bye']);
    expectOnlyChange(small, after.text, '  # a comment nobody owns\n', '  # a comment nobody owns\n  - id: first\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n\n');
  });

  it('inserts into an empty task list', () => {
    const after = insertTask(parseFlow('id: x\nnamespace: y\ntasks: []\n'), null, 'id: a\ntype: t.T');
    expect(after.text).toBe('id: x\nnamespace: y\ntasks:\n  - id: a\n    type: t.T\n');
    expect(ids(after.text)).toEqual(['a']);
  });

  it('removes a task and one of the blank lines around it', () => {
    const after = removeTask(parseFlow(small), 'wait');
    expect(ids(after.text)).toEqual(['hello', 'bye']);
    expectOnlyChange(small, after.text, '  - id: wait\n    type: io.kestra.plugin.core.flow.Sleep\n    duration: PT1S\n\n', '');
  });

  it('leaves an emptied branch as an empty list', () => {
    const text = 'id: x\nnamespace: y\ntasks:\n  - id: cond\n    type: io.kestra.plugin.core.flow.If\n    condition: "true"\n    then:\n      - id: only\n        type: t.T\n';
    const after = removeTask(parseFlow(text), 'only');
    expect(after.text).toBe('id: x\nnamespace: y\ntasks:\n  - id: cond\n    type: io.kestra.plugin.core.flow.If\n    condition: "true"\n    then: []\n');
  });

  it('moves a task down and back up to the identical text', () => {
    const parsed = parseFlow(small);
    const down = moveTask(parsed, 'hello', 'down');
    expect(ids(down.text)).toEqual(['wait', 'hello', 'bye']);
    expect(down.text).toContain('# a comment nobody owns\n  - id: wait');
    expect(moveTask(down, 'hello', 'up').text).toBe(small);
    expect(moveTask(parsed, 'bye', 'down')).toBe(parsed);
  });

  it('moves nested tasks within their branch, carrying their notes', () => {
    const noted = setNoteBefore(parseFlow(flow04), 'yellow_merge_data', 'Merge into the final table.');
    const moved = moveTask(noted, 'yellow_merge_data', 'up');
    const then = moved.flow!.tasks[2].then;
    expect(Array.isArray(then) && then.map((t: { id: string }) => t.id).slice(4)).toEqual(['yellow_merge_data', 'yellow_add_unique_id_and_filename']);
    expect(notesBefore(moved, 'yellow_merge_data')).toBe('Merge into the final table.');
    expect(notesBefore(moved, 'yellow_add_unique_id_and_filename')).toBeUndefined();
  });
});

describe('notes', () => {
  const markdown = '## Extract\n\nDownloads the month\'s CSV with `wget`.\n  - indented item\n#not a heading';

  it('writes a note as comments above the task and reads it back exactly', () => {
    const after = setNoteBefore(parseFlow(flow04), 'extract', markdown);
    expectOnlyChange(flow04, after.text, '\n  - id: extract\n', "\n  # %% [markdown]\n  # ## Extract\n  #\n  # Downloads the month's CSV with `wget`.\n  #   - indented item\n  # #not a heading\n  - id: extract\n");
    expect(after.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(notesBefore(after, 'extract')).toBe(markdown);
  });

  it('survives export and re-import byte for byte', () => {
    const exported = exportFlow(setNoteBefore(parseFlow(flow04), 'green_merge_data', markdown));
    const reimported = parseFlow(exported);
    expect(exportFlow(reimported)).toBe(exported);
    expect(notesBefore(reimported, 'green_merge_data')).toBe(markdown);
    expect(notesBefore(reimported, 'green_add_unique_id_and_filename')).toBeUndefined();
  });

  it('replaces and removes a note, restoring the original text', () => {
    const once = setNoteBefore(parseFlow(small), 'wait', 'first');
    const twice = setNoteBefore(once, 'wait', 'second\nline');
    expect(notesBefore(twice, 'wait')).toBe('second\nline');
    expect(setNoteBefore(twice, 'wait', null).text).toBe(small);
  });

  it('does not take plain comments or block scalar lines for a note', () => {
    expect(notesBefore(parseFlow(small), 'hello')).toBeUndefined();
    const text = 'id: x\nnamespace: y\ntasks:\n  - id: a\n    type: t.T\n    script: |\n      echo hi\n      # %% [markdown]\n  - id: b\n    type: t.T\n';
    expect(notesBefore(parseFlow(text), 'b')).toBeUndefined();
  });

  it('keeps a note above the first task when a task is inserted first', () => {
    const noted = setNoteBefore(parseFlow(small), 'hello', 'Say hello');
    const after = insertTask(noted, null, 'id: zero\ntype: t.T');
    expect(notesBefore(after, 'hello')).toBe('Say hello');
    expect(notesBefore(after, 'zero')).toBeUndefined();
  });
});
