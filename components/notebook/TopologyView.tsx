'use client';
/** The flow as a graph: tasks top to bottom, nested tasks indented, data edges dashed. */
import { useMemo } from 'react';
import { ReactFlow, Background, type Edge, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import type { State, Topology } from '@/lib/contract';

const STATE_COLOR: Partial<Record<State, string>> = {
  SUCCESS: '#10b981',
  RUNNING: '#f59e0b',
  FAILED: '#ef4444',
  WARNING: '#d97706',
  KILLED: '#b91c1c',
};

export function TopologyView({ topology, states, onSelect }: { topology: Topology; states: Record<string, State | undefined>; onSelect: (taskId: string) => void }) {
  const { nodes, edges } = useMemo(() => {
    const depth = new Map<string, number>();
    const parentOf = new Map(topology.nodes.map((n) => [n.id, n.parentId]));
    const depthOf = (id: string): number => {
      const cached = depth.get(id);
      if (cached !== undefined) return cached;
      const p = parentOf.get(id);
      const d = p ? depthOf(p) + 1 : 0;
      depth.set(id, d);
      return d;
    };
    const nodes: Node[] = topology.nodes.map((n, i) => ({
      id: n.id,
      position: { x: depthOf(n.id) * 24, y: i * 48 },
      data: { label: n.id },
      style: {
        fontSize: 11,
        padding: '4px 8px',
        width: 170,
        borderRadius: 8,
        borderColor: STATE_COLOR[states[n.id] ?? 'CREATED'] ?? '#94a3b8',
        borderWidth: 2,
        background: 'var(--surface)',
        color: 'var(--text)',
      },
      connectable: false,
      draggable: false,
    }));
    const edges: Edge[] = topology.edges.map((e, i) => ({
      id: `${e.kind}-${i}`,
      source: e.from,
      target: e.to,
      animated: e.kind === 'data',
      style: e.kind === 'data' ? { strokeDasharray: '4 3', stroke: '#0ea5e9' } : { stroke: '#94a3b8' },
    }));
    return { nodes, edges };
  }, [topology, states]);

  if (topology.nodes.length === 0) return <div className="text-muted text-xs">No tasks.</div>;
  return (
    <div className="border-theme h-72 rounded-lg border" data-testid="topology">
      <ReactFlow nodes={nodes} edges={edges} fitView fitViewOptions={{ maxZoom: 1 }} nodesConnectable={false} onNodeClick={(_, n) => onSelect(n.id)} proOptions={{ hideAttribution: true }}>
        <Background gap={16} size={1} />
      </ReactFlow>
    </div>
  );
}
