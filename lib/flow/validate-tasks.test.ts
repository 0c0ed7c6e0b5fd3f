/**
 * Unknown task properties are errors, as in Kestra: YamlParser reads a flow with a Jackson
 * mapper that keeps FAIL_ON_UNKNOWN_PROPERTIES (core/src/main/java/io/kestra/core/serializers/
 * YamlParser.java, STRICT_MAPPER) and turns the UnrecognizedPropertyException into a constraint
 * violation at the property's path. pluginDefaults are merged afterwards with `strict = false`
 * (PluginDefaultService.innerInjectDefault → yamlParser.parse(flowAsMap, Flow.class, false)), so a
 * property only a default brings is not an error.
 */
import { describe, expect, it } from 'vitest';
import { exportFlow, formatIssue, type FlowIssue } from './index';
import { editDistance, closestName } from './suggest';
import { parseFlow } from '../tasks/catalog';

const errors = (issues: FlowIssue[]) => issues.filter((i) => i.severity === 'error');

describe('unknown task properties', () => {
  it('are errors at the key, with the task id and the closest known property', () => {
    const text = `id: typo
namespace: test
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    mesage: Hello
  - id: stop
    type: io.kestra.plugin.core.execution.Fail
    message: broken
`;
    const parsed = parseFlow(text);
    expect(errors(parsed.issues).map((i) => [formatIssue(i), i.taskId])).toEqual([
      ['flow.yaml:4:5: tasks[0].message: `message` is required (set it on the task or in pluginDefaults)', 'hello'],
      ['flow.yaml:6:5: tasks[0].mesage: unknown property `mesage`: io.kestra.plugin.core.log.Log has no such property, and Kestra rejects the flow; did you mean `message`?', 'hello'],
      // Kestra's Fail says `errorMessage` (core/.../plugin/core/execution/Fail.java).
      ['flow.yaml:9:5: tasks[1].message: unknown property `message`: io.kestra.plugin.core.execution.Fail has no such property, and Kestra rejects the flow; did you mean `errorMessage`?', 'stop'],
    ]);
    // The text is kept as written.
    expect(exportFlow(parsed)).toBe(text);
  });

  it('are found in nested tasks and handlers, and a far-off name gets no suggestion', () => {
    const text = `id: nested
namespace: test
tasks:
  - id: group
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - id: inner
        type: io.kestra.plugin.core.debug.Return
        format: x
        colour: blue
errors:
  - id: alert
    type: io.kestra.plugin.core.log.Log
    message: failed
    levle: ERROR
`;
    expect(errors(parseFlow(text).issues).map((i) => [formatIssue(i), i.taskId])).toEqual([
      ['flow.yaml:10:9: tasks[0].tasks[0].colour: unknown property `colour`: io.kestra.plugin.core.debug.Return has no such property, and Kestra rejects the flow', 'inner'],
      ['flow.yaml:15:5: errors[0].levle: unknown property `levle`: io.kestra.plugin.core.log.Log has no such property, and Kestra rejects the flow; did you mean `level`?', 'alert'],
    ]);
  });

  it('accept every property of Kestra’s base Task class on any task', () => {
    // The fields of io.kestra.core.models.tasks.Task (core/src/main/java/io/kestra/core/models/tasks/Task.java).
    const text = `id: common
namespace: test
tasks:
  - id: everything
    type: io.kestra.plugin.core.log.Log
    message: hi
    description: says hi
    version: "1.0"
    pluginDefaultsRef: quiet
    retry:
      type: constant
      interval: PT1S
      maxAttempts: 2
    timeout: PT1M
    disabled: false
    workerGroup:
      key: gpu
    logLevel: INFO
    allowFailure: true
    logToFile: false
    runIf: "{{ true }}"
    allowWarning: true
    taskCache:
      enabled: true
      ttl: PT1H
    assets:
      inputs: []
`;
    expect(errors(parseFlow(text).issues)).toEqual([]);
  });

  it('accept errors and finally on a flowable task only', () => {
    const text = `id: handlers
namespace: test
tasks:
  - id: group
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - id: a
        type: io.kestra.plugin.core.log.Log
        message: a
    errors:
      - id: b
        type: io.kestra.plugin.core.log.Log
        message: b
    finally:
      - id: c
        type: io.kestra.plugin.core.log.Log
        message: c
  - id: plain
    type: io.kestra.plugin.core.log.Log
    message: plain
    errors: []
`;
    expect(errors(parseFlow(text).issues).map((i) => formatIssue(i))).toEqual([
      'flow.yaml:21:5: tasks[1].errors: unknown property `errors`: io.kestra.plugin.core.log.Log has no such property, and Kestra rejects the flow',
    ]);
  });

  it('ignore a property that only pluginDefaults bring, as Kestra applies them leniently', () => {
    const text = `id: defaults
namespace: test
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: hi
  - id: stop
    type: io.kestra.plugin.core.execution.Fail
    condition: "false"
pluginDefaults:
  - type: io.kestra.plugin.core
    values:
      level: WARN
  - type: io.kestra.plugin.core.execution.Fail
    forced: true
    values:
      level: ERROR
`;
    expect(errors(parseFlow(text).issues)).toEqual([]);
  });

  it('accept the Kestra properties Flowbook does not use, so a Kestra flow validates', () => {
    const text = `id: kestra
namespace: test
tasks:
  - id: download
    type: io.kestra.plugin.core.http.Download
    uri: https://example.com/a.csv
    options:
      connectTimeout: PT10S
    contentType: text/csv
  - id: request
    type: io.kestra.plugin.core.http.Request
    uri: https://example.com/api
    method: POST
    formData:
      user: ada
    encryptBody: false
  - id: set
    type: io.kestra.plugin.core.kv.Set
    key: K
    value: v
    kvDescription: a key
  - id: py
    type: io.kestra.plugin.scripts.python.Script
    pythonVersion: "3.12"
    dependencyCacheEnabled: true
    outputDirectory: true
    script: print(1)
  - id: pg
    type: io.kestra.plugin.jdbc.postgresql.Query
    url: jdbc:postgresql://localhost:5432/db
    ssl: false
    timeZoneId: UTC
    afterSQL: SELECT 1
    sql: SELECT 1
  - id: copy
    type: io.kestra.plugin.jdbc.postgresql.CopyIn
    url: jdbc:postgresql://localhost:5432/db
    from: "{{ outputs.download.uri }}"
    table: t
    oids: false
  - id: duck
    type: io.kestra.plugin.jdbc.duckdb.Queries
    sql: SELECT 1
    transaction: true
    communityExtensions: []
`;
    expect(errors(parseFlow(text).issues).map((i) => formatIssue(i))).toEqual([]);
  });
});

describe('did you mean', () => {
  it('counts a transposition as one edit', () => {
    expect(editDistance('mesasge', 'message')).toBe(1);
    expect(editDistance('mesage', 'message')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests a close name, or one the misspelt name ends or starts with, and nothing far off', () => {
    expect(closestName('mesage', ['message', 'level'])).toBe('message');
    expect(closestName('Message', ['message', 'level'])).toBe('message');
    expect(closestName('errorMessage', ['message', 'level'])).toBe('message');
    expect(closestName('message', ['errorMessage', 'condition'])).toBe('errorMessage');
    expect(closestName('colour', ['format'])).toBeUndefined();
  });
});
