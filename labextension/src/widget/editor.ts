// The graph widget's view: it renders the graph Python holds and proposes
// edits to it as messages; Python checks and applies them (pktlab/widget.py).
import type { AnyModel } from '@anywidget/types';
import { DisplayGraph, DNode, displayGraph } from '../common/display';
import { Box, layout } from '../common/layout';
import { Drawn, drawGraph, edgePath, moveNode, portPoint, svgEl } from '../common/render';
import { ClassInfo, ConnJSON, ElementJSON, formatRate, GraphJSON, LiveData } from '../common/types';
import { ParamForm } from './form';
import { Palette } from './palette';

interface Status {
  kind?: string;
  text?: string;
  changed?: string[];
  seq?: number;
}

interface Traits {
  elements: ElementJSON[];
  connections: ConnJSON[];
  ports: Record<string, [number, number]>;
  positions: Record<string, [number, number]>;
  parameters: Record<string, Record<string, string>>;
  classes: Record<string, ClassInfo>;
  errors: Record<string, Record<string, string>>;
  live: LiveData;
  pending: { count?: number; summary?: string };
  status: Status;
  engine_state: string;
  can_undo: boolean;
  can_redo: boolean;
}

type Selection = { kind: 'node'; id: string } | { kind: 'edge'; id: string } | null;

function button(label: string, action: string, title: string, onclick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.textContent = label;
  b.dataset.action = action;
  b.title = title;
  b.onclick = onclick;
  return b;
}

export class GraphEditorView {
  private root: HTMLDivElement;
  private canvas: HTMLDivElement;
  private side: HTMLDivElement;
  private edgePanel: HTMLDivElement;
  private statusLine: HTMLDivElement;
  private chips: HTMLSpanElement;
  private buttons: Record<string, HTMLButtonElement> = {};
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

  constructor(
    private model: AnyModel<Traits>,
    el: HTMLElement
  ) {
    this.root = document.createElement('div');
    this.root.className = 'pktlab-widget pktlab-graph';
    this.root.tabIndex = 0;
    const toolbar = document.createElement('div');
    toolbar.className = 'pl-toolbar';
    this.buttons.undo = button('↶ Undo', 'undo', 'Undo the last edit', () => this.send({ op: 'undo' }));
    this.buttons.redo = button('↷ Redo', 'redo', 'Redo', () => this.send({ op: 'redo' }));
    this.buttons.delete = button('✕ Delete', 'delete', 'Delete the selected element or edge (Del)', () =>
      this.deleteSelection()
    );
    this.buttons.apply = button('Apply', 'apply', 'Send the edited graph to the running engine', () =>
      this.send({ op: 'apply' })
    );
    this.buttons.apply.classList.add('pl-apply');
    this.chips = document.createElement('span');
    this.chips.className = 'pl-chips';
    this.statusLine = document.createElement('div');
    this.statusLine.className = 'pl-status';
    const spacer = document.createElement('span');
    spacer.className = 'pl-spacer';
    toolbar.append(this.buttons.undo, this.buttons.redo, this.buttons.delete, this.chips, spacer, this.buttons.apply);

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
    this.root.append(toolbar, body, this.statusLine);
    el.appendChild(this.root);

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
    on(['elements', 'connections', 'ports'], () => void this.relayout());
    on(['positions'], () => this.applyPositions());
    on(['parameters', 'classes'], () => this.refreshForm());
    on(['classes'], () => this.palette.setClasses(this.model.get('classes') ?? {}));
    on(['errors'], () => this.showErrors());
    on(['live'], () => this.applyLive());
    on(['status'], () => this.showStatus());
    on(['pending', 'engine_state', 'can_undo', 'can_redo'], () => this.updateButtons());
    this.palette.setClasses(this.model.get('classes') ?? {});
    this.updateButtons();
    this.showStatus();
    void this.relayout();
  }

  dispose(): void {
    for (const d of this.disposers) d();
    window.clearTimeout(this.changedTimer);
    this.root.remove();
  }

  private send(msg: Record<string, unknown>): void {
    this.model.send(msg);
  }

  // ---- drawing ------------------------------------------------------------

