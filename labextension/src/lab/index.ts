// pktlab's JupyterLab extension: the Click language (editors and %%click
// cells), .click files with a graph preview, the graph MIME renderer and
// palette commands.
import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IEditorServices } from '@jupyterlab/codeeditor';
import { IEditorLanguageRegistry } from '@jupyterlab/codemirror';
import { INotebookTracker } from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { CLICK_MIME } from '../common/clickmode';
import { watchCellSync } from './cellsync';
import { addCommands } from './commands';
import { registerClickLanguage, watchClickCells } from './language';
import { graphRendererFactory } from './mime';
import { CLICK_FACTORY, ClickEditorFactory } from './preview';

const language: JupyterFrontEndPlugin<void> = {
  id: 'pktlab:click-language',
  description: 'Click syntax highlighting in .click files and %%click cells',
  autoStart: true,
  requires: [IEditorLanguageRegistry],
  optional: [INotebookTracker],
  activate: (_app: JupyterFrontEnd, languages: IEditorLanguageRegistry, notebooks: INotebookTracker | null) => {
    registerClickLanguage(languages);
    notebooks?.widgetAdded.connect((_, panel) => watchClickCells(panel));
  }
};

const files: JupyterFrontEndPlugin<void> = {
  id: 'pktlab:click-files',
  description: '.click files open in the Click editor with a graph preview',
  autoStart: true,
  requires: [IEditorServices, IEditorLanguageRegistry],
  activate: (app: JupyterFrontEnd, services: IEditorServices) => {
    app.docRegistry.addFileType({
      name: 'click',
      displayName: 'Click configuration',
      extensions: ['.click'],
      mimeTypes: [CLICK_MIME],
      fileFormat: 'text',
      contentType: 'file',
      iconClass: 'pktlab-click-icon'
    });
    app.docRegistry.addWidgetFactory(
      new ClickEditorFactory(
        { name: CLICK_FACTORY, label: 'Click Editor', fileTypes: ['click'], defaultFor: ['click'] },
        services
      )
    );
  }
};

const mime: JupyterFrontEndPlugin<void> = {
  id: 'pktlab:graph-mime',
  description: 'Shows pktlab graphs saved in notebooks without a kernel',
  autoStart: true,
  requires: [IRenderMimeRegistry],
  optional: [INotebookTracker],
  activate: (_app: JupyterFrontEnd, rendermime: IRenderMimeRegistry, notebooks: INotebookTracker | null) => {
    rendermime.addFactory(graphRendererFactory(null), 40);
    // In notebooks, ahead of the widget renderer: it shows the live widget
    // when the kernel has it and the saved graph when not.
    notebooks?.widgetAdded.connect((_, panel) => {
      const registry = panel.content.rendermime;
      registry.addFactory(graphRendererFactory(registry), -20);
    });
  }
};

const cells: JupyterFrontEndPlugin<void> = {
  id: 'pktlab:cell-sync',
  description: 'Keeps %%click cells in step with their engines (edits made in the widget, sliders, code)',
  autoStart: true,
  requires: [INotebookTracker],
  activate: (_app: JupyterFrontEnd, notebooks: INotebookTracker) => watchCellSync(notebooks)
};

const commands: JupyterFrontEndPlugin<void> = {
  id: 'pktlab:commands',
  description: 'pktlab commands: new Click configuration, run, stop',
  autoStart: true,
  optional: [ICommandPalette, INotebookTracker],
  activate: (app: JupyterFrontEnd, palette: ICommandPalette | null, notebooks: INotebookTracker | null) =>
    addCommands(app, palette, notebooks)
};

export default [language, files, mime, cells, commands];
