// Live numbers on the drawn graph: edge rates, element load and drop badges.
import { Drawn, svgEl } from '../common/render';
import { formatRate, LiveData } from '../common/types';

export function paintLive(drawn: Drawn, live: LiveData): void {
  const edges = live.edges ?? {};
  for (const de of drawn.edges.values()) {
    let rate = 0;
    let known = false;
    for (const c of de.edge.conns) {
      const r = edges[`${c[0]}:${c[1]}`];
      if (r !== undefined) {
        rate += r;
        known = true;
      }
    }
    de.label.textContent = known ? formatRate(rate) : '';
    de.group.classList.toggle('pl-busy', known && rate > 0);
  }
  const els = live.elements ?? {};
  for (const [id, g] of drawn.nodes) {
    const e = els[id];
    const box = g.querySelector<SVGRectElement>('.pl-box');
    if (!box) continue;
    if (!e) {
      box.style.fill = '';
      g.classList.remove('pl-dropping');
      continue;
    }
    const hue = 120 - 120 * Math.min(1, Math.max(0, e.load));
    box.style.fill = `hsl(${hue}, 70%, 90%)`;
    g.classList.toggle('pl-dropping', e.dropping);
    let badge = g.querySelector<SVGTextElement>('.pl-badge');
    if (!badge) badge = svgEl('text', { class: 'pl-badge', x: 4, y: -4 }, g);
    const drops = e.drops ? `  drops ${e.drops}` : '';
    // The thread analysis (the paper's Fig. 13): which workers reach it.
    const threads = e.threads?.length ? `  T${e.threads.join(',')}${e.locked ? ' locked' : ''}` : '';
    badge.textContent = `${formatRate(e.pps)}  batch ${e.batch.toFixed(1)}${drops}${threads}`;
    g.classList.toggle('pl-locked', !!e.locked);
  }
}
