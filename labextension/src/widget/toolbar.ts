// The editor's toolbar: undo, redo, delete and apply, and a chip per group of
// the graph (a compound element) that folds or unfolds it.

export function button(label: string, action: string, title: string, onclick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.textContent = label;
  b.dataset.action = action;
  b.title = title;
  b.onclick = onclick;
  return b;
}

export interface ToolbarEvents {
  undo(): void;
  redo(): void;
  delete(): void;
  apply(): void;
  toggleGroup(group: string, folded: boolean): void;
  zoom(factor: number | 'fit'): void;
}

export interface ToolbarState {
  canUndo: boolean;
  canRedo: boolean;
  selected: boolean;
  engine: string;
  pending: { count?: number; summary?: string };
}

export class Toolbar {
  readonly node: HTMLDivElement;
  private buttons: Record<string, HTMLButtonElement> = {};
  private chips: HTMLSpanElement;
  private zoomLabel: HTMLSpanElement;

  constructor(private events: ToolbarEvents) {
    this.node = document.createElement('div');
    this.node.className = 'pl-toolbar';
    this.buttons.undo = button('↶ Undo', 'undo', 'Undo the last edit', () => events.undo());
    this.buttons.redo = button('↷ Redo', 'redo', 'Redo', () => events.redo());
    this.buttons.delete = button('✕ Delete', 'delete', 'Delete the selected element or edge (Del)', () =>
      events.delete()
    );
    this.buttons.apply = button('Apply', 'apply', 'Send the edited graph to the running engine', () =>
      events.apply()
    );
    this.buttons.apply.classList.add('pl-apply');
    this.chips = document.createElement('span');
    this.chips.className = 'pl-chips';
    const spacer = document.createElement('span');
    spacer.className = 'pl-spacer';
    const zoom = document.createElement('span');
    zoom.className = 'pl-zoom';
    this.buttons.zoomOut = button('−', 'zoom-out', 'Zoom out (Ctrl+wheel)', () => events.zoom(1 / 1.25));
    this.buttons.zoomIn = button('+', 'zoom-in', 'Zoom in (Ctrl+wheel)', () => events.zoom(1.25));
    this.buttons.fit = button('Fit', 'fit', 'Fit the whole graph in view', () => events.zoom('fit'));
    this.zoomLabel = document.createElement('span');
    this.zoomLabel.className = 'pl-zoom-level';
    zoom.append(this.buttons.zoomOut, this.zoomLabel, this.buttons.zoomIn, this.buttons.fit);
    this.node.append(this.buttons.undo, this.buttons.redo, this.buttons.delete, this.chips, spacer, zoom, this.buttons.apply);
  }

  /** One chip per group: ▸ folded (click: expand), ▾ expanded (click: collapse). */
  showGroups(groups: string[], collapsed: Set<string>): void {
    this.chips.replaceChildren();
    for (const grp of groups) {
      const folded = collapsed.has(grp);
      const chip = button(`${folded ? '▸' : '▾'} ${grp}`, 'toggle-group', folded ? 'Expand' : 'Collapse', () =>
        this.events.toggleGroup(grp, folded)
      );
      chip.classList.add('pl-chip');
      this.chips.appendChild(chip);
    }
  }

  showZoom(zoom: number, fit: boolean): void {
    this.zoomLabel.textContent = `${Math.round(zoom * 100)}%`;
    this.buttons.fit.classList.toggle('pl-on', fit);
  }

  /** A retired widget (its cell ran again) takes no edits. */
  disable(): void {
    for (const [k, b] of Object.entries(this.buttons)) if (!['zoomIn', 'zoomOut', 'fit'].includes(k)) b.disabled = true;
  }

  update(s: ToolbarState): void {
    this.buttons.undo.disabled = !s.canUndo;
    this.buttons.redo.disabled = !s.canRedo;
    this.buttons.delete.disabled = !s.selected;
    this.buttons.apply.hidden = s.engine === 'none';
    this.buttons.apply.disabled = !s.pending.count;
    this.buttons.apply.textContent = s.pending.count ? `Apply (${s.pending.count})` : 'Apply';
    this.buttons.apply.title = s.pending.summary || 'No changes to apply';
  }
}
