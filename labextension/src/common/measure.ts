// Text widths as the browser draws them (a canvas measures them with the
// fonts the SVG uses), so that boxes fit their labels and a label too long
// for its box is cut with an ellipsis (the full text is in the box's title).
const FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
export const FONTS = {
  name: `600 12px ${FAMILY}`,
  cls: `italic 11px ${FAMILY}`,
  live: `10px ${FAMILY}`
};

let ctx: CanvasRenderingContext2D | null = null;
const cache = new Map<string, number>();

export function textWidth(text: string, font: string): number {
  const key = `${font}|${text}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  ctx = ctx ?? document.createElement('canvas').getContext('2d');
  // No canvas (a test DOM): a generous estimate per character.
  const w = ctx ? ((ctx.font = font), ctx.measureText(text).width) : text.length * 7.5;
  if (cache.size > 5000) cache.clear();
  cache.set(key, w);
  return w;
}

/** `text`, cut with an ellipsis to fit `max` pixels in `font`. */
export function fitText(text: string, font: string, max: number): string {
  if (textWidth(text, font) <= max) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (textWidth(text.slice(0, mid) + '…', font) <= max) lo = mid;
    else hi = mid - 1;
  }
  return text.slice(0, lo) + '…';
}
