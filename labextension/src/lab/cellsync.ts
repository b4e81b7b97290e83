// Writes a %%click cell's text when its engine changed elsewhere (a slider,
// the graph widget's Apply, code): see common/cellsync.ts. A cell the user
// edited since it ran is not overwritten; it is marked out of date instead
// (the widget under it offers Update).
import { Cell } from '@jupyterlab/cells';
import { INotebookTracker } from '@jupyterlab/notebook';
import { CELL_SYNC, CellSyncDetail, sameText } from '../common/cellsync';

function findCell(notebooks: INotebookTracker, id: string, from: EventTarget | null): Cell | null {
  let found: Cell | null = null;
  notebooks.forEach(panel => {
    for (const c of panel.content.widgets) if (!found && id && c.model.id === id) found = c;
  });
  if (found) return found;
  // No id (a kernel that did not get one): the cell whose output holds the widget.
  const node = from instanceof Element ? from.closest('.jp-Cell') : null;
  notebooks.forEach(panel => {
    for (const c of panel.content.widgets) if (!found && node && c.node === node) found = c;
  });
  return found;
}

export function watchCellSync(notebooks: INotebookTracker): void {
  document.addEventListener(CELL_SYNC, ev => {
    const d = (ev as CustomEvent<CellSyncDetail>).detail;
    const cell = findCell(notebooks, d.id, ev.target);
    if (!cell || cell.model.type !== 'code') {
      d.result = 'nocell';
      return;
    }
    const source = cell.model.sharedModel.getSource();
    if (sameText(source, d.text)) {
      d.result = 'updated';
    } else if (!d.force && !sameText(source, d.ran)) {
      d.result = 'edited';
    } else {
      cell.model.sharedModel.setSource(d.text);
      d.result = 'updated';
    }
    cell.node.classList.toggle('pktlab-cell-stale', d.result === 'edited');
  });
}
