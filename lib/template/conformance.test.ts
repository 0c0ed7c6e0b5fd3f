/**
 * Conformance table: each row is a template and the exact text Kestra (Pebble 3.2 with
 * Kestra's extension, strictVariables, newLineTrimming off) produces for it. The `kestra`
 * column says where the expected output comes from.
 */
import { describe, expect, it } from 'vitest';
import { defaultHost, MissingVariableError, renderTemplate, TemplateError, type TemplateHost } from './index';

const host: TemplateHost = defaultHost({
  now: () => new Date('2024-03-05T10:15:30.123Z'),
  kv: (key, namespace, errorOnMissing) => {
    if (key === 'GCP_BUCKET_NAME') return 'my-bucket';
    if (errorOnMissing) throw new TemplateError(`The key '${key}' does not exist in the namespace '${namespace ?? 'zoomcamp'}'.`);
    return null;
  },
  read: (uri) => (uri === 'kestra:///zoomcamp/f/file.txt' ? 'file content' : `no file ${uri}`),
});

/** Variables as Kestra's RunVariables would build them for 04_postgres_taxi (manual run). */
const manual = {
  flow: { id: '04_postgres_taxi', namespace: 'zoomcamp' },
  execution: { id: 'exec1', startDate: '2024-01-15T08:30:00.123456Z' },
  inputs: { taxi: 'green', year: '2019', month: '01', columns_to_keep: ['brand', 'price'], count: 3, blank: '  ', nothing: null },
  vars: {
    file: '{{inputs.taxi}}_tripdata_{{inputs.year}}-{{inputs.month}}.csv',
    table: 'public.{{inputs.taxi}}_tripdata',
    viaFile: '{{ vars.file }}',
    gcs_file: "gs://{{kv('GCP_BUCKET_NAME')}}/{{vars.file}}",
    grow: 'a{{ vars.grow }}',
  },
  map: { a: 1, b: 'two' },
  list: [3, 1, 2],
  words: 'hello big world',
};
/** 05_postgres_taxi_scheduled: the Schedule trigger adds `trigger.date` (an ISO string). */
const scheduled = { ...manual, trigger: { date: '2019-02-01T00:00:00Z' } };

type Row = { template: string; expected: string; kestra: string; vars?: Record<string, unknown> };

