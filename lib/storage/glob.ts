/**
 * File matching for the tasks that collect or copy files (outputFiles, WorkingDirectory,
 * namespace files, LocalFiles). tinyglobby and picomatch load when a task first matches
 * files, not when a flow is read: most runs never match any, and loading them cost about a
 * tenth of `flowbook run`'s start.
 */
import type { GlobOptions } from 'tinyglobby';

/** The paths under `options.cwd` that match `patterns` (tinyglobby's `glob`). */
export async function glob(patterns: string | readonly string[], options: GlobOptions): Promise<string[]> {
  return (await import('tinyglobby')).glob(patterns as string | string[], options);
}

/** A test for paths against glob patterns (picomatch). */
export async function pathMatcher(patterns: readonly string[], options: { dot?: boolean }): Promise<(path: string) => boolean> {
  const { default: picomatch } = await import('picomatch');
  return picomatch([...patterns], options);
}
