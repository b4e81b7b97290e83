// A graph without a kernel: laid out and drawn, read-only (MIME renderer,
// .click preview).
import { displayGraph } from './display';
import { layout } from './layout';
import { drawGraph } from './render';
import { GraphJSON } from './types';

export async function renderStatic(host: HTMLElement, g: GraphJSON): Promise<void> {
  const collapsed = new Set<string>();
  const draw = async () => {
    const dg = displayGraph(g, collapsed);
    const boxes = await layout(dg);
    for (const [name, p] of Object.entries(g.positions ?? {})) {
      const b = boxes.get(name);
      if (b) {
        b.x = p[0];
        b.y = p[1];
      }
    }
    const drawn = drawGraph(dg, boxes);
    host.replaceChildren();
    host.classList.add('pktlab-graph', 'pl-static');
    const caption = document.createElement('div');
    caption.className = 'pl-caption';
    caption.textContent = `Click graph: ${g.elements.length} elements, ${g.connections.length} connections`;
    host.appendChild(caption);
    for (const grp of dg.groups) {
      const chip = document.createElement('button');
      chip.className = 'pl-chip';
      chip.textContent = `${collapsed.has(grp) ? '▸' : '▾'} ${grp}`;
      chip.title = collapsed.has(grp) ? 'expand this compound' : 'collapse this compound';
      chip.onclick = () => {
        if (collapsed.has(grp)) collapsed.delete(grp);
        else collapsed.add(grp);
        void draw();
      };
      caption.appendChild(chip);
    }
    const canvas = document.createElement('div');
    canvas.className = 'pl-canvas';
    // fit to the width of the output (scaled, never enlarged)
    const w = Number(drawn.svg.getAttribute('width'));
    const h = Number(drawn.svg.getAttribute('height'));
    drawn.svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
    drawn.svg.style.maxWidth = '100%';
    drawn.svg.style.height = 'auto';
    canvas.appendChild(drawn.svg);
    host.appendChild(canvas);
  };
  await draw();
}