  private graph(): GraphJSON {
    return {
      elements: this.model.get('elements') ?? [],
      connections: this.model.get('connections') ?? [],
      ports: this.model.get('ports') ?? {},
      positions: this.model.get('positions') ?? {}
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

  private overridePositions(): void {
    for (const [name, p] of Object.entries(this.model.get('positions') ?? {})) {
      const b = this.boxes.get(name);
      if (b) {
        b.x = p[0];
        b.y = p[1];
      }
    }
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
    this.chips.replaceChildren();
    for (const grp of this.dg.groups) {
      const folded = this.collapsed.has(grp);
      const chip = button(`${folded ? '▸' : '▾'} ${grp}`, 'toggle-group', folded ? 'Expand' : 'Collapse', () => {
        if (folded) this.collapsed.delete(grp);
        else this.collapsed.add(grp);
        void this.relayout();
      });
      chip.classList.add('pl-chip');
      this.chips.appendChild(chip);
    }
    if (this.selection?.kind === 'node' && !this.drawn.nodes.has(this.selection.id)) this.select(null);
    else if (this.selection?.kind === 'edge' && !this.drawn.edges.has(this.selection.id)) this.select(null);
    else this.select(this.selection);
    this.applyLive();
    this.showChanged();
  }

  private fitSvg(): void {
    if (!this.drawn) return;
    let w = 200;
    let h = 80;
    for (const b of this.boxes.values()) {
      w = Math.max(w, b.x + b.w + 40);
      h = Math.max(h, b.y + b.h + 40);
    }
    this.drawn.svg.setAttribute('width', String(w));
    this.drawn.svg.setAttribute('height', String(h));
  }

  private freeSpot(): [number, number] {
    let maxY = 0;
    let minX = 1e9;
    for (const b of this.boxes.values()) {
      maxY = Math.max(maxY, b.y + b.h);
      minX = Math.min(minX, b.x);
    }
    return [minX === 1e9 ? 12 : minX, maxY + 24];
  }

  // ---- live numbers -------------------------------------------------------

  private applyLive(): void {
    if (!this.drawn) return;
    const live = this.model.get('live') ?? {};
    const edges = live.edges ?? {};
    for (const de of this.drawn.edges.values()) {
      let rate = 0;
      let known = false;
      for (const c of de.edge.conns) {
        const r = edges[`${c[0]}:${c[1]}`];
        if (r !== undefined) {
          rate += r;
          known = true;
        }
      }
      de.label.textContent = known ? formatRate(rate) : '';
      de.group.classList.toggle('pl-busy', known && rate > 0);
    }
    const els = live.elements ?? {};
    for (const [id, g] of this.drawn.nodes) {
      const e = els[id];
      const box = g.querySelector<SVGRectElement>('.pl-box');
      if (!box) continue;
      if (!e) {
        box.style.fill = '';
        g.classList.remove('pl-dropping');
        continue;
      }
      const hue = 120 - 120 * Math.min(1, Math.max(0, e.load));
      box.style.fill = `hsl(${hue}, 70%, 90%)`;
      g.classList.toggle('pl-dropping', e.dropping);
      let badge = g.querySelector<SVGTextElement>('.pl-badge');
      if (!badge) badge = svgEl('text', { class: 'pl-badge', x: 4, y: -4 }, g);
      const drops = e.drops ? `  drops ${e.drops}` : '';
      badge.textContent = `${formatRate(e.pps)}  batch ${e.batch.toFixed(1)}${drops}`;
    }
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
    this.edgePanel.replaceChildren();
    const sel = this.selection;
    const cls = this.palette.selected;
    if (sel?.kind !== 'edge' || !this.drawn) {
      if (cls && !sel) {
        const hint = document.createElement('div');
        hint.className = 'pl-form-note';
        hint.textContent = `Select an edge to insert ${cls} on it, or double-click ${cls} to add it.`;
        this.edgePanel.appendChild(hint);
      }
      return;
    }
    const de = this.drawn.edges.get(sel.id);
    if (!de) return;
    const head = document.createElement('div');
    head.className = 'pl-form-head';
    head.textContent = de.edge.conns.map(c => `${c[0]} [${c[1]}] -> [${c[3]}] ${c[2]}`).join('\n');
    this.edgePanel.appendChild(head);
    const single = de.edge.conns.length === 1 ? de.edge.conns[0] : null;
    const ins = button(cls ? `Insert ${cls} here` : 'Insert… (pick a class)', 'insert', 'Put the selected palette class on this edge', () => {
      if (single && cls) this.send({ op: 'insert', cls, edge: single, at: this.edgeMid(sel.id) });
    });
    ins.disabled = !cls || !single;
    const del = button('Delete edge', 'delete-edge', 'Disconnect these ports', () => this.deleteSelection());
    this.edgePanel.append(ins, del);
  }

  private edgeMid(id: string): [number, number] | undefined {
    const de = this.drawn?.edges.get(id);
    if (!de) return undefined;
    const a = this.boxes.get(de.edge.src);
    const b = this.boxes.get(de.edge.dst);
    if (!a || !b) return undefined;
    return [(a.x + a.w + b.x) / 2 - 48, (a.y + b.y) / 2 + 30];
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
    const pending = this.model.get('pending') ?? {};
    const engine = this.model.get('engine_state') ?? 'none';
    this.buttons.undo.disabled = !this.model.get('can_undo');
    this.buttons.redo.disabled = !this.model.get('can_redo');
    this.buttons.delete.disabled = !this.selection;
    this.buttons.apply.hidden = engine === 'none';
    this.buttons.apply.disabled = !pending.count;
    this.buttons.apply.textContent = pending.count ? `Apply (${pending.count})` : 'Apply';
    this.buttons.apply.title = pending.summary || 'No changes to apply';
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

  private toSvg(ev: { clientX: number; clientY: number }): [number, number] {
    const root = this.drawn?.root;
    const m = root?.getScreenCTM();
    if (!m) return [0, 0];
    const p = new DOMPoint(ev.clientX, ev.clientY).matrixTransform(m.inverse());
    return [p.x, p.y];
  }

  private onDrop(ev: DragEvent): void {
    ev.preventDefault();
    const cls = ev.dataTransfer?.getData('application/x-pktlab-class');
    if (cls) this.send({ op: 'add', cls, at: this.toSvg(ev) });
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
    const box = this.boxes.get(id);
    if (!box || !this.drawn) return;
    const [sx, sy] = this.toSvg(ev);
    const [bx, by] = [box.x, box.y];
    let moved = false;
    const move = (e: PointerEvent) => {
      const [x, y] = this.toSvg(e);
      if (!moved && Math.hypot(x - sx, y - sy) < 3) return;
      moved = true;
      box.x = Math.max(0, bx + x - sx);
      box.y = Math.max(0, by + y - sy);
      moveNode(this.drawn!, this.dg, this.boxes, id);
    };
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      if (!moved) return;
      this.fitSvg();
      const node = this.dg.nodes.find(n => n.id === id);
      if (node?.members) return; // a collapsed compound moves only on screen
      const positions = { ...(this.model.get('positions') ?? {}) };
      positions[id] = [Math.round(box.x), Math.round(box.y)];
      this.model.set('positions', positions);
      this.model.save_changes();
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  }

  private startConnect(ev: PointerEvent, src: string, sport: number): void {
    const node = this.dg.nodes.find(n => n.id === src) as DNode | undefined;
    const box = this.boxes.get(src);
    if (!node || !box || !this.drawn || node.members) return;
    ev.preventDefault();
    const start = portPoint(box, node, sport, true);
    const temp = svgEl('path', { class: 'pl-edge-temp', d: edgePath(start, start) }, this.drawn.root);
    const move = (e: PointerEvent) => temp.setAttribute('d', edgePath(start, this.toSvg(e)));
    const up = (e: PointerEvent) => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      temp.remove();
      const hit = document.elementFromPoint(e.clientX, e.clientY);
      const dstG = hit?.closest<SVGGElement>('g.pl-node');
      if (hit?.classList.contains('pl-in') && dstG && !dstG.classList.contains('pl-compound')) {
        this.send({ op: 'connect', src, sport, dst: dstG.dataset.name, dport: Number(hit.getAttribute('data-port')) });
      }
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  }
}
