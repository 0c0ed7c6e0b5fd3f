/**
 * Puts the built-in `kestra` helper modules into a task's working dir, and says which
 * environment makes them importable. The Docker runner uses the host's working-dir path
 * inside the container too, so the same absolute paths work on both runners.
 */
import fsp from 'node:fs/promises';
import path from 'node:path';

const SDK_DIR = '.flowbook';

async function source(name: 'kestra.py' | 'kestra.js'): Promise<string> {
  try {
    return await fsp.readFile(new URL(`./${name}`, import.meta.url), 'utf8');
  } catch (err) {
    // A bundled server build may not keep files beside the module: read them from the checkout.
    const fallback = path.join(process.cwd(), 'lib', 'tasks', 'scripts', 'kestra-sdk', name);
    return fsp.readFile(fallback, 'utf8').catch(() => {
      throw new Error(`the built-in ${name} helper is missing (looked beside the module and in ${fallback})`, { cause: err });
    });
  }
}

export type SdkLanguage = 'python' | 'node';

/** Writes the helper for a language and returns the env entries that put it on the path. */
export async function installKestraSdk(workingDir: string, language: SdkLanguage, baseEnv: Record<string, string>): Promise<Record<string, string>> {
  if (language === 'python') {
    const rel = `${SDK_DIR}/python`;
    await fsp.mkdir(path.join(workingDir, rel), { recursive: true });
    await fsp.writeFile(path.join(workingDir, rel, 'kestra.py'), await source('kestra.py'));
    return { PYTHONPATH: joinPath(path.join(workingDir, rel), baseEnv.PYTHONPATH) };
  }
  const rel = `${SDK_DIR}/node`;
  const js = await source('kestra.js');
  await fsp.mkdir(path.join(workingDir, rel, '@kestra-io', 'libs'), { recursive: true });
  await fsp.writeFile(path.join(workingDir, rel, 'kestra.js'), js);
  await fsp.writeFile(path.join(workingDir, rel, '@kestra-io', 'libs', 'index.js'), js);
  return { NODE_PATH: joinPath(path.join(workingDir, rel), baseEnv.NODE_PATH) };
}

function joinPath(dir: string, existing: string | undefined): string {
  return existing ? `${dir}:${existing}` : dir;
}

/** Files under this folder of the working dir are Flowbook's own, never task outputs. */
export const INTERNAL_DIR = SDK_DIR;
