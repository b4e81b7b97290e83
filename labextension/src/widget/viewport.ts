// The editor's scale: fit-to-view (the whole graph shows, never above 100%)
// or a chosen zoom (ctrl+wheel, the toolbar's buttons), with a canvas height
// that follows the drawing within bounds, never the palette's list.
import { Box } from '../common/layout';
import { Drawn } from '../common/render';
import { Toolbar } from './toolbar';

const MIN_H = 220;
const MAX_H = 560;
/** room under the boxes for the push/pull legend (common/render.ts) */
const LEGEND_H = 24;

export class Viewport {
  zoom = 1;
  fit = true;
  private resize: ResizeObserver | null = null;

  constructor(
    private canvas: HTMLElement,
    private body: HTMLElement,
    private root: HTMLElement,
    private toolbar: Toolbar,
    private current: () => { drawn: Drawn | null; boxes: Map<string, Box> }
  ) {
    canvas.addEventListener(
      'wheel',
      ev => {
        if (!ev.ctrlKey) return;
        ev.preventDefault();
        this.set(ev.deltaY < 0 ? 1.1 : 1 / 1.1);
      },
      { passive: false }
    );
    if (typeof ResizeObserver !== 'undefined') {
      this.resize = new ResizeObserver(() => {
        if (this.fit) this.apply();
      });
      this.resize.observe(canvas);
    }
  }

  dispose(): void {
    this.resize?.disconnect();
  }

  /** The drawing's size in its own units (what fit-to-view fits). */
  extent(): [number, number] {
    const { drawn, boxes } = this.current();
    let w = 200;
    let h = 80;
    for (const b of boxes.values()) {
      w = Math.max(w, b.x + b.w + 24);
      h = Math.max(h, b.y + b.h + 24);
    }
    if (drawn?.svg.querySelector('.pl-legend')) h += LEGEND_H;
    return [w, h];
  }

  set(f: number | 'fit'): void {
    if (f === 'fit') this.fit = true;
    else {
      this.fit = false;
      this.zoom = Math.min(3, Math.max(0.2, this.zoom * f));
    }
    this.apply();
  }

  /** Scale the drawing: in fit mode so that the whole graph shows, else at the zoom. */
  apply(): void {
    const { drawn } = this.current();
    if (!drawn) return;
    const [w, h] = this.extent();
    const avail = this.canvas.clientWidth - 4;
    if (this.fit && avail > 40) this.zoom = Math.max(0.2, Math.min(1, avail / w, MAX_H / h));
    const svg = drawn.svg;
    svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
    svg.setAttribute('width', String(Math.round(w * this.zoom)));
    svg.setAttribute('height', String(Math.round(h * this.zoom)));
    const height = Math.round(Math.min(MAX_H, Math.max(MIN_H, h * this.zoom + 8)));
    this.body.style.height = `${height}px`;
    this.root.dataset.zoom = this.zoom.toFixed(3);
    this.toolbar.showZoom(this.zoom, this.fit);
  }
}
