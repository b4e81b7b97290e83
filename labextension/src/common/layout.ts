// Layered layout with ordered ports (ELK's layered algorithm).
import ELK from 'elkjs/lib/elk.bundled.js';
import { DisplayGraph, DNode } from './display';

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

const PORT_GAP = 16;

export function nodeSize(n: DNode): { w: number; h: number } {
  const text = Math.max(n.label.length, n.cls.length + 2);
  return { w: Math.max(96, text * 7.2 + 24), h: Math.max(44, Math.max(n.nin, n.nout) * PORT_GAP + 12) };
}

/** y offset of port i of n on one side of a box of height h */
export function portY(h: number, i: number, n: number): number {
  return (h * (i + 1)) / (n + 1);
}

let elk: InstanceType<typeof ELK> | null = null;

export async function layout(g: DisplayGraph): Promise<Map<string, Box>> {
  elk = elk ?? new ELK();
  const children = g.nodes.map(n => {
    const { w, h } = nodeSize(n);
    const ports = [];
    for (let i = 0; i < n.nin; i++) {
      ports.push({
        id: `${n.id}|in|${i}`,
        width: 1,
        height: 1,
        y: portY(h, i, n.nin),
        x: 0,
        layoutOptions: { 'elk.port.side': 'WEST', 'elk.port.index': String(n.nin - 1 - i) }
      });
    }
    for (let i = 0; i < n.nout; i++) {
      ports.push({
        id: `${n.id}|out|${i}`,
        width: 1,
        height: 1,
        y: portY(h, i, n.nout),
        x: w,
        layoutOptions: { 'elk.port.side': 'EAST', 'elk.port.index': String(i) }
      });
    }
    return { id: n.id, width: w, height: h, ports, layoutOptions: { 'elk.portConstraints': 'FIXED_POS' } };
  });
  const edges = g.edges.map(e => ({
    id: e.id,
    sources: [`${e.src}|out|${e.sport}`],
    targets: [`${e.dst}|in|${e.dport}`]
  }));
  const res = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.spacing.nodeNodeBetweenLayers': '56',
      'elk.spacing.nodeNode': '28',
      'elk.layered.cycleBreaking.strategy': 'DEPTH_FIRST',
      'elk.padding': '[top=12,left=12,bottom=12,right=12]'
    },
    children,
    edges
  });
  const out = new Map<string, Box>();
  for (const c of res.children ?? []) {
    out.set(c.id, { x: c.x ?? 0, y: c.y ?? 0, w: c.width ?? 96, h: c.height ?? 44 });
  }
  return out;
}
