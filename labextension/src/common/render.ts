// Drawing a laid-out graph as SVG: element boxes with ordered ports, edges
// between ports. Shared by the widget, the MIME renderer and the preview.
import { DisplayGraph, DEdge, DNode } from './display';
import { Box, portY } from './layout';
import { FONTS, fitText } from './measure';

const SVG = 'http://www.w3.org/2000/svg';

export interface DrawnEdge {
  group: SVGGElement;
  line: SVGPathElement;
  label: SVGTextElement;
  edge: DEdge;
}

export interface Drawn {
  svg: SVGSVGElement;
  root: SVGGElement;
  nodes: Map<string, SVGGElement>;
  edges: Map<string, DrawnEdge>;
}

export function svgEl<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  parent?: Element
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (parent) parent.appendChild(el);
  return el;
}

export function portPoint(box: Box, node: DNode, port: number, output: boolean): [number, number] {
  const n = output ? node.nout : node.nin;
  return [box.x + (output ? box.w : 0), box.y + portY(box.h, port, Math.max(n, 1))];
}

export function edgePath(a: [number, number], b: [number, number]): string {
  const dx = Math.max(36, Math.abs(b[0] - a[0]) / 2);
  return `M${a[0]},${a[1]} C${a[0] + dx},${a[1]} ${b[0] - dx},${b[1]} ${b[0]},${b[1]}`;
}

function drawNode(n: DNode, box: Box, parent: SVGGElement): SVGGElement {
  const g = svgEl('g', { class: 'pl-node', 'data-name': n.id, 'data-class': n.cls }, parent);
  if (n.members) g.classList.add('pl-compound');
  g.setAttribute('transform', `translate(${box.x},${box.y})`);
  svgEl('rect', { class: 'pl-box', width: box.w, height: box.h, rx: 5 }, g);
  // Three lines inside the box: name, class, live numbers (live.ts), each
  // cut to the box (the title holds the full text).
  const room = box.w - 12;
  const name = svgEl('text', { class: 'pl-name', x: box.w / 2, y: box.h / 2 - 9 }, g);
  name.textContent = fitText(n.label, FONTS.name, room);
  const cls = svgEl('text', { class: 'pl-cls', x: box.w / 2, y: box.h / 2 + 5 }, g);
  cls.textContent = fitText(n.members ? 'compound' : n.cls, FONTS.cls, room);
  svgEl('text', { class: 'pl-live', x: box.w / 2, y: box.h / 2 + 18 }, g);
  const title = svgEl('title', {}, g);
  title.textContent = n.members ? `${n.id}: ${n.members.join(', ')}` : `${n.id} :: ${n.cls}`;
  for (let i = 0; i < n.nin; i++) {
    const c = svgEl('circle', { class: 'pl-port pl-in', 'data-port': i, cx: 0, cy: portY(box.h, i, n.nin), r: 4 }, g);
    if (n.spareIn && i === n.nin - 1) c.classList.add('pl-spare');
  }
  for (let i = 0; i < n.nout; i++) {
    const c = svgEl('circle', { class: 'pl-port pl-out', 'data-port': i, cx: box.w, cy: portY(box.h, i, n.nout), r: 4 }, g);
    if (n.spareOut && i === n.nout - 1) c.classList.add('pl-spare');
  }
  return g;
}

