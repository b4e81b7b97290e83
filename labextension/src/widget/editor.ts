// The graph widget's view: it renders the graph Python holds and proposes
// edits to it as messages; Python checks and applies them (pktlab/notebook/widget.py).
// Its parts: the model (traits.ts), the parameter form (form.ts), the palette
// (palette.ts), the toolbar (toolbar.ts), live numbers (live.ts), pointer
// gestures (gestures.ts), zoom and fit (viewport.ts), the edge panel (edgepanel.ts).
import type { AnyModel } from '@anywidget/types';
import { DisplayGraph, displayGraph } from '../common/display';
import { Box, freePlace, layout, separate } from '../common/layout';
import { Drawn, drawGraph, moveNode } from '../common/render';
import { ElementJSON, GraphJSON } from '../common/types';
import { ParamForm } from './form';
import { Canvas, dragConnection, dragNode, svgPoint } from './gestures';
import { paintLive } from './live';
import { Palette } from './palette';
import { CellBar } from './cellbar';
import { Toolbar } from './toolbar';
import { Traits } from './traits';
import { showEdgePanel } from './edgepanel';
import { Viewport } from './viewport';

type Selection = { kind: 'node'; id: string } | { kind: 'edge'; id: string } | null;

export class GraphEditorView {
  private root: HTMLDivElement;
  private canvas: HTMLDivElement;
  private side: HTMLDivElement;
  private edgePanel: HTMLDivElement;
  private statusLine: HTMLDivElement;
  private retiredLine: HTMLDivElement;
  private cellBar: CellBar;
  private toolbar: Toolbar;
  private view: Viewport;
  private palette: Palette;
  private form: ParamForm;
  private selection: Selection = null;
  private collapsed = new Set<string>();
  private dg: DisplayGraph = { nodes: [], edges: [], groups: [] };
  private boxes = new Map<string, Box>();
  private drawn: Drawn | null = null;
  private layoutSeq = 0;
  private changedTimer = 0;
  private disposers: (() => void)[] = [];
  private canvasView: Canvas = { drawn: () => this.drawn, dg: () => this.dg, boxes: () => this.boxes };

  constructor(
    private model: AnyModel<Traits>,
    el: HTMLElement
  ) {
    this.root = document.createElement('div');
    this.root.className = 'pktlab-widget pktlab-graph';
    this.root.tabIndex = 0;
    this.toolbar = new Toolbar({
      undo: () => this.send({ op: 'undo' }),
      redo: () => this.send({ op: 'redo' }),
      delete: () => this.deleteSelection(),
      apply: () => this.send({ op: 'apply' }),
      toggleGroup: (grp, folded) => {
        if (folded) this.collapsed.delete(grp);
        else this.collapsed.add(grp);
        void this.relayout();
      },
      zoom: f => this.view.set(f)
    });
    this.statusLine = document.createElement('div');
    this.statusLine.className = 'pl-status';
    this.retiredLine = document.createElement('div');
    this.retiredLine.className = 'pl-retired';
    this.retiredLine.hidden = true;
    this.cellBar = new CellBar({ send: m => this.send(m) });

    const body = document.createElement('div');
    body.className = 'pl-body';
    this.palette = new Palette({
      select: () => this.updateEdgePanel(),
      add: cls => this.send({ op: 'add', cls, at: this.freeSpot() })
    });
    this.canvas = document.createElement('div');
    this.canvas.className = 'pl-canvas';
    this.side = document.createElement('div');
    this.side.className = 'pl-side';
    this.form = new ParamForm({
      set: (name, values) => this.send({ op: 'set_params', name, values }),
      remove: name => this.send({ op: 'remove', name })
    });
    this.edgePanel = document.createElement('div');
    this.edgePanel.className = 'pl-edge-panel';
    this.side.append(this.form.node, this.edgePanel);
    body.append(this.palette.node, this.canvas, this.side);
    this.root.append(this.retiredLine, this.toolbar.node, body, this.cellBar.node, this.statusLine);
    el.appendChild(this.root);
    this.view = new Viewport(this.canvas, body, this.root, this.toolbar, () => ({ drawn: this.drawn, boxes: this.boxes }));

    this.canvas.addEventListener('dragover', ev => ev.preventDefault());
    this.canvas.addEventListener('drop', ev => this.onDrop(ev));
    this.canvas.addEventListener('pointerdown', ev => this.onPointerDown(ev));
    this.root.addEventListener('keydown', ev => {
      if ((ev.key === 'Delete' || ev.key === 'Backspace') && ev.target === this.root) this.deleteSelection();
      if ((ev.ctrlKey || ev.metaKey) && ev.key === 'z') this.send({ op: ev.shiftKey ? 'redo' : 'undo' });
    });

    const on = (names: string[], fn: () => void) => {
      for (const n of names) {
        this.model.on(`change:${n}`, fn);
        this.disposers.push(() => this.model.off(`change:${n}` as never, fn));
      }
    };
    on(['elements', 'connections', 'ports', 'pull'], () => void this.relayout());
    on(['positions'], () => this.applyPositions());
    on(['parameters', 'classes'], () => this.refreshForm());
    on(['classes'], () => this.palette.setClasses(this.model.get('classes') ?? {}));
    on(['errors'], () => this.showErrors());
    on(['live'], () => this.applyLive());
    on(['status'], () => this.showStatus());
    on(['pending', 'engine_state', 'can_undo', 'can_redo'], () => this.updateButtons());
    on(['cell'], () => this.cellBar.sync(this.model.get('cell') ?? {}, this.root));
    on(['cell_state'], () => this.cellBar.show(this.model.get('cell_state') ?? ''));
    on(['retired'], () => this.showRetired());
    this.palette.setClasses(this.model.get('classes') ?? {});
    this.updateButtons();
    this.showStatus();
    this.showRetired();
    this.cellBar.show(this.model.get('cell_state') ?? '');
    void this.relayout();
  }

