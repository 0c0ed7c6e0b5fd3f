/** Functions that read the execution: fileURI, currentEachOutput, errorLogs. */
import { failAt, type CallSite, type FunctionDefinition } from '../context';
import { isList, isMap, javaToString, typeName, type TemplateMap } from '../values';

function variable(site: CallSite, name: string): unknown {
  const r = site.ctx.lookup(name);
  return r.found ? r.value : undefined;
}

function mapEntry(map: unknown, key: string): unknown {
  return isMap(map) && Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
}

export const EXECUTION_FUNCTIONS: Record<string, FunctionDefinition> = {
  /** FileURIFunction: the `kestra:///` URI of a namespace file of the current flow's namespace. */
  fileURI: {
    args: ['path'],
    call(args, site) {
      const message = "The 'fileURI' function expects an argument 'path' that is a path to a namespace file.";
      if (!args.has('path')) throw failAt(site, message);
      const raw = args.get('path');
      if (typeof raw !== 'string') throw failAt(site, message);
      const path = raw.startsWith('/') ? raw.slice(1) : raw;
      if (path.includes('../')) throw failAt(site, "Path must not contain '../'");
      const namespace = mapEntry(variable(site, 'flow'), 'namespace');
      if (typeof namespace !== 'string') throw failAt(site, "The 'fileURI' function needs the flow's namespace ('flow.namespace')");
      return `kestra:///${namespace.replaceAll('.', '/')}/_files/${path}`;
    },
  },
  /**
   * CurrentEachOutputFunction: walks `outputs` down the values of the enclosing ForEach task
   * runs (`parents`, innermost first, so walked outermost first), then picks this task run's
   * own `taskrun.value`.
   */
  currentEachOutput: {
    args: ['outputs'],
    call(args, site) {
      if (!args.has('outputs')) throw failAt(site, "The 'currentEachOutput' function expects an argument 'outputs'.");
      let outputs = args.get('outputs');
      if (!isMap(outputs)) throw failAt(site, "The 'currentEachOutput' function expects an argument 'outputs' with type map.");
      const parents = variable(site, 'parents');
      if (isList(parents)) {
        for (const parent of [...parents].reverse()) {
          const taskrun = mapEntry(parent, 'taskrun');
          if (!isMap(taskrun)) continue;
          const next: unknown = mapEntry(outputs, javaToString(taskrun.value));
          if (next === null || next === undefined) throw failAt(site, 'No execution outputs for the current task runs path');
          if (!isMap(next)) throw failAt(site, `The outputs for the value '${javaToString(taskrun.value)}' are a ${typeName(next)}, not a map`);
          outputs = next;
        }
      }
      const value = mapEntry(variable(site, 'taskrun'), 'value');
      if (value === undefined || value === null) return null;
      return mapEntry(outputs as TemplateMap, javaToString(value)) ?? null;
    },
  },
  /** ErrorLogsFunction: the ERROR log lines of the current execution, from the host. */
  errorLogs: {
    args: [],
    call: (_args, site) => site.ctx.host.errorLogs(),
  },
};
