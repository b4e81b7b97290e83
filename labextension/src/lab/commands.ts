// Palette commands: a new Click configuration, run it, stop it.
import { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IDocumentWidget } from '@jupyterlab/docregistry';
import { INotebookTracker } from '@jupyterlab/notebook';
import { Widget } from '@lumino/widgets';

const TEMPLATE = `// A Click configuration: a generator, a counter and a sink.
src :: InfiniteSource(LENGTH 64, BURST 32)
  -> c :: Counter
  -> sink :: Discard;
`;

interface ConsoleLike extends Widget {
  console: { inject(code: string): Promise<void> };
  sessionContext: {
    ready: Promise<void>;
    session: { kernel: { requestExecute(c: { code: string; silent?: boolean }): unknown } | null } | null;
  };
}

function pyString(s: string): string {
  return JSON.stringify(s);
}

export function addCommands(app: JupyterFrontEnd, palette: ICommandPalette | null, notebooks: INotebookTracker | null): void {
  const consoles = new Map<string, ConsoleLike>();
  const currentClick = (): IDocumentWidget | null => {
    const w = app.shell.currentWidget as IDocumentWidget | null;
    return w && w.context && w.context.path.endsWith('.click') ? w : null;
  };

  app.commands.addCommand('pktlab:new-click', {
    label: 'New Click Configuration',
    caption: 'Create a .click file and open it with its graph preview',
    execute: async () => {
      const model = await app.commands.execute('docmanager:new-untitled', { path: '', type: 'file', ext: '.click' });
      await app.serviceManager.contents.save(model.path, { type: 'file', format: 'text', content: TEMPLATE });
      return app.commands.execute('docmanager:open', { path: model.path, factory: 'Click Editor' });
    }
  });

  app.commands.addCommand('pktlab:run', {
    label: 'Run Click Configuration',
    caption: 'Run the current .click file (in a console) or the current %%click cell',
    execute: async () => {
      const doc = currentClick();
      if (doc) {
        await doc.context.save();
        const path = doc.context.path;
        let panel = consoles.get(path);
        if (!panel || panel.isDisposed) {
          await app.serviceManager.kernelspecs.ready;
          const name = app.serviceManager.kernelspecs.specs?.default ?? 'python3';
          const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
          panel = (await app.commands.execute('console:create', {
            basePath: dir,
            cwd: dir,
            ref: doc.id,
            insertMode: 'split-bottom',
            activate: false,
            kernelPreference: { name, shouldStart: true, autoStartDefault: true }
          })) as ConsoleLike;
          consoles.set(path, panel);
        }
        await panel.sessionContext.ready;
        const file = path.split('/').pop() ?? path;
        await panel.console.inject(`import pktlab.notebook.widget as _pktlab_widget\n_pktlab_widget.run_file(${pyString(file)})`);
        return;
      }
      if (notebooks?.currentWidget) return app.commands.execute('notebook:run-cell');
    }
  });

  app.commands.addCommand('pktlab:stop', {
    label: 'Stop Click Engines',
    caption: 'Stop the engines pktlab runs: those of Run Click Configuration and of the current notebook',
    execute: async () => {
      const code = 'import pktlab.notebook.widget as _pktlab_widget\n_pktlab_widget.stop_all()';
      const kernels = [...consoles.values()]
        .filter(p => !p.isDisposed)
        .map(p => p.sessionContext.session?.kernel);
      const current = app.shell.currentWidget;
      if (notebooks?.currentWidget && notebooks.currentWidget === current) {
        kernels.push(notebooks.currentWidget.sessionContext.session?.kernel ?? null);
      }
      await Promise.all(
        kernels.map(k => (k ? (k.requestExecute({ code, silent: true }) as { done: Promise<unknown> }).done : null))
      );
    }
  });

  for (const command of ['pktlab:new-click', 'pktlab:run', 'pktlab:stop']) {
    palette?.addItem({ command, category: 'pktlab' });
  }
}
