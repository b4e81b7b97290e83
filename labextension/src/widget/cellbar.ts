// The bar under the graph that keeps its %%click cell in step with the
// engine: it hands the cell's new text to the JupyterLab extension (see
// common/cellsync.ts) and, where the extension could not write it, says the
// cell is out of date, with one click to update it (or to copy the text,
// where no extension can write cells).
import { CELL_SYNC, CellSyncDetail } from '../common/cellsync';
import { button } from './toolbar';
import { CellSync } from './traits';

export class CellBar {
  readonly node: HTMLDivElement;
  private text = document.createElement('span');
  private update: HTMLButtonElement;
  private copy: HTMLButtonElement;
  private lastSeq = -1;

  constructor(private events: { send(msg: Record<string, unknown>): void }) {
    this.node = document.createElement('div');
    this.node.className = 'pl-cellbar';
    this.node.hidden = true;
    this.update = button('Update cell', 'cell-update', 'Write the running graph into the %%click cell', () =>
      this.events.send({ op: 'cell_update' })
    );
    this.copy = button('Copy text', 'cell-copy', 'Copy the cell text for the running graph', () => {
      void navigator.clipboard?.writeText(this.pending);
    });
    this.node.append(this.text, this.update, this.copy);
  }

  private pending = '';

  /** A new text for the cell: offer it to the extension, say what happened. */
  sync(cell: CellSync, from: HTMLElement): void {
    if (!cell.text || cell.seq === undefined || cell.seq === this.lastSeq) return;
    this.lastSeq = cell.seq;
    this.pending = cell.text;
    const detail: CellSyncDetail = { id: cell.id ?? '', ran: cell.ran ?? '', text: cell.text, force: !!cell.force, result: '' };
    from.dispatchEvent(new CustomEvent(CELL_SYNC, { bubbles: true, detail }));
    const result = detail.result === '' ? 'unsupported' : detail.result;
    this.events.send({ op: 'cell_synced', seq: cell.seq, result });
  }

  show(state: string): void {
    this.node.dataset.state = state;
    this.node.hidden = state === '' || state === 'updated';
    this.update.hidden = state !== 'edited';
    if (state === 'edited') {
      this.text.textContent = 'The %%click cell was edited since it ran, and the engine changed: the cell is out of date. ';
    } else if (state === 'unsupported' || state === 'nocell') {
      this.text.textContent = 'The %%click cell is out of date (the engine changed); this page cannot write it: copy the text into the cell. ';
    }
  }
}
