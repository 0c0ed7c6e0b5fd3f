/**
 * The notebook's data trace and topology, read from the YAML by lib/flow's lineage, with
 * the input values each cell is read with (see analysis.ts).
 */
import type { FlowSpec } from '../flow';
import { dataTrace, dependencyGraph, type ReadOptions } from '../flow/lineage';
import type { DataTrace, Topology } from '../contract';

export function flowLineage(flow: FlowSpec, options: ReadOptions = {}): { dataTrace: DataTrace; topology: Topology } {
  return { dataTrace: dataTrace(flow, options), topology: dependencyGraph(flow) };
}