const rows: Record<string, Row[]> = {
  'rendering basics': [
    { template: 'no braces at all', expected: 'no braces at all', kestra: 'VariableRenderer.render: no "{" short-circuits' },
    { template: '{{ inputs.taxi }}', expected: 'green', kestra: 'PrintNode + JsonWriter (scalar toString)' },
    { template: '{{ inputs.columns_to_keep }}', expected: '["brand","price"]', kestra: 'JsonWriter: Collection -> Jackson JSON (03 json.loads)' },
    { template: '{{ map }}', expected: '{"a":1,"b":"two"}', kestra: 'JsonWriter: Map -> Jackson JSON' },
    { template: '[{{ inputs.nothing }}]', expected: '[]', kestra: 'JsonWriter.write(null) writes nothing' },
    { template: '{{ vars.file }}', expected: '{{inputs.taxi}}_tripdata_{{inputs.year}}-{{inputs.month}}.csv', kestra: 'recursiveRendering=false: output stays literal' },
    { template: '{% raw %}{{ inputs.taxi }}{% endraw %}', expected: '{{ inputs.taxi }}', kestra: 'VariableRenderer RAW_PATTERN' },
    { template: 'a{# hidden #}b', expected: 'ab', kestra: 'Pebble comment' },
    { template: 'a  {{- "b" -}}  c', expected: 'abc', kestra: 'Pebble whitespace control "-"' },
    { template: 'a\n{%- if true %} b {% endif -%}\nc', expected: 'a b c', kestra: 'Pebble whitespace control on tags' },
    { template: '{% verbatim %}{{ x }}{% endverbatim %}', expected: '{{ x }}', kestra: 'Pebble verbatim tag' },
  ],
  literals: [
    { template: '{{ 3 }}|{{ 3.0 }}|{{ 2.5 }}', expected: '3|3.0|2.5', kestra: 'Long vs Double toString' },
    { template: '{{ true }}|{{ false }}|[{{ null }}]', expected: 'true|false|[]', kestra: 'LiteralBoolean/LiteralNull' },
    { template: "{{ 'it\\'s' }}", expected: "it's", kestra: 'LexerImpl.unquoteAndUnescape' },
    { template: '{{ "hi #{inputs.taxi}!" }}', expected: 'hi green!', kestra: 'Pebble string interpolation' },
    { template: "{{ [1, 'a', 2.0] }}", expected: '[1,"a",2.0]', kestra: 'ArrayExpression + Jackson' },
    { template: "{{ {'k': 'v', 'n': 1} }}", expected: '{"k":"v","n":1}', kestra: 'MapExpression (quoted keys) + Jackson' },
    { template: '{{ 1..3 }}', expected: '[1,2,3]', kestra: 'RangeExpression, inclusive' },
  ],
  operators: [
    { template: '{{ 1 / 2 }}', expected: '0', kestra: 'OperatorUtils.longOperation: integer division' },
    { template: '{{ 1 / 2.0 }}', expected: '0.5', kestra: 'OperatorUtils.doubleOperation' },
    { template: '{{ 1 + 1.5 }}|{{ 2 * 3.0 }}', expected: '2.5|6.0', kestra: 'widening to double' },
    { template: '{{ 7 % 3 }}|{{ -3 }}|{{ 2 + 3 * 4 }}|{{ (2 + 3) * 4 }}', expected: '1|-3|14|20', kestra: 'precedence * 60 > + 40' },
    { template: "{{ 'n=' + 1 }}", expected: 'n=1', kestra: 'OperatorUtils.add: string concatenation' },
    { template: "{{ 'a' ~ 'b' ~ 1 }}", expected: 'ab1', kestra: 'ConcatenateExpression' },
    { template: '{{ 1 == 1.0 }}|{{ 2 > 1 }}|{{ 1 >= 2 }}', expected: 'true|true|false', kestra: 'numeric comparison across long/double' },
    { template: "{{ 'b' > 'a' }}|{{ 'a' == 'a' }}|{{ 'a' != 'b' }}", expected: 'true|true|true', kestra: 'Kestra GreaterThanExpression: string compareTo' },
    { template: '{{ true and false }}|{{ false or true }}|{{ not false }}', expected: 'false|true|true', kestra: 'And/Or/UnaryNot' },
    { template: '{{ not false and false }}', expected: 'false', kestra: 'unary not binds tighter (500) than and (15)' },
    { template: "{{ inputs.count > 2 ? 'big' : 'small' }}", expected: 'big', kestra: 'TernaryExpression' },
    { template: "{{ inputs.columns_to_keep contains 'brand' }}|{{ map contains 'a' }}|{{ words contains 'big' }}", expected: 'true|true|true', kestra: 'ContainsExpression' },
    { template: "{{ inputs.nothing ?? 'fallback' }}", expected: 'fallback', kestra: 'Kestra ?? on null' },
    { template: "{{ inputs.missing ?? 'fallback' }}", expected: 'fallback', kestra: 'Kestra ?? on undefined' },
    { template: "[{{ inputs.nothing ??? 'fallback' }}]", expected: '[]', kestra: 'Kestra ??? keeps null' },
    { template: "{{ inputs.missing ??? 'fallback' }}", expected: 'fallback', kestra: 'Kestra ??? on undefined' },
    { template: '{{ trigger.date ?? execution.startDate }}', expected: '2024-01-15T08:30:00.123456Z', kestra: 'docs backfill: manual run fallback' },
    { template: "{{ trigger.date ?? execution.startDate | date('yyyy-MM-dd') }}", expected: '2024-01-15', kestra: '?? (120) binds tighter than | (100)' },
    { template: "{{ 'x-' ~ inputs.taxi | upper }}", expected: 'X-GREEN', kestra: '~ (110) binds tighter than | (100): filter applies to the concatenation' },
  ],
  tests: [
    { template: '{{ 2 is even }}|{{ 3 is odd }}|{{ 3 is not even }}', expected: 'true|true|true', kestra: 'EvenTest/OddTest/NegativeTestExpression' },
    { template: '{{ inputs.missing is defined }}|{{ inputs.taxi is defined }}', expected: 'false|true', kestra: 'DefinedTest catches AttributeNotFoundException' },
    { template: '{{ inputs.nothing is null }}|{{ inputs.blank is empty }}|{{ list is iterable }}|{{ map is map }}', expected: 'true|true|true|true', kestra: 'NullTest/EmptyTest (trims strings)/IterableTest/MapTest' },
    { template: '{{ \'{"a":1}\' is json }}', expected: 'true', kestra: 'Kestra JsonTest' },
  ],
  tags: [
    { template: "{% if inputs.taxi == 'yellow' %}Y{% elseif inputs.taxi == 'green' %}G{% else %}?{% endif %}", expected: 'G', kestra: 'IfNode' },
    { template: "{% for c in inputs.columns_to_keep %}{{ loop.index }}{{ c }}{% if not loop.last %},{% endif %}{% endfor %}", expected: '0brand,1price', kestra: 'ForNode: loop.index is 0-based' },
    { template: '{% for x in [] %}x{% else %}none{% endfor %}', expected: 'none', kestra: 'ForNode else branch' },
    { template: '{% for e in map %}{{ e.key }}={{ e.value }};{% endfor %}', expected: 'a=1;b=two;', kestra: 'ForNode iterates Map.entrySet()' },
    { template: '{% set x = inputs.count * 2 %}{{ x }}', expected: '6', kestra: 'SetNode' },
    { template: '{% filter upper %}hello {{ inputs.taxi }}{% endfilter %}', expected: 'HELLO GREEN', kestra: 'Pebble filter tag' },
  ],
  'date filters': [
    { template: '{{ trigger.date | date("yyyy-MM") }}', vars: scheduled, expected: '2019-02', kestra: '05_postgres_taxi_scheduled: MM is month' },
    { template: "{{inputs.taxi}}_tripdata_{{trigger.date | date('yyyy-MM')}}.csv", vars: scheduled, expected: 'green_tripdata_2019-02.csv', kestra: '05 flow file variable' },
    { template: '{{ trigger.date | date }}', vars: scheduled, expected: '2019-02-01T00:00:00.000000Z', kestra: "AbstractDate 'iso' = yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX" },
    { template: "{{ trigger.date | date('iso_sec') }}|{{ trigger.date | date('sql') }}|{{ trigger.date | date('sql_seq') }}", vars: scheduled, expected: '2019-02-01T00:00:00Z|2019-02-01 00:00:00.000000|2019-02-01 00:00:00', kestra: 'AbstractDate FORMATTERS' },
    { template: "{{ trigger.date | date('iso_local_date') }}|{{ trigger.date | date('iso_instant') }}", vars: scheduled, expected: '2019-02-01|2019-02-01T00:00:00Z', kestra: 'ISO_LOCAL_DATE / ISO_INSTANT' },
    { template: "{{ trigger.date | date('rfc_1123_date_time') }}", vars: scheduled, expected: 'Fri, 1 Feb 2019 00:00:00 GMT', kestra: 'RFC_1123_DATE_TIME' },
    { template: "{{ trigger.date | date('yyyy-MM-dd HH:mm', timeZone='Europe/Paris') }}", vars: scheduled, expected: '2019-02-01 01:00', kestra: 'formatter.withZone converts the instant' },
    { template: "{{ '2024-01-15' | date('yyyy/MM/dd HH:mm') }}", expected: '2024/01/15 00:00', kestra: 'String LocalDate -> atStartOfDay' },
    { template: "{{ '2024-01-15T10:20:30' | date('HH:mm') }}", expected: '10:20', kestra: 'String LocalDateTime in the default zone' },
    { template: "{{ 1700000000 | date('yyyy-MM-dd HH:mm:ss') }}", expected: '2023-11-14 22:13:20', kestra: 'Long input = epoch seconds' },
    { template: "{{ '15/01/2024 10:00' | date('yyyy-MM-dd', existingFormat='dd/MM/yyyy HH:mm') }}", expected: '2024-01-15', kestra: 'existingFormat' },
    { template: "{{ trigger.date | date('EEE d MMM yyyy') }}", vars: scheduled, expected: 'Fri 1 Feb 2019', kestra: 'text fields, en-US locale' },
    { template: "{{ trigger.date | dateAdd(-1, 'DAYS') | date('yyyy-MM-dd') }}", vars: scheduled, expected: '2019-01-31', kestra: 'DateAddFilter + DateFilter' },
    { template: "{{ trigger.date | dateAdd(1, 'MONTHS', 'yyyy-MM') }}", vars: scheduled, expected: '2019-03', kestra: 'DateAddFilter format argument' },
    { template: '{{ trigger.date | timestamp }}', vars: scheduled, expected: '1548979200', kestra: 'TimestampFilter: epoch seconds' },
    { template: '{{ now() }}', expected: '2024-03-05T10:15:30.123000Z', kestra: "NowFunction: format(now, 'iso')" },
    { template: "{{ now(format='yyyy-MM-dd HH:mm', timeZone='America/New_York') }}", expected: '2024-03-05 05:15', kestra: 'NowFunction arguments' },
  ],
  'string filters': [
    { template: "{{ 'Hello' | upper }}|{{ 'Hello' | lower }}|{{ '  x ' | trim }}", expected: 'HELLO|hello|x', kestra: 'Upper/Lower/TrimFilter' },
    { template: "{{ 'hello big world' | title }}|{{ 'hello world' | capitalize }}", expected: 'Hello Big World|Hello world', kestra: 'TitleFilter/CapitalizeFilter' },
    { template: "{{ 'a_b_c' | replace({'_': '-'}) }}", expected: 'a-b-c', kestra: 'ReplaceFilter (map of pairs)' },
    { template: "{{ 'a,b,,c,,' | split(',') }}", expected: '["a","b","","c"]', kestra: 'SplitFilter: Java String.split drops trailing empties' },
    { template: "{{ 'a.b.c' | split('\\\\.') | join('/') }}", expected: 'a/b/c', kestra: 'split takes a regex; JoinFilter' },
    { template: "{{ 'Hello World! Ça va?' | slugify }}", expected: 'hello-world-ca-va', kestra: 'Kestra Slugify.of' },
    { template: "{{ 'file.tar.gz' | substringBefore('.') }}|{{ 'file.tar.gz' | substringAfter('.') }}|{{ 'file.tar.gz' | substringBeforeLast('.') }}|{{ 'file.tar.gz' | substringAfterLast('.') }}", expected: 'file|tar.gz|file.tar|gz', kestra: 'Kestra substring filters (commons-lang)' },
    { template: "{{ 'kestra' | startsWith('kes') }}|{{ 'kestra' | endsWith('tra') }}", expected: 'true|true', kestra: 'StartsWith/EndsWithFilter' },
    { template: "{{ 'hello' | md5 }}", expected: '5d41402abc4b2a76b9719d911017c592', kestra: 'Md5Filter (hex, lower case)' },
    { template: "{{ 'hello' | sha1 }}", expected: 'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d', kestra: 'Sha1Filter' },
    { template: "{{ 'hello' | sha512 }}", expected: '9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043', kestra: 'Sha512Filter' },
    { template: "{{ 'a b&c=d/é' | urlencode }}|{{ 'a+b%26c' | urldecode }}", expected: 'a+b%26c%3Dd%2F%C3%A9|a b&c', kestra: 'URLEncoder/URLDecoder UTF-8' },
    { template: "{{ 'it\\'s' | escapeChar('single') }}|{{ 'it\\'s' | escapeChar('shell') }}", expected: "it\\'s|it'\\''s", kestra: 'Kestra EscapeCharFilter' },
    { template: "{{ 'a\nb' | indent(2) }}|{{ 'a\nb' | nindent(2) }}", expected: 'a\n  b|\n  a\n  b', kestra: 'Kestra IndentFilter/NindentFilter' },
    { template: "{{ 'hello world' | abbreviate(8) }}|{{ 'hello' | abbreviate(5) }}", expected: 'hello...|he...', kestra: 'Pebble AbbreviateFilter' },
    { template: "{{ inputs.missing | default('dflt') }}|{{ inputs.blank | default('dflt') }}|{{ inputs.taxi | default('dflt') }}", expected: 'dflt|dflt|green', kestra: 'DefaultFilter: undefined or empty' },
  ],
  'collection filters': [
    { template: '{{ list | first }}|{{ list | last }}|{{ list | length }}|{{ words | length }}', expected: '3|2|3|15', kestra: 'First/Last/LengthFilter' },
    { template: '{{ list | sort }}|{{ list | reverse }}|{{ list | slice(1, 3) }}', expected: '[1,2,3]|[2,1,3]|[1,2]', kestra: 'Sort/Reverse/SliceFilter' },
    { template: '{{ map | keys }}|{{ map | values }}', expected: '["a","b"]|[1,"two"]', kestra: 'Kestra Keys/ValuesFilter' },
    { template: '{{ [1, 2, 3, 4, 5] | chunk(2) }}', expected: '[[1,2],[3,4],[5]]', kestra: 'Kestra ChunkFilter (Lists.partition)' },
    { template: '{{ [[1, 2], 3, [4]] | flatten }}', expected: '[1,2,3,4]', kestra: 'Kestra FlattenFilter' },
    { template: "{{ map | toJson }}|{{ 'a' | json }}|{{ inputs.nothing | toJson }}", expected: '{"a":1,"b":"two"}|"a"|null', kestra: 'Kestra ToJson/JsonFilter' },
    { template: '{{ -5 | abs }}|{{ -2.5 | abs }}', expected: '5|2.5', kestra: 'AbsFilter' },
    { template: "{{ '42' | number + 1 }}|{{ '2.5' | number }}|{{ '7' | number('DOUBLE') }}", expected: '43|2.5|7.0', kestra: 'Kestra NumberFilter (NumberUtils.createNumber)' },
    { template: '{{ map | yaml }}', expected: 'a: 1\nb: two\n', kestra: 'Kestra YamlFilter' },
  ],
  functions: [
    { template: '{{ render(vars.file) }}', expected: 'green_tripdata_2019-01.csv', kestra: 'RenderFunction (04/05 flows)' },
    { template: '{{ render(vars.viaFile) }}|{{ renderOnce(vars.viaFile) }}', expected: 'green_tripdata_2019-01.csv|{{inputs.taxi}}_tripdata_{{inputs.year}}-{{inputs.month}}.csv', kestra: 'render recursive vs RenderOnceFunction' },
    { template: '{{ render(vars.gcs_file) }}', expected: 'gs://my-bucket/green_tripdata_2019-01.csv', kestra: 'semantics doc: 08/09 gcs_file needs two passes' },
    { template: '{% set t = "{{ inputs.taxi }}" %}{{ render(t) }}', expected: 'green', kestra: 'render sees the current context' },
    { template: "{{ kv('GCP_BUCKET_NAME') }}|[{{ kv('NOPE', errorOnMissing=false) }}]", expected: 'my-bucket|[]', kestra: 'KvFunction' },
    { template: "{{ read('kestra:///zoomcamp/f/file.txt') }}", expected: 'file content', kestra: 'ReadFileFunction' },
    { template: '{{ fromJson(\'{"a":[1,2]}\').a[1] }}|{{ json(\'{"b":true}\').b }}', expected: '2|true', kestra: 'FromJsonFunction / JsonFunction' },
    { template: "{{ yaml('{a: 1, b: [x, y]}').b }}", expected: '["x","y"]', kestra: 'YamlFunction (single quotes keep \\n literal in Pebble)' },
    { template: '{{ range(1, 5, 2) }}|{{ max(1, 7, 3) }}|{{ min(4, 2) }}', expected: '[1,3,5]|7|2', kestra: 'Pebble RangeFunction/Max/Min' },
  ],
};

