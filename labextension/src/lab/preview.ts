// .click files: the Click editor with the graph drawn beside it.
import { ABCWidgetFactory, DocumentRegistry, DocumentWidget, IDocumentWidget } from '@jupyterlab/docregistry';
import { IEditorServices } from '@jupyterlab/codeeditor';
import { FileEditor } from '@jupyterlab/fileeditor';
import { SplitPanel, Widget } from '@lumino/widgets';
import { renderStatic } from '../common/static';
import { parseClick } from './server';

export const CLICK_FACTORY = 'Click Editor';

export class ClickPreview extends Widget {
  private timer = 0;
  private seq = 0;

  constructor(private context: DocumentRegistry.CodeContext) {
    super();
    this.addClass('pktlab-preview');
    this.node.textContent = 'parsing…';
    void context.ready.then(() => this.update());
    context.model.contentChanged.connect(() => {
      window.clearTimeout(this.timer);
      this.timer = window.setTimeout(() => this.update(), 400);
    });
  }

  async update(): Promise<void> {
    const seq = ++this.seq;
    const text = this.context.model.toString();
    let result;
    try {
      result = await parseClick(text, this.context.localPath);
    } catch (e) {
      result = { error: String(e) };
    }
    if (seq !== this.seq || this.isDisposed) return;
    if (result.graph) {
      this.node.classList.remove('pl-has-error');
      await renderStatic(this.node, result.graph);
    } else {
      this.node.classList.add('pl-has-error');
      const pre = document.createElement('pre');
      pre.className = 'pl-parse-error';
      pre.textContent = result.error ?? 'cannot parse';
      this.node.replaceChildren(pre);
    }
  }

  dispose(): void {
    window.clearTimeout(this.timer);
    super.dispose();
  }
}

export class ClickEditorFactory extends ABCWidgetFactory<IDocumentWidget<SplitPanel>, DocumentRegistry.ICodeModel> {
  constructor(
    options: DocumentRegistry.IWidgetFactoryOptions<IDocumentWidget<SplitPanel>>,
    private services: IEditorServices
  ) {
    super(options);
  }

  protected createNewWidget(context: DocumentRegistry.CodeContext): IDocumentWidget<SplitPanel> {
    const editor = new FileEditor({
      factory: this.services.factoryService.newDocumentEditor,
      mimeTypeService: this.services.mimeTypeService,
      context
    });
    const preview = new ClickPreview(context);
    const split = new SplitPanel({ orientation: 'horizontal', spacing: 4 });
    split.addClass('pktlab-click-editor');
    split.addWidget(editor);
    split.addWidget(preview);
    split.setRelativeSizes([1, 1]);
    const widget = new DocumentWidget({ content: split, context });
    widget.title.iconClass = 'pktlab-click-icon';
    return widget;
  }
}
