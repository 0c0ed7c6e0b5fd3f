/**
 * How long `flowbook run` takes, start to exit, for a flow of one Log task: the CLI's own
 * start-up cost, measured against starting Node and doing nothing (`node -e 0`). Once
 * through `node bin/flowbook.js`, once through `npx flowbook` (what the README shows),
 * which adds npm's own start-up. Inside this checkout npx takes its slow path (the package
 * names a bin of that name itself, so npm installs it into its cache and reads the whole
 * tree first); a project that depends on Flowbook takes the fast one (its
 * node_modules/.bin), measured a third time against `npx node -e 0`, npx's own floor.
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
function exec(cmd: string, args: readonly string[], cwd = ROOT): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, FLOWBOOK_DATA_DIR: path.join(dir, 'data') } });
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

/** A project depending on this checkout, laid out as `npm install <folder>` leaves it. */
function makeProject(): string {
  const project = path.join(dir, 'project');
  fs.mkdirSync(path.join(project, 'node_modules', '.bin'), { recursive: true });
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'uses-flowbook', private: true, dependencies: { flowbook: `file:${ROOT}` } }));
  fs.symlinkSync(ROOT, path.join(project, 'node_modules', 'flowbook'));
  fs.symlinkSync('../flowbook/bin/flowbook.js', path.join(project, 'node_modules', '.bin', 'flowbook'));
  return project;
}

function cliBench(id: string, title: string, subject: Side, baseline: Side = bareNode): Benchmark {
  const against = baseline.name;
  return {
    id,
    title,
    target: `≤ 300 ms (≤ 4× ${against})`,
    runs: 7,
    async setup() {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-cli-start-'));
      fs.writeFileSync(path.join(dir, 'one.yaml'), FLOW);
      makeProject();
    },
    async teardown() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
    baseline,
    subject,
    verdict(o) {
      return { met: o.subject.median <= 300 && o.ratio <= 4, figure: `${o.subject.median.toFixed(0)} ms (${o.ratio.toFixed(1)}× ${against})` };
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
  cliBench(
    'cli-start-npx-project',
    'flowbook run, one Log task (npx flowbook in a project that depends on Flowbook)',
    {
      name: 'npx flowbook run',
      run: async () => ({ ms: await timed(() => exec('npx', ['flowbook', 'run', path.join(dir, 'one.yaml')], path.join(dir, 'project'))) }),
    },
    {
      name: 'npx node -e 0',
      run: async () => ({ ms: await timed(() => exec('npx', ['node', '-e', '0'], path.join(dir, 'project'))) }),
    },
  ),
];

export default benches;
