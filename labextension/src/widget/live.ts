// Live numbers on the drawn graph: edge rates, element load and drop badges.
import { FONTS, fitText } from '../common/measure';
import { Drawn } from '../common/render';
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
    const line = g.querySelector<SVGTextElement>('.pl-live');
    if (!box) continue;
    if (!e) {
      box.style.fill = '';
      g.classList.remove('pl-dropping');
      if (line) line.textContent = '';
      continue;
    }
    const hue = 120 - 120 * Math.min(1, Math.max(0, e.load));
    box.style.fill = `hsl(${hue}, 70%, 90%)`;
    g.classList.toggle('pl-dropping', e.dropping);
    const drops = e.drops ? ` · drops ${e.drops}` : '';
    // The thread analysis (the paper's Fig. 13): which workers reach it.
    const threads = e.threads?.length ? ` · T${e.threads.join(',')}${e.locked ? ' locked' : ''}` : '';
    const text = `${formatRate(e.pps)} · batch ${e.batch.toFixed(1)}${drops}${threads}`;
    if (line) {
      // inside the box, cut to it; the whole line is the box's tooltip
      line.textContent = fitText(text, FONTS.live, Number(box.getAttribute('width') ?? 96) - 8);
      const title = g.querySelector('title');
      if (title) title.textContent = `${g.dataset.name} :: ${g.dataset.class}\n${text}`;
    }
    g.classList.toggle('pl-locked', !!e.locked);
  }
}
