// The Click language for JupyterLab's editors, and Click syntax in %%click cells.
import { LanguageSupport, StreamLanguage } from '@codemirror/language';
import { IEditorLanguageRegistry } from '@jupyterlab/codemirror';
import { Cell, ICodeCellModel } from '@jupyterlab/cells';
import { NotebookPanel } from '@jupyterlab/notebook';
import { CLICK_MIME, clickMode } from '../common/clickmode';

export function registerClickLanguage(languages: IEditorLanguageRegistry): void {
  const language = StreamLanguage.define(clickMode);
  languages.addLanguage({
    name: 'click',
    displayName: 'Click',
    mime: CLICK_MIME,
    extensions: ['click'],
    support: new LanguageSupport(language)
  });
}

const MAGIC = /^\s*%%click\b/;

/** Keep the editor language of every %%click cell of a notebook on Click. */
export function watchClickCells(panel: NotebookPanel): void {
  const watched = new WeakSet<ICodeCellModel>();
  const fix = (cell: Cell) => {
    if (cell.model.type !== 'code') return;
    const model = cell.model as ICodeCellModel;
    const isClick = MAGIC.test(model.sharedModel.getSource());
    const codeMime = panel.content.codeMimetype;
    if (isClick && model.mimeType !== CLICK_MIME) model.mimeType = CLICK_MIME;
    else if (!isClick && model.mimeType === CLICK_MIME) model.mimeType = codeMime;
    cell.node.classList.toggle('pktlab-click-cell', isClick);
    if (!watched.has(model)) {
      watched.add(model);
      // The notebook resets cell languages when the kernel's language arrives.
      model.mimeTypeChanged.connect(() => {
        if (MAGIC.test(model.sharedModel.getSource()) && model.mimeType !== CLICK_MIME) {
          requestAnimationFrame(() => (model.mimeType = CLICK_MIME));
        }
      });
    }
  };
  const scan = () => {
    for (const cell of panel.content.widgets) fix(cell);
  };
  panel.content.modelContentChanged.connect(scan);
  panel.content.activeCellChanged.connect(scan);
  panel.sessionContext.kernelChanged.connect(scan);
  void panel.context.ready.then(scan);
}
