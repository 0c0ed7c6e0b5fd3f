/**
 * Kestra's core filters, functions and tags beyond the course flows: each row is a template
 * and the exact text Kestra produces, with the `kestra` column naming where that comes from
 * (Kestra's or Pebble's source and tests, or the JDK/Jackson behaviour they delegate to, run
 * on a JVM for the rows that say "JDK" or "Jackson").
 */
import { Buffer } from 'node:buffer';
import { createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultHost, renderTemplate, TemplateError, type TemplateHost } from './index';
import { JqError, runJq } from './jq';

const host: TemplateHost = defaultHost({ now: () => new Date('2024-03-05T10:15:30.123Z') });

const vars = {
  flow: { id: 'flow', namespace: 'my.namespace' },
  zoned: '2013-09-08T16:19:12.123456+01:00',
  list: [3, 1, 2],
  payload: { name: 'John Doe', score: { English: 72, Maths: 88, French: 95 }, years: [2020, 2021] },
  second: { string: 'string', int: 1, list: ['string', 1, 1.5], bool: true, map: { k: 'v' } },
};

type Row = { template: string; expected: string; kestra: string; vars?: Record<string, unknown> };

const rows: Record<string, Row[]> = {
  numberFormat: [
    { template: '{{ 12345.678 | numberFormat("#,##0.00") }}', expected: '12,345.68', kestra: 'ExtensionCustomizer registers Pebble NumberFormatFilter as numberFormat; JDK DecimalFormat' },
    { template: '{{ 3.141592653 | numberFormat("#.##") }}', expected: '3.14', kestra: 'Kestra docs expressions: numberFormat example' },
    { template: '{{ 0.5 | numberFormat("#.##") }}|{{ 0.5 | numberFormat("#.00") }}', expected: '0.5|.50', kestra: 'JDK applyPattern: "#.##" reads as "#0.##", "#.00" has no integer digit' },
    { template: '{{ 0.15 | numberFormat("0.0") }}|{{ 0.25 | numberFormat("0.0") }}|{{ 1.005 | numberFormat("0.00") }}', expected: '0.1|0.2|1.00', kestra: 'JDK DecimalFormat HALF_EVEN on the exact binary value' },
    { template: '{{ 2.5 | numberFormat("0") }}|{{ 3.5 | numberFormat("0") }}|{{ -0.001 | numberFormat("0.00") }}', expected: '2|4|-0.00', kestra: 'JDK DecimalFormat: ties to even, sign kept on a negative rounded to zero' },
    { template: '{{ 1234567 | numberFormat }}|{{ 1234567.891 | numberFormat }}', expected: '1,234,567|1,234,567.891', kestra: 'NumberFormatFilter without format: NumberFormat.getInstance(en-US)' },
    { template: '{{ 12345 | numberFormat("0.###E0") }}|{{ 0.00123 | numberFormat("00.###E0") }}|{{ 123456 | numberFormat("##0.#####E0") }}', expected: '1.234E4|12.3E-4|123.456E3', kestra: 'JDK DecimalFormat scientific and engineering notation (javadoc examples)' },
    { template: '{{ 0.256 | numberFormat("#%") }}|{{ -1234.5 | numberFormat("#,##0.00;(#,##0.00)") }}|{{ 1234.5 | numberFormat("¤#,##0.00") }}', expected: '26%|(1,234.50)|$1,234.50', kestra: 'JDK DecimalFormat percent, negative subpattern, currency sign (en-US)' },
    { template: "{{ 12 | numberFormat(\"'#'#\") }}|{{ 42 | numberFormat('00000') }}|{{ -1234567 | numberFormat('#,##0.00') }}", expected: '#12|00042|-1,234,567.00', kestra: 'JDK DecimalFormat quoting, minimum integer digits, format(long)' },
  ],
  className: [
    { template: "{{ 'a' | className }}|{{ true | className }}", expected: 'java.lang.String|java.lang.Boolean', kestra: 'ClassNameFilter: input.getClass().getName()' },
    { template: '{{ 1 | className }}|{{ 1.5 | className }}|{{ [1] | className }}', expected: 'java.lang.Long|java.lang.Double|java.util.ArrayList', kestra: 'Pebble literals: Long, Double, ArrayExpression ArrayList' },
    { template: '{{ second.map | className }}|[{{ null | className }}]', expected: 'java.util.LinkedHashMap|[]', kestra: 'Jackson maps are LinkedHashMap; ClassNameFilter null -> null' },
  ],
  replace: [
    { template: "{{ 'john doe is john doe' | replace({'john': 'jane'}) }}", expected: 'jane doe is jane doe', kestra: 'ReplaceFilterTest.string' },
    { template: "{{ 'aa1bb2cc3dd4ee5' | replace({'(\\d)': '-$1-'}, regexp=true) }}", expected: 'aa-1-bb-2-cc-3-dd-4-ee-5-', kestra: 'ReplaceFilterTest.regexp' },
    { template: "{{ 'john smith' | replace({'(?<first>\\\\w+) (\\\\w+)': '$2, ${first}'}, regexp=true) }}", expected: 'smith, john', kestra: 'String.replaceAll: $n and ${name} group references' },
    { template: "{{ 'a.b' | replace({'.': '-'}) }}|{{ 'a.b' | replace({'.': '-'}, regexp=true) }}", expected: 'a-b|---', kestra: 'ReplaceFilter: String.replace vs String.replaceAll' },
    { template: "{{ 'ABC abc' | replace({'(?i)b': '_'}, regexp=true) }}", expected: 'A_C a_c', kestra: 'java.util.regex inline flag (?i)' },
    { template: "{{ {'k': 'a1', 'l': ['b2', 3]} | replace({'[0-9]': 'N'}, regexp=true) }}", expected: '{"k":"aN","l":["bN","N"]}', kestra: 'ReplaceFilter.processMap/processList: every value replaced as text' },
  ],
  timestamps: [
    { template: '{{ zoned | timestamp(timeZone="Europe/Paris") }}', expected: '1378653552', kestra: 'DateFilterTest.timestamp' },
    { template: '{{ zoned | timestampMilli(timeZone="Europe/Paris") }}', expected: '1378653552123', kestra: 'DateFilterTest.instantMilli' },
    { template: '{{ zoned | timestampMicro(timeZone="Europe/Paris") }}', expected: '1378653552000123456', kestra: 'DateFilterTest.instantMicro (SECONDS.toNanos + NANOSECONDS.toMicros)' },
    { template: '{{ zoned | timestampNano(timeZone="Europe/Paris") }}', expected: '1378653552123456000', kestra: 'DateFilterTest.instantNano' },
    { template: '{{ (zoned | timestampNano) | className }}', expected: 'java.lang.String', kestra: 'TimestampNanoFilter returns String.valueOf(...)' },
  ],
  yaml: [
    { template: '{{ second.list | yaml }}', expected: ' - string\n - 1\n - 1.5\n', kestra: 'YamlFilterTest.map: INDENT_ARRAYS puts the dash one space in' },
    { template: '{{ second.string | yaml }}|{{ second.int | yaml }}|{{ second.bool | yaml }}', expected: 'string\n|1\n|true\n', kestra: 'YamlFilterTest.map scalars' },
    { template: "{{ {'k': [1, {'x': 'y', 'z': []}], 'e': {}} | yaml }}", expected: 'k:\n - 1\n -\n  x: "y"\n  z: []\ne: {}\n', kestra: 'Jackson 2.17 YAMLGenerator + SnakeYAML: map in a list on the next line, "y" reserved' },
    { template: '{{ [[1, 2], [3]] | yaml }}', expected: ' -\n   - 1\n   - 2\n -\n   - 3\n', kestra: 'Jackson YAMLGenerator: nested lists' },
    { template: "{{ {'a': {'b': [1, 2]}} | yaml }}", expected: 'a:\n  b:\n   - 1\n   - 2\n', kestra: 'Jackson YAMLGenerator: list under a nested key' },
    { template: "{{ {'s': 'multi\nline', 't': 'true', 'n': '123', 'c': 'a: b', 'q': '- x'} | yaml }}", expected: 's: |-\n  multi\n  line\nt: "true"\n"n": 123\nc: "a: b"\nq: \'- x\'\n', kestra: 'Jackson MINIMIZE_QUOTES + SnakeYAML scalar analysis' },
    { template: '{{ null | yaml }}', expected: 'null', kestra: 'YamlFilter: null input -> "null"' },
  ],
  dates: [
    { template: "{{ 'Tue, 08 Feb 2022 19:38:26 GMT' | date(existingFormat='rfc_1123_date_time', timeZone='Europe/Paris') }}", expected: '2022-02-08T20:38:26.000000+01:00', kestra: 'DateFilterTest.dateRfc' },
    { template: "{{ 'Tue, 3 Jun 2008 11:05 +0200' | date('iso_sec', existingFormat='rfc_1123_date_time', timeZone='UTC') }}", expected: '2008-06-03T09:05:00Z', kestra: 'RFC_1123_DATE_TIME: one-digit day, optional seconds, +HHMM' },
    { template: "{{ '2019-07-01T00:00:00Z' | date('rfc_1123_date_time', timeZone='Europe/Paris') }}", expected: 'Mon, 1 Jul 2019 02:00:00 +0200', kestra: 'JDK RFC_1123_DATE_TIME format' },
    { template: "{{ '2019-02-01T00:00:00Z' | date('yyyy-MM-dd HH:mm z', timeZone='Europe/Paris') }}|{{ '2019-07-01T00:00:00Z' | date('z', timeZone='Europe/Paris') }}", expected: '2019-02-01 01:00 CET|CEST', kestra: 'JDK DateTimeFormatter z (en-US)' },
    { template: "{{ '2019-07-01T00:00:00Z' | date('zzzz', timeZone='America/New_York') }}|{{ '2019-07-01T00:00:00Z' | date('z', timeZone='Asia/Kolkata') }}|{{ '2019-07-01T00:00:00Z' | date('z') }}", expected: 'Eastern Daylight Time|IST|UTC', kestra: 'JDK DateTimeFormatter zzzz/z' },
    { template: "{{ '2019-07-01T00:00:00Z' | date(\"'z' z\", timeZone='GMT') }}|{{ '2019-07-01T00:00:00Z' | date('z', timeZone='+02:00') }}", expected: 'z GMT|+02:00', kestra: 'JDK: quoted letters stay literal; a ZoneOffset prints its id' },
    { template: "{{ '2019-07-01T00:00:00Z' | date('long') }}", expected: 'July 1, 2019 at 12:00:00\u202fAM UTC', kestra: 'AbstractDate STYLES long: FormatStyle.LONG with z' },
  ],
  'set in loops': [
    { template: '{% set total = 0 %}{% for x in list %}{% set total = total + x %}{% endfor %}{{ total }}', expected: '6', kestra: 'Pebble ScopeChain.set updates the scope that holds the name' },
    { template: '{% set out = "" %}{% for a in [1, 2] %}{% for b in ["x", "y"] %}{% set out = out ~ a ~ b ~ "," %}{% endfor %}{% endfor %}{{ out }}', expected: '1x,1y,2x,2y,', kestra: 'ScopeChain.set from a nested ForNode scope' },
    { template: '{% for a in [1, 2] %}{% set seen = (seen ?? 0) + a %}{{ seen }}{% endfor %}|{{ seen ?? "gone" }}', expected: '13|gone', kestra: 'ForNode pushes one scope for the whole loop; a new name dies with it' },
    { template: '{% for a in [1] %}{% for b in [2] %}{{ loop.index }}{{ a }}{{ b }}{% endfor %}{{ loop.length }}{% endfor %}', expected: '0121', kestra: 'ForNode puts loop/variable in its own scope (ScopeChain.put)' },
  ],
  macros: [
    { template: "{% macro input(type='text', name) %}{{ type }} {{ name }}{% endmacro %}{{ input(name='country') }}", expected: 'text country', kestra: 'MacroTest.testMacroWithDefaultArgument' },
    { template: "{{ test('1') }}{% macro test(one, two) %}{{ one }}{{ two }}{% endmacro %}", expected: '1', kestra: 'MacroTest.testMacroInvocationWithoutAllArguments (missing argument is null)' },
    { template: '{% macro wrap(x) %}[{{ x }}]{% endmacro %}{{ wrap(wrap("a")) | upper }}', expected: '[[A]]', kestra: 'MacroTest.testMacroBeingFiltered: a macro call is a value' },
    { template: "{% set outer = 'o' %}{% macro m() %}{{ outer ?? 'hidden' }}{% set inner = 1 %}{% endmacro %}{{ m() }}|{{ inner ?? 'local' }}", expected: 'hidden|local', kestra: 'MacroNode.call pushes a local scope: macros see only their arguments' },
    { template: '{% macro row(cells) %}{% for c in cells %}{{ c }}{% if not loop.last %},{% endif %}{% endfor %}{% endmacro %}{% for r in [[1, 2], [3]] %}{{ row(r) }};{% endfor %}', expected: '1,2;3;', kestra: 'Pebble macro with a for loop, called from a loop' },
  ],
  jq: [
    { template: "{{ [1, 2, 3] | jq('.[0]') | first }}", expected: '1', kestra: 'JqFilterTest.fromString' },
    { template: "{{ {'test': [1, 2, 3]} | jq('.test[0]') }}", expected: '[1]', kestra: 'JqFilterTest.fromString: the result is a list' },
    { template: "{{ second | jq('.list[]') }}|{{ second | jq('.string') | first }}", expected: '["string",1,1.5]|string', kestra: 'JqFilterTest.list / map' },
    { template: "{{ payload.score | values | jq('reduce .[] as $num (0; .+$num)') | first }}", expected: '255', kestra: 'Kestra docs expressions: Manipulating JSON Payloads' },
    { template: '{{ \'{"a": {"b": 5}}\' | jq(\'.a.b\') }}', expected: '[5]', kestra: 'JqFilter: a string input is read as JSON text' },
    { template: "{% set object = second | jq('.map') %}{{ object[0].k }}", expected: 'v', kestra: 'JqFilterTest.object' },
    { template: "{{ {} | jq('.a // \"d\"') }}|{{ [1, 2] | jq('.[] | select(. > 5)') }}", expected: '["d"]|[]', kestra: 'jq semantics: alternative operator, empty output is an empty list' },
  ],
  ion: [
    { template: "{{ second.string | toIon }}|{{ second.int | toIon }}|{{ second.bool | toIon }}|{{ null | toIon }}", expected: '"string"|1|true|null', kestra: 'ToIonFilterTest.toIonFilter scalars' },
    { template: '{{ second.list | toIon }}', expected: '["string",1,1.5e0]', kestra: 'ToIonFilterTest list; ion-java printFloat' },
    { template: '{{ {"empty_object": {}} | toIon }}|{{ {"a b": 2.0, "null": "x"} | toIon }}', expected: '{empty_object:{}}|{\'a b\':2e0,\'null\':"x"}', kestra: 'ToIonFilterTest; ion-java symbolNeedsQuoting and printFloat' },
    { template: "{{ fromIon('{date:2024-04-21T23:00:00.000Z, title:\"Main_Page\",views:109787}').title }}", expected: 'Main_Page', kestra: 'FromIonFunctionTest.ionDecodeFunction' },
    { template: "[{{ fromIon(null) }}]|{{ fromIon('[1, 2.5e0, sym, {a: true}]') }}", expected: '[]|[1,2.5,"sym",{"a":true}]', kestra: 'FromIonFunction: null -> null; Ion values as Jackson reads them' },
  ],
  functions: [
    { template: '{{ fileURI("test") }}|{{ fileURI("/dir/file.txt") }}', expected: 'kestra:///my/namespace/_files/test|kestra:///my/namespace/_files/dir/file.txt', kestra: 'FileURIFunctionTest; StorageContext.namespaceFilePrefix' },
    {
      template: "{{ decrypt('I6EGNzRESu3X3pKZidrqCGOHQFUFC0yK', 'mRcPuxg0d6NalMm/WccRH4uQLx1omWGf4nKCoqVT2jdSVBA=') }}",
      expected: 'toto é',
      kestra: 'EncryptionService.decrypt of a value encrypted by the JDK (AES/GCM/NoPadding, IV first)',
    },
    { template: "{% set k = 'MTIzNDU2Nzg5MDEyMzQ1Ng==' %}{{ decrypt(k, encrypt(k, 'toto')) }}|[{{ encrypt(k, '') }}]", expected: 'toto|[]', kestra: 'EncryptDecryptFunctionTest.encryptDecrypt; empty text returned as is' },
  ],
};

