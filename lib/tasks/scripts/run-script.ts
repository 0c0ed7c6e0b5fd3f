/**
 * The script tasks' way into script-task.ts, loaded when a script first runs: the runners
 * (Docker, local processes), Python environments and the output protocol stay unloaded for
 * a flow without scripts, while the task definitions (schemas, docs) stay cheap to import.
 */
import type { runScript as RunScript } from './script-task';

export async function runScript(...args: Parameters<typeof RunScript>): ReturnType<typeof RunScript> {
  const { runScript: run } = await import('./script-task');
  return run(...args);
}
