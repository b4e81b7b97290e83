// The palette: every element class the engine offers, searchable, with its manual.
import { ClassInfo } from '../common/types';

export interface PaletteEvents {
  select(cls: string | null): void;
  add(cls: string): void;
}

export class Palette {
  readonly node: HTMLDivElement;
  private search: HTMLInputElement;
  private list: HTMLUListElement;
  private doc: HTMLPreElement;
  private classes: Record<string, ClassInfo> = {};
  selected: string | null = null;

  constructor(private events: PaletteEvents) {
    this.node = document.createElement('div');
    this.node.className = 'pl-palette';
    this.search = document.createElement('input');
    this.search.className = 'pl-search';
    this.search.placeholder = 'Search elements…';
    this.search.type = 'search';
    this.search.oninput = () => this.filter();
    this.list = document.createElement('ul');
    this.list.className = 'pl-classes';
    this.doc = document.createElement('pre');
    this.doc.className = 'pl-doc';
    this.doc.textContent = 'Pick a class to read its manual; double-click or drag it onto the graph to add it.';
    this.node.append(this.search, this.list, this.doc);
  }

  setClasses(classes: Record<string, ClassInfo>): void {
    this.classes = classes;
    this.list.replaceChildren();
    for (const c of Object.values(classes)) {
      const li = document.createElement('li');
      li.className = 'pl-class';
      li.dataset.class = c.name;
      li.draggable = true;
      li.title = c.synopsis;
      const name = document.createElement('span');
      name.className = 'pl-class-name';
      name.textContent = c.name;
      const summary = document.createElement('span');
      summary.className = 'pl-class-summary';
      summary.textContent = c.summary;
      li.append(name, summary);
      li.onclick = () => this.select(this.selected === c.name ? null : c.name);
      li.ondblclick = () => this.events.add(c.name);
      li.ondragstart = ev => {
        ev.dataTransfer?.setData('application/x-pktlab-class', c.name);
        ev.dataTransfer?.setData('text/plain', c.name);
      };
      this.list.appendChild(li);
    }
    this.filter();
  }

  select(cls: string | null): void {
    this.selected = cls && this.classes[cls] ? cls : null;
    for (const li of this.list.querySelectorAll<HTMLLIElement>('.pl-class')) {
      li.classList.toggle('pl-selected', li.dataset.class === this.selected);
    }
    this.doc.textContent = this.selected ? this.classes[this.selected].manual : '';
    this.events.select(this.selected);
  }

  private filter(): void {
    const q = this.search.value.trim().toLowerCase();
    for (const li of this.list.querySelectorAll<HTMLLIElement>('.pl-class')) {
      const c = this.classes[li.dataset.class ?? ''];
      const hay = `${c.name} ${c.summary}`.toLowerCase();
      li.hidden = q !== '' && !hay.includes(q);
    }
  }
}
