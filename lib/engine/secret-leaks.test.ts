/**
 * A secret printed by a real task, in every common encoding, must not reach any event, stored
 * log line or API answer: a stored secret (`secret()`) and a SECRET-type input alike. The task
 * also writes the exact forms it printed to a file outside the logs, and the test looks for
 * each of them everywhere.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stopSharedPostgres, testApp } from '../../test/api/harness';
import type { Broadcaster } from '../persistence';
import { isSealed } from '../model/sealed';
import { MASK } from './secret-mask';

afterAll(stopSharedPostgres);

const STORED = 'Tr0ub/4dor &3 "x"+é~!';
const TYPED = 'hunter2/typed input+ü';

/** Prints the value named by $WHICH in every encoding, and appends each form printed to $FORMS. */
const PRINTER = String.raw`
import base64, json, os, re, sys, time, urllib.parse
s = os.environ["VALUE"]
b = s.encode()
forms = [
    s,
    urllib.parse.quote(s),                      # RFC 3986, '/' kept (the default)
    urllib.parse.quote(s, safe=""),             # '/' encoded too
    urllib.parse.quote_plus(s),                 # form encoding
    urllib.parse.quote_plus(s, safe="/"),
    re.sub("%[0-9A-F]{2}", lambda m: m.group(0).lower(), urllib.parse.quote(s)),  # lower-case hex
    base64.b64encode(b).decode(),
    base64.b64encode(b).decode().rstrip("="),
    base64.urlsafe_b64encode(b).decode(),
    base64.urlsafe_b64encode(b).decode().rstrip("="),
    base64.b64encode(b"user:" + b).decode(),    # an HTTP Basic header
    b.hex(),
    b.hex().upper(),
    json.dumps(s),
    json.dumps(s, ensure_ascii=False),
    json.dumps({"password": s}),
]
with open(os.environ["FORMS"], "a") as f:
    f.write(json.dumps(forms) + "\n")
for form in forms:
    print("form:", form, flush=True)
print("urlencode:", urllib.parse.urlencode({"user": "me", "password": s}), flush=True)
print("stderr:", base64.b64encode(b).decode(), file=sys.stderr, flush=True)
# Split across writes: half, a pause, the other half and the line's end.
sys.stdout.write("split: " + s[:4]); sys.stdout.flush(); time.sleep(0.2)
sys.stdout.write(s[4:] + "\n"); sys.stdout.flush()
# Across the boundary of a pipe read (64 KiB).
sys.stdout.write("x" * 65533 + s + "\n"); sys.stdout.flush()
`;

function flow(formsFile: string): string {
  const printer = (id: string, value: string) => `  - id: ${id}
    type: io.kestra.plugin.scripts.python.Script
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    env:
      VALUE: "${value}"
      FORMS: ${formsFile}
    script: |
${PRINTER.split('\n').map((l) => `      ${l}`).join('\n')}
`;
  return `id: leaks
namespace: test.secrets
inputs:
  - id: typed
    type: SECRET
tasks:
${printer('stored', "{{ secret('LEAKY') }}")}${printer('typed', '{{ inputs.typed }}')}  - id: shell
    type: io.kestra.plugin.scripts.shell.Script
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    env:
      S: "{{ secret('LEAKY') }}"
    script: |
      printf '%s' "$S" | base64
      printf '%s' "$S" | od -An -tx1 | tr -d ' \\n'; echo
      printf 'shell split: %s' "$(printf '%s' "$S" | cut -c1-5)"; sleep 0.2; printf '%s\\n' "$(printf '%s' "$S" | cut -c6-)"
      echo '{{ inputs.typed }}' | base64
`;
}

describe('secrets never reach events, stored logs or the API', () => {
  it('masks a stored secret and a SECRET input in every encoding a real task prints them in', async () => {
    const app = await testApp('sqlite');
    try {
      await app.secrets.set('LEAKY', STORED);
      const formsFile = path.join(app.tmp, 'forms.jsonl');
      const { id: notebookId } = await app.notebooks.create(flow(formsFile));
      const events: string[] = [];
      const record = (kind: string) => (payload: unknown) => events.push(`${kind} ${JSON.stringify(payload)}`);
      const broadcaster: Broadcaster = { log: record('log'), taskRun: record('taskRun'), state: record('state'), finished: record('finished'), notebookExecution: (_id, e) => record('notebook')(e) };
      app.persister.setBroadcaster(broadcaster);
      app.engine.bus.subscribe((event) => events.push(`bus ${JSON.stringify(event)}`));

      const { executionId } = await app.runs.start(notebookId, { mode: 'all', inputs: { typed: TYPED } });
      await app.runs.settled(executionId);
      const detail = await app.runs.detail(executionId);
      const logs = await app.runs.logs(executionId);
      // WARNING: the task wrote to stderr.
      expect(detail.execution.state).toBe('WARNING');

      const forms = fs.readFileSync(formsFile, 'utf8').trim().split('\n').flatMap((l) => JSON.parse(l) as string[]);
      expect(forms.length).toBeGreaterThan(30);
      // What the shell task printed, in the forms base64 and od give.
      forms.push(Buffer.from(STORED).toString('base64'), Buffer.from(STORED).toString('hex'), Buffer.from(`${TYPED}\n`).toString('base64').slice(0, 20));
      const api = JSON.stringify({ detail, logs });
      const row = JSON.stringify(await app.db.execution.findUnique({ where: { id: executionId } }));
      for (const form of new Set(forms)) {
        // JSON.stringify escapes quotes and backslashes: look for the form as it would appear in each text.
        const inJson = JSON.stringify(form).slice(1, -1);
        for (const [where, text] of [['API', api], ['execution row', row], ...events.map((e) => ['event', e])] as const) {
          expect(text.includes(inJson) || text.includes(form), `${where} contains ${form}`).toBe(false);
        }
      }
      // Every form was printed, and masked.
      const printed = logs.filter((l) => l.message.startsWith('form: ')).map((l) => l.message);
      expect(printed).toHaveLength(32);
      expect(printed.every((m) => m.includes(MASK))).toBe(true);
      expect(logs.some((l) => l.message === `split: ${MASK}`)).toBe(true);
      expect(logs.some((l) => l.message === `shell split: ${MASK}`)).toBe(true);
      expect(logs.some((l) => l.message === `${'x'.repeat(65533)}${MASK}`)).toBe(true);
      // The SECRET input: masked in the API, sealed (not in plain text) in the row.
      expect(detail.execution.inputs.typed).toBe(MASK);
      const stored = JSON.parse((await app.db.execution.findUniqueOrThrow({ where: { id: executionId } })).inputs ?? '{}') as Record<string, unknown>;
      expect(isSealed(stored.typed)).toBe(true);
    } finally {
      await app.close();
    }
  });
});