/** Draw `dg` at `boxes` into a new SVG element. */
export function drawGraph(dg: DisplayGraph, boxes: Map<string, Box>): Drawn {
  let maxX = 0;
  let maxY = 0;
  for (const b of boxes.values()) {
    maxX = Math.max(maxX, b.x + b.w);
    maxY = Math.max(maxY, b.y + b.h);
  }
  const svg = svgEl('svg', { class: 'pl-svg', width: maxX + 40, height: maxY + 40 });
  const defs = svgEl('defs', {}, svg);
  const marker = svgEl('marker', {
    id: 'pl-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto'
  }, defs);
  svgEl('path', { d: 'M0,0 L10,5 L0,10 z', class: 'pl-arrowhead' }, marker);
  const root = svgEl('g', { class: 'pl-root', transform: 'translate(8,8)' }, svg);
  const edgeLayer = svgEl('g', { class: 'pl-edges' }, root);
  const nodeLayer = svgEl('g', { class: 'pl-nodes' }, root);
  const byId = new Map(dg.nodes.map(n => [n.id, n]));
  const nodes = new Map<string, SVGGElement>();
  for (const n of dg.nodes) {
    const box = boxes.get(n.id);
    if (box) nodes.set(n.id, drawNode(n, box, nodeLayer));
  }
  const edges = new Map<string, DrawnEdge>();
  for (const e of dg.edges) {
    const a = boxes.get(e.src);
    const b = boxes.get(e.dst);
    const sn = byId.get(e.src);
    const dn = byId.get(e.dst);
    if (!a || !b || !sn || !dn) continue;
    const d = edgePath(portPoint(a, sn, e.sport, true), portPoint(b, dn, e.dport, false));
    const group = svgEl('g', { class: e.pull ? 'pl-edge pl-pull' : 'pl-edge pl-push', 'data-edge': e.id }, edgeLayer);
    svgEl('path', { class: 'pl-edge-hit', d }, group);
    const line = svgEl('path', { class: 'pl-edge-line', d, 'marker-end': 'url(#pl-arrow)' }, group);
    const [x1, y1] = portPoint(a, sn, e.sport, true);
    const [x2, y2] = portPoint(b, dn, e.dport, false);
    const label = svgEl('text', { class: 'pl-edge-label', x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 5 }, group);
    edges.set(e.id, { group, line, label, edge: e });
  }
  if (dg.edges.some(e => e.pull)) drawLegend(svg, maxY + 30);
  return { svg, root, nodes, edges };
}

/** Push and pull edges told apart, under the graph (drawn when it has pull edges). */
function drawLegend(svg: SVGSVGElement, y: number): void {
  const g = svgEl('g', { class: 'pl-legend', transform: `translate(12,${y})` }, svg);
  let x = 0;
  for (const [kind, text] of [
    ['push', 'push: the upstream element sends'],
    ['pull', 'pull: the downstream element asks']
  ]) {
    const item = svgEl('g', { class: `pl-edge pl-${kind} pl-legend-${kind}` }, g);
    svgEl('path', { class: 'pl-edge-line', d: `M${x},0 L${x + 28},0` }, item);
    const t = svgEl('text', { class: 'pl-legend-text', x: x + 34, y: 4 }, item);
    t.textContent = text;
    x += 34 + text.length * 6 + 18;
  }
  svg.setAttribute('height', String(Number(svg.getAttribute('height')) + 24));
}

/** Move one drawn node and the edges touching it. */
export function moveNode(drawn: Drawn, dg: DisplayGraph, boxes: Map<string, Box>, id: string): void {
  const box = boxes.get(id);
  const g = drawn.nodes.get(id);
  if (!box || !g) return;
  g.setAttribute('transform', `translate(${box.x},${box.y})`);
  const byId = new Map(dg.nodes.map(n => [n.id, n]));
  for (const de of drawn.edges.values()) {
    const e = de.edge;
    if (e.src !== id && e.dst !== id) continue;
    const a = boxes.get(e.src)!;
    const b = boxes.get(e.dst)!;
    const p = portPoint(a, byId.get(e.src)!, e.sport, true);
    const q = portPoint(b, byId.get(e.dst)!, e.dport, false);
    const d = edgePath(p, q);
    for (const path of de.group.querySelectorAll('path')) path.setAttribute('d', d);
    de.label.setAttribute('x', String((p[0] + q[0]) / 2));
    de.label.setAttribute('y', String((p[1] + q[1]) / 2 - 5));
  }
}
