/**
 * `outputFiles`: after the script, files matching the globs are uploaded to internal storage
 * and exposed by their path relative to the working dir, as `outputs.<id>.outputFiles['a.csv']`.
 * Files the script puts in `{{ outputDir }}` are uploaded too, keyed relative to that dir.
 */
import path from 'node:path';
import { glob } from '../../storage/glob';
import type { RunContext } from '../types';

export async function collectOutputFiles(
  ctx: RunContext,
  workingDir: string,
  patterns: string[],
  ignore: string[],
  outputDir: string,
): Promise<Record<string, string>> {
  const found = new Map<string, string>();
  if (patterns.length > 0) {
    const matches = await glob(patterns, { cwd: workingDir, onlyFiles: true, dot: true, ignore, expandDirectories: false });
    for (const rel of matches.sort()) found.set(rel, path.join(workingDir, rel));
  }
  const produced = await glob(['**/*'], { cwd: outputDir, onlyFiles: true, dot: true });
  for (const rel of produced.sort()) found.set(rel, path.join(outputDir, rel));
  const out: Record<string, string> = {};
  for (const [rel, abs] of found) out[rel] = await ctx.putFile(abs, rel);
  return out;
}
