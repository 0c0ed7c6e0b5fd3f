/** Runs the real `flowbook` CLI as a child process, as a user would. */
import { spawn } from 'node:child_process';
import path from 'node:path';

export const REPO = path.resolve(import.meta.dirname, '../..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO, 'bin/flowbook.js'), ...args], {
      cwd: REPO,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export interface JsonRun {
  id: string;
  state: string;
  labels: Record<string, string>;
  taskRuns: { taskId: string; state: string; outputs: Record<string, unknown> }[];
  outputs: Record<string, unknown>;
}

export function parseJsonRun(result: CliResult): JsonRun {
  try {
    return JSON.parse(result.stdout) as JsonRun;
  } catch {
    throw new Error(`flowbook did not print JSON (exit ${result.code}).\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
}

export function outputsOf(run: JsonRun, taskId: string): Record<string, unknown> {
  const tr = run.taskRuns.find((t) => t.taskId === taskId);
  if (!tr) throw new Error(`no task run for ${taskId}; ran: ${run.taskRuns.map((t) => t.taskId).join(', ')}`);
  return tr.outputs;
}
