/**
 * How long `flowbook run` takes, start to exit, for a flow of one Log task: the CLI's own
 * start-up cost, measured against starting Node and doing nothing (`node -e 0`). Once
 * through `node bin/flowbook.js`, once through `npx flowbook` (what the README shows),
 * which adds npm's own start-up.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Benchmark, Side } from './harness';
import { timed } from './harness';

const ROOT = path.resolve(import.meta.dirname, '..');
const FLOW = `id: one_log
namespace: bench
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: hello
`;

let dir = '';

/** Runs a command to its end; a non-zero exit is an error, so a broken CLI never looks fast. */
function exec(cmd: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, FLOWBOOK_DATA_DIR: path.join(dir, 'data') } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr.slice(-500)}`))));
  });
}

const bareNode: Side = {
  name: 'node -e 0',
  run: async () => ({ ms: await timed(() => exec(process.execPath, ['-e', '0'])) }),
};

function cliBench(id: string, title: string, subject: Side): Benchmark {
  return {
    id,
    title,
    target: '≤ 300 ms (≤ 4× node -e 0)',
    runs: 7,
    async setup() {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-cli-start-'));
      fs.writeFileSync(path.join(dir, 'one.yaml'), FLOW);
    },
    async teardown() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
    baseline: bareNode,
    subject,
    verdict(o) {
      return { met: o.subject.median <= 300 && o.ratio <= 4, figure: `${o.subject.median.toFixed(0)} ms (${o.ratio.toFixed(1)}× node -e 0)` };
    },
  };
}

const benches: Benchmark[] = [
  cliBench('cli-start', 'flowbook run, one Log task (node bin/flowbook.js)', {
    name: 'node bin/flowbook.js run',
    run: async () => ({ ms: await timed(() => exec(process.execPath, [path.join(ROOT, 'bin/flowbook.js'), 'run', path.join(dir, 'one.yaml')])) }),
  }),
  cliBench('cli-start-npx', 'flowbook run, one Log task (npx flowbook)', {
    name: 'npx flowbook run',
    run: async () => ({ ms: await timed(() => exec('npx', ['flowbook', 'run', path.join(dir, 'one.yaml')])) }),
  }),
];

export default benches;