describe('Kestra conformance', () => {
  for (const [group, groupRows] of Object.entries(rows)) {
    describe(group, () => {
      it.each(groupRows)('$template  ($kestra)', ({ template, expected, vars }) => {
        expect(renderTemplate(template, vars ?? manual, host)).toBe(expected);
      });
    });
  }
});

describe('Kestra conformance: errors', () => {
  const errorRows: { template: string; message: string; kestra: string }[] = [
    { template: '{{ missing }}', message: "Missing variable: 'missing' on '{{ missing }}' at line 1", kestra: 'properPebbleException (RootAttributeNotFound)' },
    { template: '{{ inputs.nope }}', message: "Missing variable: 'nope' on '{{ inputs.nope }}' at line 1", kestra: 'AttributeNotFoundException on a map' },
    { template: 'line1\n{{ trigger.date }}', message: "Missing variable: 'trigger' on 'line1\n{{ trigger.date }}' at line 2", kestra: 'manual run of 05: no trigger' },
    { template: '{{ inputs.nothing.x }}', message: "Missing variable: 'x' on '{{ inputs.nothing.x }}' at line 1", kestra: 'attribute of null' },
    { template: '{{ list[5] }}', message: "Missing variable: '5' on '{{ list[5] }}' at line 1", kestra: 'index out of bounds with strict variables' },
  ];
  it.each(errorRows)('$template  ($kestra)', ({ template, message }) => {
    let caught: unknown;
    try {
      renderTemplate(template, manual, host);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(MissingVariableError);
    expect((caught as Error).message).toBe(message);
  });

  it('stops a render() that never settles with "Too many rendering attempts" (MAX_RENDERING_AMOUNT = 100)', () => {
    expect(() => renderTemplate('{{ render(vars.grow) }}', manual, host)).toThrow('Too many rendering attempts');
  });

  it('names an unknown filter and where it is', () => {
    expect(() => renderTemplate('x {{ inputs.taxi | nope }}', manual, host)).toThrow(
      "Filter [nope] does not exist in '{{ inputs.taxi | nope }}' at line 1, column 20",
    );
  });

  it('refuses a multi-line {% raw %} block, which Kestra does not protect', () => {
    expect(() => renderTemplate('{% raw %}\n{{ x }}\n{% endraw %}', manual, host)).toThrow(/Unexpected tag name "raw"/);
  });

  it('reports integer division by zero like Java', () => {
    expect(() => renderTemplate('{{ 1 / 0 }}', manual, host)).toThrow('/ by zero');
  });
});
