/**
 * ForEachItem as Kestra runs it (kestra-io/kestra core/src/main/java/io/kestra/plugin/core/flow/ForEachItem.java,
 * core/src/main/java/io/kestra/core/services/StorageService.java for the batches,
 * ExecutableUtils.manageIterations for `iterations`): the file's lines cut into batches, one
 * child execution per batch with `taskrun.items`, the children's outputs merged in batch order.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestEngine, statesOf } from '../../../../test/support/engine';
import { flowsResolver, type ResolvedFlow } from '../../../engine';
import { fromIonText } from '../../../template/ion';
import { parseReadableBytes } from './batches';
import { parseFlow } from '../../catalog';

const children: ResolvedFlow[] = [];
const t = createTestEngine({ flows: flowsResolver(children, 'this test') });
afterAll(() => t.close());

children.push({
  flow: t.flow(`
id: batch_reader
namespace: company.team
inputs:
  - id: batch
    type: FILE
  - id: number
    type: INT
tasks:
  - id: fail_on_two
    type: io.kestra.plugin.core.execution.Fail
    runIf: "{{ inputs.number == 2 and (read(inputs.batch) | trim) == 'fail' }}"
outputs:
  - id: lines
    type: STRING
    value: "{{ read(inputs.batch) }}"
  - id: batch_number
    type: INT
    value: "{{ inputs.number }}"
`),
});

function fileOfLines(name: string, lines: string[]): string {
  const file = path.join(t.dataDir, name);
  fs.writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
  return file;
}

const PARENT = (batch: string, extra = '') => `
id: items_parent
namespace: company.team
inputs:
  - id: items
    type: FILE
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEachItem
    items: "{{ inputs.items }}"
    batch:
      ${batch}
    namespace: company.team
    flowId: batch_reader
    inputs:
      batch: "{{ taskrun.items }}"
      number: "{{ taskrun.iteration }}"
${extra}`;

describe('ForEachItem', () => {
  it('cuts a 10-line file into 4 batches of 3 rows (the last 1), runs 4 children and merges their outputs in batch order', async () => {
    const items = fileOfLines('ten.ion', Array.from({ length: 10 }, (_, i) => `{n:${i + 1}}`));
    const result = await t.run(PARENT('rows: 3', `  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.each_items.numberOfBatches }} batches, {{ outputs.each_items.iterations.SUCCESS }} succeeded"
`), { inputs: { items } });
    expect(result.state).toBe('SUCCESS');
    // Kestra's internal tasks, with their own task runs and outputs.
    expect(statesOf(result)).toEqual({ each: 'SUCCESS', each_split: 'SUCCESS', each_items: 'SUCCESS', each_merge: 'SUCCESS', after: 'SUCCESS' });
    expect(result.outputs.each_items).toMatchObject({ numberOfBatches: 4, iterations: { CREATED: 0, RUNNING: 0, SUCCESS: 4 } });
    expect(result.outputs.after).toEqual({ value: '4 batches, 4 succeeded' });

    // The batch files keep the source's extension and hold 3, 3, 3 and 1 lines.
    const splits = t.engine.storage.readTextSync(result.outputs.each_split.splits as string).split('\n');
    expect(splits).toHaveLength(4);
    expect(splits.every((u) => u.startsWith('kestra:///') && u.endsWith('.ion'))).toBe(true);
    expect(splits.map((u) => t.engine.storage.readTextSync(u))).toEqual(['{n:1}\n{n:2}\n{n:3}\n', '{n:4}\n{n:5}\n{n:6}\n', '{n:7}\n{n:8}\n{n:9}\n', '{n:10}\n']);

    // One Ion line per child, in batch order: what each child's flow outputs said.
    const merged = t.engine.storage.readTextSync(result.outputs.each_merge.subflowOutputs as string).trimEnd().split('\n');
    expect(merged.map((line) => fromIonText(line))).toEqual([
      { lines: '{n:1}\n{n:2}\n{n:3}\n', batch_number: 0 },
      { lines: '{n:4}\n{n:5}\n{n:6}\n', batch_number: 1 },
      { lines: '{n:7}\n{n:8}\n{n:9}\n', batch_number: 2 },
      { lines: '{n:10}\n', batch_number: 3 },
    ]);
    // Flowbook also puts the documented outputs on the ForEachItem task run itself.
    expect(result.outputs.each).toEqual({ iterations: result.outputs.each_items.iterations, numberOfBatches: 4, uri: result.outputs.each_merge.subflowOutputs });

    // Each child is an execution of its own, triggered by the parent with its batch number.
    const childIds = result.taskRuns.find((tr) => tr.taskId === 'each_items')?.details?.subflowExecutionIds?.split(',') ?? [];
    expect(new Set(childIds).size).toBe(4);
    expect(childIds).not.toContain(result.id);
  });

  it('fails with transmitFailed when one child fails, and counts it (iterations.FAILED)', async () => {
    const items = fileOfLines('with-failure.txt', ['ok', 'ok', 'fail', 'ok']);
    const result = await t.run(PARENT('rows: 1'), { inputs: { items } });
    expect(result.state).toBe('FAILED');
    expect(statesOf(result)).toMatchObject({ each: 'FAILED', each_split: 'SUCCESS', each_items: 'FAILED' });
    expect(result.taskRuns.find((tr) => tr.taskId === 'each_items')?.error).toContain('"FAILED":1');
    expect(result.taskRuns.some((tr) => tr.taskId === 'each_merge')).toBe(false);
  });

  it('splits by partitions round robin and by bytes, and refuses a file that is not in internal storage', async () => {
    const items = fileOfLines('seven.txt', ['1', '2', '3', '4', '5', '6', '7']);
    const partitioned = await t.run(PARENT('partitions: 3'), { inputs: { items } });
    const parts = t.engine.storage.readTextSync(partitioned.outputs.each_split.splits as string).split('\n').map((u) => t.engine.storage.readTextSync(u));
    expect(parts).toEqual(['1\n4\n7\n', '2\n5\n', '3\n6\n']);

    // A batch ends once it holds at least `bytes` (StorageService.split's predicate is checked before each line).
    const bySize = await t.run(PARENT('bytes: "4B"'), { inputs: { items } });
    const sized = t.engine.storage.readTextSync(bySize.outputs.each_split.splits as string).split('\n').map((u) => t.engine.storage.readTextSync(u));
    expect(sized).toEqual(['1\n2\n', '3\n4\n', '5\n6\n', '7\n']);

    const local = await t.run(`
id: not_storage
namespace: company.team
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEachItem
    items: /etc/hostname
    namespace: company.team
    flowId: batch_reader
`);
    expect(local.state).toBe('FAILED');
    expect(local.taskRuns.find((tr) => tr.taskId === 'each_split')?.error).toBe('task "each": items: Unable to split the items from /etc/hostname, this is not an internal storage URI!');
  });

  it("lets a flow read the internal tasks' outputs and the batch in the child inputs without warnings, and warns about an output they do not have", () => {
    const parsed = parseFlow(`${PARENT('rows: 3')}  - id: after
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.each_items.iterations.SUCCESS }} {{ outputs.each_merge.subflowOutputs }} {{ outputs.each.uri }} {{ outputs.each_split.nope }}"
`);
    expect(parsed.issues.map((i) => i.message)).toEqual([expect.stringMatching(/^`outputs\.each_split\.nope`: .*splits/)]);
  });

  it('reads batch sizes as Micronaut does (readable bytes)', () => {
    expect(parseReadableBytes('10MB')).toBe(10 * 1024 * 1024);
    expect(parseReadableBytes('512kb')).toBe(512 * 1024);
    expect(parseReadableBytes('100')).toBe(100);
    expect(parseReadableBytes('ten')).toBeUndefined();
  });
});
