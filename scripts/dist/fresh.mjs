/**
 * Finds the compiled entry of a target (scripts/dist/build.mjs), compiling it first when
 * it is missing or older than one of its sources. Checking costs one stat per source file
 * (a few milliseconds); compiling, only after a change, well under a second.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MANIFEST, ROOT, distDir } from './targets.mjs';

/** The entry file when the bundle matches its sources as they are now, else undefined. */
export function freshEntry(name) {
  const dir = distDir(name);
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), 'utf8'));
  } catch {
    return undefined;
  }
  // A checkout moved elsewhere: the bundle names its sources by their old absolute paths.
  if (manifest.root !== ROOT) return undefined;
  for (const [file, [mtimeMs, size]] of Object.entries(manifest.inputs)) {
    const st = fs.statSync(path.join(ROOT, file), { throwIfNoEntry: false });
    if (!st || st.mtimeMs !== mtimeMs || st.size !== size) return undefined;
  }
  const entry = path.join(dir, manifest.entry);
  return fs.existsSync(entry) ? entry : undefined;
}

/**
 * The compiled entry, built now if needed. Throws when it cannot be built (esbuild missing,
 * a read-only install, a syntax error), with the reason.
 */
export async function compiledEntry(name) {
  const fresh = freshEntry(name);
  if (fresh) return fresh;
  const { buildTarget } = await import('./build.mjs');
  return buildTarget(name);
}
