// Pointer gestures on the drawn graph: dragging a node, drawing a connection
// from an output port to an input port. The editor decides what they mean.
import { DisplayGraph, DNode } from '../common/display';
import { Box } from '../common/layout';
import { Drawn, edgePath, moveNode, portPoint, svgEl } from '../common/render';

/** The editor's current drawing (read at each pointer event: a relayout may replace it). */
export interface Canvas {
  drawn(): Drawn | null;
  dg(): DisplayGraph;
  boxes(): Map<string, Box>;
}

/** A pointer position in the drawing's SVG coordinates ([0, 0] when nothing is drawn). */
export function svgPoint(drawn: Drawn | null, ev: { clientX: number; clientY: number }): [number, number] {
  const root = drawn?.root;
  const m = root?.getScreenCTM();
  if (!m) return [0, 0];
  const p = new DOMPoint(ev.clientX, ev.clientY).matrixTransform(m.inverse());
  return [p.x, p.y];
}

/** Drag node `id` with the pointer; `done(box)` when it was moved (not on a plain click). */
export function dragNode(c: Canvas, ev: PointerEvent, id: string, done: (box: Box) => void): void {
  const box = c.boxes().get(id);
  if (!box || !c.drawn()) return;
  const [sx, sy] = svgPoint(c.drawn(), ev);
  const [bx, by] = [box.x, box.y];
  let moved = false;
  const move = (e: PointerEvent) => {
    const [x, y] = svgPoint(c.drawn(), e);
    if (!moved && Math.hypot(x - sx, y - sy) < 3) return;
    moved = true;
    box.x = Math.max(0, bx + x - sx);
    box.y = Math.max(0, by + y - sy);
    moveNode(c.drawn()!, c.dg(), c.boxes(), id);
  };
  const up = () => {
    window.removeEventListener('pointermove', move);
    window.removeEventListener('pointerup', up);
    if (moved) done(box);
  };
  window.addEventListener('pointermove', move);
  window.addEventListener('pointerup', up);
}

/** Draw a connection from output `sport` of `src`; `connect` when it ends on an
 * input port of a plain (not collapsed) element. */
export function dragConnection(
  c: Canvas,
  ev: PointerEvent,
  src: string,
  sport: number,
  connect: (dst: string | undefined, dport: number) => void
): void {
  const node = c.dg().nodes.find(n => n.id === src) as DNode | undefined;
  const box = c.boxes().get(src);
  const drawn = c.drawn();
  if (!node || !box || !drawn || node.members) return;
  ev.preventDefault();
  const start = portPoint(box, node, sport, true);
  const temp = svgEl('path', { class: 'pl-edge-temp', d: edgePath(start, start) }, drawn.root);
  const move = (e: PointerEvent) => temp.setAttribute('d', edgePath(start, svgPoint(c.drawn(), e)));
  const up = (e: PointerEvent) => {
    window.removeEventListener('pointermove', move);
    window.removeEventListener('pointerup', up);
    temp.remove();
    const hit = document.elementFromPoint(e.clientX, e.clientY);
    const dstG = hit?.closest<SVGGElement>('g.pl-node');
    if (hit?.classList.contains('pl-in') && dstG && !dstG.classList.contains('pl-compound')) {
      connect(dstG.dataset.name, Number(hit.getAttribute('data-port')));
    }
  };
  window.addEventListener('pointermove', move);
  window.addEventListener('pointerup', up);
}