describe('Kestra core conformance', () => {
  for (const [group, groupRows] of Object.entries(rows)) {
    describe(group, () => {
      it.each(groupRows)('$template  ($kestra)', ({ template, expected, vars: rowVars }) => {
        expect(renderTemplate(template, rowVars ?? vars, host)).toBe(expected);
      });
    });
  }
});

describe('Kestra core conformance: errors', () => {
  const errorRows: { template: string; message: string | RegExp; kestra: string }[] = [
    { template: "{{ 'x' | numberFormat('0') }}", message: "The input for the 'NumberFormat' filter has to be a number.", kestra: 'NumberFormatFilter' },
    { template: "{{ 1 | numberFormat('0.0.0') }}", message: 'Multiple decimal separators in pattern "0.0.0"', kestra: 'JDK DecimalFormat.applyPattern' },
    { template: "{{ 'x' | replace({'a': 'b'}, regexp='yes') }}", message: "'replace' expects 'regexp' to be a boolean, got string", kestra: 'ReplaceFilter casts regexp to Boolean' },
    { template: "{{ 'x' | replace({'x': '$2'}, regexp=true) }}", message: "'replace' No group 2", kestra: 'Matcher.appendReplacement: No group 2' },
    { template: '{{ [1] | jq }}', message: "The 'jq' filter expects an argument 'expression'.", kestra: 'JqFilter' },
    { template: "{{ [1] | jq('.[') }}", message: /Failed to resolve JQ expression '\.\[' and value '\[1\]': jq: error: syntax error/, kestra: 'JqFilter wraps the jq error' },
    { template: "{{ 'not json' | jq('.') }}", message: /Failed to resolve JQ expression/, kestra: 'JqFilter: a string that is not JSON fails' },
    { template: "{{ fromIon('{not: ion') }}", message: /^Invalid ion: /, kestra: 'FromIonFunctionTest.exception' },
    { template: '{{ fromIon() }}', message: "The 'fromIon' function expects an argument 'ion'.", kestra: 'FromIonFunction' },
    { template: "{{ fileURI('../test') }}", message: "Path must not contain '../'", kestra: 'FileURIFunctionTest.fileURIFunctionShouldThrowForIncorrectPath' },
    { template: "{{ encrypt('toto') }}", message: "The 'encrypt' function expects two arguments 'key' and 'plaintext'.", kestra: 'EncryptDecryptFunctionTest.missingParameter' },
    { template: "{{ decrypt('toto') }}", message: "The 'decrypt' function expects two arguments 'key' and 'encrypted'.", kestra: 'EncryptDecryptFunctionTest.missingParameter' },
    { template: "{{ decrypt('MTIzNDU2Nzg5MDEyMzQ1Ng==', 'mRcPuxg0d6NalMm/WccRH4uQLx1omWGf4nKCoqVT2jdSVBA=') }}", message: /^Tag mismatch/, kestra: 'AES/GCM with the wrong key: AEADBadTagException' },
    { template: "{{ encrypt('c2hvcnQ=', 'x') }}", message: /^Invalid AES key length: 5 bytes/, kestra: 'SecretKeySpec/Cipher.init: InvalidKeyException' },
    { template: '{{ currentEachOutput() }}', message: "The 'currentEachOutput' function expects an argument 'outputs'.", kestra: 'CurrentEachOutputFunction' },
    { template: '{{ errorLogs() }}', message: /^errorLogs\(\) is not available/, kestra: 'ErrorLogsFunction is only registered with a log repository' },
    { template: "{% macro m(a) %}{% endmacro %}{{ m(b='x') }}", message: 'The following named argument does not exist: b', kestra: 'ArgumentsNode.getArgumentMap' },
    { template: '{% macro m(a) %}{% endmacro %}{{ m(1, 2) }}', message: 'The argument at position 2 is not allowed. Only 1 argument(s) are allowed.', kestra: 'ArgumentsNode.getArgumentMap' },
    { template: '{% macro m() %}a{% endmacro %}{% macro m(x) %}b{% endmacro %}', message: 'More than one macro can not share the same name: m', kestra: 'PebbleTemplateImpl.registerMacro' },
    { template: '{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}', message: /Macro calls nested more than 100 levels deep/, kestra: 'guard: Java would overflow its stack' },
    { template: '{% macro m() %}x', message: /Unclosed "macro" tag/, kestra: 'MacroTokenParser expects endmacro' },
    { template: "{{ '2019-07-01T00:00:00Z' | date('zzzzz') }}", message: /Too many pattern letters: z/, kestra: 'DateTimeFormatterBuilder: more than 4 z' },
    { template: "{{ 'Wed, 08 Feb 2022 19:38:26 GMT' | date(existingFormat='rfc_1123_date_time') }}", message: /day of week does not match/, kestra: 'RFC_1123_DATE_TIME cross-checks the day of week' },
  ];
  it.each(errorRows)('$template  ($kestra)', ({ template, message }) => {
    let caught: unknown;
    try {
      renderTemplate(template, vars, host);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(TemplateError);
    if (typeof message === 'string') expect((caught as Error).message).toContain(message);
    else expect((caught as Error).message).toMatch(message);
  });
});

describe('encrypt', () => {
  it("writes Kestra's wire format: base64(12-byte IV || AES-GCM ciphertext || 16-byte tag)", () => {
    const key = 'I6EGNzRESu3X3pKZidrqCGOHQFUFC0yK';
    const encrypted = renderTemplate("{{ encrypt(key, 'hello world') }}", { key }, host);
    const bytes = Buffer.from(encrypted, 'base64');
    expect(bytes.length).toBe(12 + 'hello world'.length + 16);
    const decipher = createDecipheriv('aes-192-gcm', Buffer.from(key, 'base64'), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    const plain = Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8');
    expect(plain).toBe('hello world');
    // A fresh IV each time, as EncryptionService draws it from SecureRandom.
    expect(renderTemplate("{{ encrypt(key, 'hello world') }}", { key }, host)).not.toBe(encrypted);
  });
});

describe('currentEachOutput', () => {
  const outputs = { a: { x: { value: 'ax' }, y: { value: 'ay' } }, b: { x: { value: 'bx' } } };

  it('picks the current iteration of a ForEach (CurrentEachOutputFunction: outputs.get(taskrun.value))', () => {
    const v = { outputs: { t: { a: { value: 1 }, b: { value: 2 } } }, taskrun: { value: 'b' }, parents: [{ outputs: {} }] };
    expect(renderTemplate('{{ currentEachOutput(outputs.t).value }}', v, host)).toBe('2');
  });

  it('walks nested ForEach values outermost first (parents is innermost first)', () => {
    const v = { outputs: { t: outputs }, taskrun: { value: 'y' }, parents: [{ taskrun: { value: 'a' } }, { outputs: {} }] };
    expect(renderTemplate('{{ currentEachOutput(outputs.t).value }}', v, host)).toBe('ay');
  });

  it('fails when a parent value has no outputs, as Kestra 1.x does', () => {
    const v = { outputs: { t: outputs }, taskrun: { value: 'x' }, parents: [{ taskrun: { value: 'c' } }] };
    expect(() => renderTemplate('{{ currentEachOutput(outputs.t) }}', v, host)).toThrow('No execution outputs for the current task runs path');
  });
});

describe('errorLogs', () => {
  it("returns the host's ERROR log lines as a list (ErrorLogsFunction)", () => {
    const logs = [
      { executionId: 'e1', taskId: 'fail', level: 'ERROR', message: 'first error message' },
      { executionId: 'e1', taskId: 'fail', level: 'ERROR', message: 'second error message' },
    ];
    const withLogs = defaultHost({ errorLogs: () => logs });
    expect(renderTemplate('{{ errorLogs() | length }}|{{ errorLogs()[1].message }}', {}, withLogs)).toBe('2|second error message');
    expect(renderTemplate('{{ errorLogs() }}', {}, defaultHost({ errorLogs: () => [] }))).toBe('[]');
  });
});

describe('jq runner', () => {
  it('returns every output of the program in order', () => {
    expect(runJq('{"a":[1,2,3]}', '.a[] | . * 2')).toEqual([2, 4, 6]);
  });

  it('stops a program that never ends and recovers for the next one', () => {
    const started = Date.now();
    expect(() => runJq('null', 'def f: f; f', 300)).toThrow(JqError);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(runJq('[1]', '.[0]')).toEqual([1]);
  });
});
