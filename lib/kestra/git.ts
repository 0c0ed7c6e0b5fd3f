/**
 * Commits an exported layout with the `git` command: only `_flows/` and `_files/` are staged,
 * and the message names every flow and namespace file added, updated or removed.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { FILES_DIR, FLOWS_DIR, flowLocation } from './layout';

export class GitError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GitError';
  }
}

export interface GitCommit {
  committed: boolean;
  /** The repository was created for this export (`git init`). */
  initialised: boolean;
  sha?: string;
  message?: string;
}

interface Run {
  stdout: string;
  stderr: string;
}

function git(cwd: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      // No prompt can ever wait for a terminal nobody watches.
      { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', ...env }, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'ENOENT') reject(new GitError('git is not installed (or not on PATH): install it to commit the export, or leave --git out', { cause: err }));
          else reject(new GitError(`git ${args[0]} failed: ${stderr.trim() || err.message}`, { cause: err }));
          return;
        }
        resolve({ stdout, stderr });
      },
    );
  });
}

async function isRepository(dir: string): Promise<boolean> {
  try {
    return (await git(dir, ['rev-parse', '--is-inside-work-tree'])).stdout.trim() === 'true';
  } catch (err) {
    if (err instanceof GitError && /not installed/.test(err.message)) throw err;
    return false;
  }
}

/** Who commits: the user's own git identity, or Flowbook's when none is configured (a fresh machine). */
async function identity(dir: string): Promise<Record<string, string>> {
  const get = async (key: string) => {
    try {
      return (await git(dir, ['config', '--get', key])).stdout.trim();
    } catch {
      return '';
    }
  };
  const env: Record<string, string> = {};
  if (!process.env.GIT_AUTHOR_NAME && !(await get('user.name'))) env.GIT_AUTHOR_NAME = env.GIT_COMMITTER_NAME = 'Flowbook';
  if (!process.env.GIT_AUTHOR_EMAIL && !(await get('user.email'))) env.GIT_AUTHOR_EMAIL = env.GIT_COMMITTER_EMAIL = 'flowbook@localhost';
  return env;
}

type Status = 'A' | 'M' | 'D';

/** One line per change, in words: `add flow zoomcamp.hello (_flows/hello.yml)`. */
function describe(root: string, status: Status, file: string): string {
  const verb = status === 'A' ? 'add' : status === 'D' ? 'remove' : 'update';
  const flow = flowLocation(root, file);
  if (flow) return `${verb} flow ${flow.namespace}.${flow.fileId} (${file})`;
  if (file.startsWith(`${FILES_DIR}/`)) return `${verb} namespace file ${file.slice(FILES_DIR.length + 1)} of ${root}`;
  return `${verb} ${file}`;
}

function counted(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

/** The subject line: what changed, counted by kind, so a log reads at a glance. */
function subject(root: string, changes: { status: Status; file: string }[]): string {
  const parts: string[] = [];
  for (const [status, verb] of [
    ['A', 'add'],
    ['M', 'update'],
    ['D', 'remove'],
  ] as const) {
    const of = changes.filter((c) => c.status === status);
    const flows = of.filter((c) => c.file.startsWith(`${FLOWS_DIR}/`)).length;
    const files = of.length - flows;
    const what = [flows ? counted(flows, 'flow') : '', files ? counted(files, 'namespace file') : ''].filter(Boolean).join(' and ');
    if (what) parts.push(`${verb} ${what}`);
  }
  if (changes.length === 1) return `Flowbook export of ${root}: ${describe(root, changes[0].status, changes[0].file)}`;
  return `Flowbook export of ${root}: ${parts.join(', ')}`;
}

/**
 * Stages the layout's folders in `dir` (creating the repository when there is none) and
 * commits them when anything changed. Files outside `_flows/` and `_files/` are not staged.
 */
export async function commitLayout(dir: string, root: string): Promise<GitCommit> {
  const cwd = path.resolve(dir);
  let initialised = false;
  if (!(await isRepository(cwd))) {
    await git(cwd, ['init', '-q']);
    initialised = true;
  }
  // A folder the export emptied is gone from disk but still tracked: it must be staged too.
  const tracked = async (folder: string) => (await git(cwd, ['ls-files', '--', folder])).stdout.trim() !== '';
  const folders: string[] = [];
  for (const folder of [FLOWS_DIR, FILES_DIR]) if (fs.existsSync(path.join(cwd, folder)) || (await tracked(folder))) folders.push(folder);
  if (folders.length === 0) return { committed: false, initialised };
  await git(cwd, ['add', '-A', '--', ...folders]);
  // Paths relative to `dir` even when the repository's top is above it.
  const diff = await git(cwd, ['diff', '--cached', '--name-status', '--no-renames', '--relative', '--', ...folders]);
  const changes = diff.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [code, ...rest] = line.split('\t');
      const status: Status = code.startsWith('A') ? 'A' : code.startsWith('D') ? 'D' : 'M';
      return { status, file: rest.join('\t') };
    });
  if (changes.length === 0) return { committed: false, initialised };
  const head = subject(root, changes);
  const body = changes.map((c) => `- ${describe(root, c.status, c.file)}`).join('\n');
  // A pathspec commits only the layout's folders, whatever else the user had staged.
  await git(cwd, ['commit', '-q', '-m', head, '-m', body, '--', ...folders], await identity(cwd));
  const sha = (await git(cwd, ['rev-parse', 'HEAD'])).stdout.trim();
  return { committed: true, initialised, message: `${head}\n\n${body}`, sha };
}
