// Layered layout with ordered ports (ELK's layered algorithm).
import ELK from 'elkjs/lib/elk.bundled.js';
import { DisplayGraph, DNode } from './display';
import { FONTS, textWidth } from './measure';

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

const PORT_GAP = 16;
/** Boxes never grow wider than this: longer labels are cut (full text in the title). */
export const MAX_W = 300;
const PAD = 24;

/** A box that fits its name, its class and a line of live numbers. */
export function nodeSize(n: DNode): { w: number; h: number } {
  const text = Math.max(textWidth(n.label, FONTS.name), textWidth(n.cls, FONTS.cls),
    textWidth('00.00 Mpps · batch 000.0', FONTS.live));
  return {
    w: Math.min(MAX_W, Math.max(96, Math.ceil(text) + PAD)),
    h: Math.max(56, Math.max(n.nin, n.nout) * PORT_GAP + 12)
  };
}

function overlaps(a: Box, b: Box, gap: number): boolean {
  return a.x < b.x + b.w + gap && b.x < a.x + a.w + gap && a.y < b.y + b.h + gap && b.y < a.y + a.h + gap;
}

/**
 * Boxes the layout placed move out of the way of boxes the user placed
 * (`pinned`), and of each other once moved: down, in steps, until they
 * overlap nothing. Pinned boxes never move.
 */
export function separate(boxes: Map<string, Box>, pinned: ReadonlySet<string>, gap = 12): void {
  const placed: Box[] = [...pinned].map(id => boxes.get(id)).filter((b): b is Box => !!b);
  const free = [...boxes.entries()].filter(([id]) => !pinned.has(id)).sort((a, b) => a[1].y - b[1].y || a[1].x - b[1].x);
  for (const [, b] of free) {
    for (let k = 0; k < 500 && placed.some(p => overlaps(b, p, gap)); k++) {
      const hit = placed.filter(p => overlaps(b, p, gap));
      b.y = Math.max(...hit.map(p => p.y + p.h)) + gap;
    }
    placed.push(b);
  }
}

/** A free place for a new box near (x, y): below whatever is there. */
export function freePlace(boxes: Iterable<Box>, x: number, y: number, w = 96, h = 56): [number, number] {
  const probe: Box = { x, y, w, h };
  const all = [...boxes];
  for (let k = 0; k < 500 && all.some(b => overlaps(probe, b, 12)); k++) {
    probe.y = Math.max(...all.filter(b => overlaps(probe, b, 12)).map(b => b.y + b.h)) + 12;
  }
  return [Math.round(probe.x), Math.round(probe.y)];
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
