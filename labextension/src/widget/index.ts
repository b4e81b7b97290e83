// The anywidget front end of pktlab.notebook.widget.GraphWidget (bundled by esbuild).
import type { AnyModel } from '@anywidget/types';
import { GraphEditorView } from './editor';

export default {
  render({ model, el }: { model: AnyModel; el: HTMLElement }) {
    const view = new GraphEditorView(model as never, el);
    return () => view.dispose();
  }
};
