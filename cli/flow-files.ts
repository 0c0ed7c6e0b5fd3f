/**
 * The flow files `flowbook run` and `validate` know, so a Subflow or ForEachItem finds its
 * child flow: the YAML files beside the flow given, then those under each `--flows DIR`. The
 * first file with a namespace and id wins.
 */
import fs from 'node:fs';
import path from 'node:path';
import { nearestPositionOf, type FlowIssue, type ParsedFlow } from '../lib/flow';
import { subflowCalls } from '../lib/flow/subflow-refs';
import { parseFlow } from '../lib/tasks/catalog';
import { flowsResolver, type FlowResolver, type ResolvedFlow } from '../lib/engine';

const YAML = /\.ya?ml$/i;

function yamlFiles(dir: string, recursive: boolean): string[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isFile() && YAML.test(entry.name)) out.push(full);
    else if (recursive && entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules') out.push(...yamlFiles(full, true));
  }
  return out;
}

export class FlowFiles {
  private readonly places: string[];
  private parsed: ResolvedFlow[] | undefined;

  /** The files beside `file` (not below), then every YAML file under each of `dirs`. */
  constructor(file: string, dirs: readonly string[]) {
    for (const dir of dirs) {
      if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new FlowDirError(`--flows ${dir}: no such directory`);
    }
    const beside = path.dirname(path.resolve(file));
    this.places = [beside, ...dirs.map((d) => path.resolve(d))];
  }

  /** The valid flows among the files, listed and parsed when first asked for: a flow that starts no other flow never reads them. */
  get flows(): readonly ResolvedFlow[] {
    if (!this.parsed) {
      this.parsed = [];
      const [beside, ...dirs] = this.places;
      const files = new Set([...yamlFiles(beside, false), ...dirs.flatMap((d) => yamlFiles(d, true))]);
      for (const f of files) {
        // A file that is not a valid flow is not a flow to start; validate reports it when it is named.
        const parsed = parseFlow(fs.readFileSync(f, 'utf8'));
        if (parsed.flow && !parsed.issues.some((i) => i.severity === 'error')) this.parsed.push({ flow: parsed.flow });
      }
    }
    return this.parsed;
  }

  get searched(): string {
    return `the flow files in ${this.places.map((p) => path.relative(process.cwd(), p) || '.').join(', ')}`;
  }

  resolver(): FlowResolver {
    const searched = this.searched;
    return { searched, resolve: (ref) => flowsResolver(this.flows, searched).resolve(ref) };
  }

  has(namespace: string, flowId: string): boolean {
    return this.flows.some((f) => f.flow.namespace === namespace && f.flow.id === flowId);
  }

  /** A warning at `flowId` for each Subflow or ForEachItem whose flow is not among these files. */
  missingChildren(parsed: ParsedFlow): FlowIssue[] {
    if (!parsed.flow) return [];
    return subflowCalls(parsed.flow)
      .filter((call) => !this.has(call.namespace, call.flowId))
      .map((call) => {
        const issue: FlowIssue = {
          severity: 'warning',
          path: call.path,
          taskId: call.taskId,
          message: `task ${call.taskId}: no flow ${call.namespace}.${call.flowId} in ${this.searched} (add --flows DIR): the run would fail with "Unable to find flow"`,
        };
        const pos = nearestPositionOf(parsed, call.path);
        if (pos) issue.pos = pos;
        return issue;
      });
  }
}

export class FlowDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlowDirError';
  }
}
