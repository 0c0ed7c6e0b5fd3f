/**
 * The notebook's data trace and topology, read from the YAML by lib/flow's lineage.
 */
import type { FlowSpec } from '../flow';
import { dataTrace, dependencyGraph } from '../flow/lineage';
import type { DataTrace, Topology } from '../contract';

export function flowLineage(flow: FlowSpec): { dataTrace: DataTrace; topology: Topology } {
  return { dataTrace: dataTrace(flow), topology: dependencyGraph(flow) };
}