  dispose(): void {
    for (const d of this.disposers) d();
    this.view.dispose();
    window.clearTimeout(this.changedTimer);
    this.root.remove();
  }

  private showRetired(): void {
    const why = this.model.get('retired') ?? '';
    this.retiredLine.hidden = !why;
    this.retiredLine.textContent = why;
    this.root.classList.toggle('pl-is-retired', !!why);
    if (why) this.toolbar.disable();
  }

  private send(msg: Record<string, unknown>): void {
    // a retired widget (its cell ran again) only reports on its cell
    if (this.model.get('retired') && !String(msg.op).startsWith('cell_')) return;
    this.model.send(msg);
  }

  // ---- drawing ------------------------------------------------------------

  private graph(): GraphJSON {
    return {
      elements: this.model.get('elements') ?? [],
      connections: this.model.get('connections') ?? [],
      ports: this.model.get('ports') ?? {},
      positions: this.model.get('positions') ?? {},
      pull: this.model.get('pull') ?? []
    };
  }

  private withSpares(dg: DisplayGraph): DisplayGraph {
    const classes = this.model.get('classes') ?? {};
    for (const n of dg.nodes) {
      const c = classes[n.cls];
      if (!c || n.members || c.same) continue;
      if (c.inputs[1] === null || c.inputs[1] > n.nin) {
        n.nin += 1;
        n.spareIn = true;
      }
      if (c.outputs[1] === null || c.outputs[1] > n.nout) {
        n.nout += 1;
        n.spareOut = true;
      }
    }
    return dg;
  }

  private async relayout(): Promise<void> {
    const seq = ++this.layoutSeq;
    const g = this.graph();
    const dg = this.withSpares(displayGraph(g, this.collapsed));
    const boxes = await layout(dg);
    if (seq !== this.layoutSeq) return;
    this.dg = dg;
    this.boxes = boxes;
    this.overridePositions();
    this.draw();
  }

  /** Positions the user gave win; laid-out boxes then move out of their way. */
  private overridePositions(): void {
    const pinned = new Set<string>();
    for (const [name, p] of Object.entries(this.model.get('positions') ?? {})) {
      const b = this.boxes.get(name);
      if (b) {
        b.x = p[0];
        b.y = p[1];
        pinned.add(name);
      }
    }
    separate(this.boxes, pinned);
  }

  private applyPositions(): void {
    this.announce();
    this.overridePositions();
    if (this.drawn) for (const id of this.boxes.keys()) moveNode(this.drawn, this.dg, this.boxes, id);
    this.fitSvg();
  }

  /** Tell the page (the JupyterLab extension) the graph changed, so that a
   * saved notebook keeps the edited graph in its output. */
  private announce(): void {
    const g = this.graph();
    const detail: GraphJSON = { version: 1, ...g, requirements: [] };
    this.root.dispatchEvent(new CustomEvent('pktlab-graph', { bubbles: true, detail }));
  }

  private draw(): void {
    this.announce();
    this.drawn = drawGraph(this.dg, this.boxes);
    this.canvas.replaceChildren(this.drawn.svg);
    this.root.dataset.elements = String(this.model.get('elements')?.length ?? 0);
    this.root.dataset.connections = String(this.model.get('connections')?.length ?? 0);
    this.fitSvg();
    this.toolbar.showGroups(this.dg.groups, this.collapsed);
    if (this.selection?.kind === 'node' && !this.drawn.nodes.has(this.selection.id)) this.select(null);
    else if (this.selection?.kind === 'edge' && !this.drawn.edges.has(this.selection.id)) this.select(null);
    else this.select(this.selection);
    this.applyLive();
    this.showChanged();
  }

  private fitSvg(): void {
    this.view.apply();
  }

  private freeSpot(): [number, number] {
    let maxY = 0;
    let minX = 1e9;
    for (const b of this.boxes.values()) {
      maxY = Math.max(maxY, b.y + b.h);
      minX = Math.min(minX, b.x);
    }
    return freePlace(this.boxes.values(), minX === 1e9 ? 12 : minX, maxY + 24);
  }

  // ---- live numbers -------------------------------------------------------

