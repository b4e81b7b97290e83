// A MIME renderer for the graph JSON that pktlab's widget puts in its output
// bundle: a saved notebook shows the graph without a kernel. In a notebook
// with a live kernel, the live widget is shown instead, when it can be.
import { MimeModel } from '@jupyterlab/rendermime';
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { PanelLayout, Widget } from '@lumino/widgets';
import { renderStatic } from '../common/static';
import { GRAPH_MIME, GraphJSON } from '../common/types';

const WIDGET_MIME = 'application/vnd.jupyter.widget-view+json';

function sameGraph(a: GraphJSON, b: GraphJSON | undefined): boolean {
  if (!b) return false;
  const key = (g: GraphJSON) =>
    JSON.stringify([
      g.elements.map(e => [e.name, e.class, e.config]),
      g.connections,
      Object.entries(g.positions ?? {}).sort()
    ]);
  return key(a) === key(b);
}

class GraphRenderer extends Widget implements IRenderMime.IRenderer {
  private staticView = new Widget();
  private observer: MutationObserver | null = null;

  constructor(private registry: IRenderMimeRegistry | null) {
    super();
    this.addClass('pktlab-mime');
    this.layout = new PanelLayout();
    (this.layout as PanelLayout).addWidget(this.staticView);
  }

  private model: IRenderMime.IMimeModel | null = null;

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    this.model = model;
    const data = model.data[GRAPH_MIME] as unknown as GraphJSON;
    await renderStatic(this.staticView.node, data);
    const view = model.data[WIDGET_MIME];
    if (!view || !this.registry?.getFactory(WIDGET_MIME) || this.observer) return;
    const live = this.registry.createRenderer(WIDGET_MIME);
    live.addClass('pktlab-live-host');
    live.hide();
    (this.layout as PanelLayout).addWidget(live);
    // The widget shows only once its model exists (a live kernel made it).
    this.observer = new MutationObserver(() => {
      const ok = live.node.querySelector('.pktlab-widget') !== null;
      live.setHidden(!ok);
      this.staticView.setHidden(ok);
    });
    this.observer.observe(live.node, { childList: true, subtree: true });
    // Keep the output's saved graph in step with the edited one.
    live.node.addEventListener('pktlab-graph', ev => {
      const graph = (ev as CustomEvent<GraphJSON>).detail;
      const saved = this.model?.data[GRAPH_MIME] as unknown as GraphJSON | undefined;
      if (this.model && !sameGraph(graph, saved)) {
        this.model.setData({ data: { ...this.model.data, [GRAPH_MIME]: graph as never } });
      }
    });
    void live.renderModel(
      new MimeModel({ data: { [WIDGET_MIME]: view }, metadata: model.metadata, trusted: model.trusted })
    );
  }

  dispose(): void {
    this.observer?.disconnect();
    super.dispose();
  }
}

export function graphRendererFactory(registry: IRenderMimeRegistry | null): IRenderMime.IRendererFactory {
  return {
    safe: true,
    mimeTypes: [GRAPH_MIME],
    defaultRank: 40,
    createRenderer: () => new GraphRenderer(registry)
  };
}
