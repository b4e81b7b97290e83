// The handshake between the graph widget and the JupyterLab extension that
// keeps a %%click cell's text in step with its engine.
//
// The widget (widget/cellbar.ts) dispatches CELL_SYNC on its node, bubbling,
// with the cell's id, its text as it ran and its text for the engine now. A
// listener that owns notebook cells (lab/cellsync.ts) answers synchronously
// in `detail.result`: 'updated' (the cell holds `text` now), 'edited' (the
// user changed the cell since it ran: not overwritten unless `force`),
// 'nocell' (no such cell here). No answer: no extension ('unsupported').
export const CELL_SYNC = 'pktlab-cell-sync';

export interface CellSyncDetail {
  id: string;
  ran: string;
  text: string;
  force: boolean;
  result: '' | 'updated' | 'edited' | 'nocell';
}

/** Cell texts compared as the editor shows them (trailing blanks aside). */
export function sameText(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/[ \t]+$/gm, '').replace(/\s+$/, '');
  return norm(a) === norm(b);
}
