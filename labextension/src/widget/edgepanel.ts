// The side panel for a selected edge: what it connects, insert the palette's
// class on it, delete it; with no selection, a hint for the palette's class.
import { DrawnEdge } from '../common/render';
import { button } from './toolbar';

export interface EdgePanelEvents {
  send(msg: Record<string, unknown>): void;
  deleteSelection(): void;
}

/** Fill `panel` for edge `de` (undefined: none selected; `anySelected`: a node is). */
export function showEdgePanel(
  panel: HTMLElement,
  de: DrawnEdge | undefined,
  cls: string | null,
  anySelected: boolean,
  ev: EdgePanelEvents
): void {
  panel.replaceChildren();
  if (!de) {
    if (cls && !anySelected) {
      const hint = document.createElement('div');
      hint.className = 'pl-form-note';
      hint.textContent = `Select an edge to insert ${cls} on it, or double-click ${cls} to add it.`;
      panel.appendChild(hint);
    }
    return;
  }
  const head = document.createElement('div');
  head.className = 'pl-form-head';
  head.textContent = de.edge.conns.map(c => `${c[0]} [${c[1]}] -> [${c[3]}] ${c[2]}`).join('\n');
  const kind = document.createElement('div');
  kind.className = 'pl-form-note pl-edge-kind';
  kind.textContent = de.edge.pull ? 'pull edge: the downstream element asks for packets' : 'push edge: the upstream element sends packets';
  panel.append(head, kind);
  const single = de.edge.conns.length === 1 ? de.edge.conns[0] : null;
  const ins = button(cls ? `Insert ${cls} here` : 'Insert… (pick a class)', 'insert', 'Put the selected palette class on this edge', () => {
    // no position: the layered layout puts it on its edge, between its neighbours
    if (single && cls) ev.send({ op: 'insert', cls, edge: single });
  });
  ins.disabled = !cls || !single;
  const del = button('Delete edge', 'delete-edge', 'Disconnect these ports', () => ev.deleteSelection());
  panel.append(ins, del);
}