  private applyLive(): void {
    if (this.drawn) paintLive(this.drawn, this.model.get('live') ?? {});
  }

  // ---- selection and panels ----------------------------------------------

  private select(sel: Selection): void {
    this.selection = sel;
    if (this.drawn) {
      for (const [id, g] of this.drawn.nodes) g.classList.toggle('pl-selected', sel?.kind === 'node' && sel.id === id);
      for (const [id, de] of this.drawn.edges)
        de.group.classList.toggle('pl-selected', sel?.kind === 'edge' && sel.id === id);
    }
    this.refreshForm();
    this.updateEdgePanel();
    this.updateButtons();
  }

  private selectedElement(): ElementJSON | undefined {
    const sel = this.selection;
    if (sel?.kind !== 'node') return undefined;
    return (this.model.get('elements') ?? []).find(e => e.name === sel.id);
  }

  private refreshForm(): void {
    const el = this.selectedElement();
    if (!el) {
      this.form.clear();
      return;
    }
    const classes = this.model.get('classes') ?? {};
    this.form.show(el.name, classes[el.class], el.class, (this.model.get('parameters') ?? {})[el.name] ?? {});
    this.showErrors();
  }

  private showErrors(): void {
    const name = this.form.element;
    const errors = this.model.get('errors') ?? {};
    if (name) this.form.showErrors(errors[name] ?? {});
  }

  private updateEdgePanel(): void {
    const sel = this.selection;
    const de = sel?.kind === 'edge' ? this.drawn?.edges.get(sel.id) : undefined;
    showEdgePanel(this.edgePanel, de, this.palette.selected, Boolean(sel), {
      send: m => this.send(m),
      deleteSelection: () => this.deleteSelection()
    });
  }

  private deleteSelection(): void {
    const sel = this.selection;
    if (sel?.kind === 'node') {
      const node = this.dg.nodes.find(n => n.id === sel.id);
      for (const name of node?.members ?? [sel.id]) this.send({ op: 'remove', name });
    } else if (sel?.kind === 'edge') {
      const de = this.drawn?.edges.get(sel.id);
      for (const c of de?.edge.conns ?? []) this.send({ op: 'disconnect', edge: c });
    }
  }

  private updateButtons(): void {
    const engine = this.model.get('engine_state') ?? 'none';
    this.toolbar.update({
      canUndo: Boolean(this.model.get('can_undo')),
      canRedo: Boolean(this.model.get('can_redo')),
      selected: Boolean(this.selection),
      engine,
      pending: this.model.get('pending') ?? {}
    });
    this.root.dataset.engine = engine;
  }

  private showStatus(): void {
    const st = this.model.get('status') ?? {};
    this.statusLine.textContent = st.text ?? '';
    this.statusLine.className = `pl-status pl-status-${st.kind ?? 'info'}`;
    this.showChanged();
  }

  private showChanged(): void {
    const st = this.model.get('status') ?? {};
    if (!this.drawn || !st.changed?.length) return;
    for (const name of st.changed) this.drawn.nodes.get(name)?.classList.add('pl-changed');
    window.clearTimeout(this.changedTimer);
    this.changedTimer = window.setTimeout(() => {
      for (const g of this.drawn?.nodes.values() ?? []) g.classList.remove('pl-changed');
    }, 4000);
  }

  // ---- pointer interaction -------------------------------------------------

  private onDrop(ev: DragEvent): void {
    ev.preventDefault();
    const cls = ev.dataTransfer?.getData('application/x-pktlab-class');
    if (cls) this.send({ op: 'add', cls, at: svgPoint(this.drawn, ev) });
  }

  private onPointerDown(ev: PointerEvent): void {
    const target = ev.target as Element;
    const nodeG = target.closest<SVGGElement>('g.pl-node');
    const edgeG = target.closest<SVGGElement>('g.pl-edge');
    this.root.focus({ preventScroll: true });
    if (nodeG && target.classList.contains('pl-out')) {
      this.startConnect(ev, nodeG.dataset.name!, Number(target.getAttribute('data-port')));
    } else if (nodeG) {
      this.select({ kind: 'node', id: nodeG.dataset.name! });
      this.startMove(ev, nodeG.dataset.name!);
    } else if (edgeG) {
      this.select({ kind: 'edge', id: edgeG.dataset.edge! });
    } else {
      this.select(null);
    }
  }

  private startMove(ev: PointerEvent, id: string): void {
    dragNode(this.canvasView, ev, id, box => {
      this.fitSvg();
      const node = this.dg.nodes.find(n => n.id === id);
      if (node?.members) return; // a collapsed compound moves only on screen
      const positions = { ...(this.model.get('positions') ?? {}) };
      positions[id] = [Math.round(box.x), Math.round(box.y)];
      this.model.set('positions', positions);
      this.model.save_changes();
    });
  }

  private startConnect(ev: PointerEvent, src: string, sport: number): void {
    dragConnection(this.canvasView, ev, src, sport, (dst, dport) => this.send({ op: 'connect', src, sport, dst, dport }));
  }
}
