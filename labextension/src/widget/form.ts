// The parameter form of one element, generated from its class's parameter table.
import { ClassInfo, ParamInfo } from '../common/types';

export interface FormEvents {
  set(name: string, values: Record<string, string>): void;
  remove(name: string): void;
}

function rangeHint(p: ParamInfo): string {
  if (p.min === null || p.max === null) return '';
  const fmt = (x: number) => (Math.abs(x) >= 1e15 ? x.toExponential(1) : String(x));
  return `${fmt(p.min)}..${fmt(p.max)}`;
}

function inputFor(p: ParamInfo, value: string): HTMLInputElement | HTMLSelectElement {
  if (p.type === 'bool') {
    const sel = document.createElement('select');
    for (const [v, label] of [['', `default (${p.default ?? 'required'})`], ['true', 'true'], ['false', 'false']]) {
      const o = document.createElement('option');
      o.value = v;
      o.textContent = label;
      sel.appendChild(o);
    }
    if (value && !['true', 'false'].includes(value)) {
      const o = document.createElement('option');
      o.value = value;
      o.textContent = value;
      sel.appendChild(o);
    }
    sel.value = value;
    return sel;
  }
  const input = document.createElement('input');
  input.type = 'text';
  input.value = value;
  input.spellcheck = false;
  if (['int', 'uint', 'real'].includes(p.type)) input.inputMode = 'decimal';
  const range = rangeHint(p);
  input.placeholder = p.default === null ? 'required' : p.default === '' ? '' : `default ${p.default}`;
  if (range) input.placeholder += ` (${range})`;
  return input;
}

export class ParamForm {
  readonly node: HTMLDivElement;
  private name: string | null = null;
  private inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  private errorDivs = new Map<string, HTMLDivElement>();

  constructor(private events: FormEvents) {
    this.node = document.createElement('div');
    this.node.className = 'pl-form';
  }

  get element(): string | null {
    return this.name;
  }

  clear(): void {
    this.name = null;
    this.inputs.clear();
    this.errorDivs.clear();
    this.node.replaceChildren();
  }

  /** Show the form for element `name` with its current parameter texts. */
  show(name: string, cls: ClassInfo | undefined, clsName: string, values: Record<string, string>): void {
    this.clear();
    this.name = name;
    const head = document.createElement('div');
    head.className = 'pl-form-head';
    head.textContent = `${name} :: ${clsName}`;
    this.node.appendChild(head);
    if (cls) {
      const syn = document.createElement('div');
      syn.className = 'pl-form-synopsis';
      syn.textContent = cls.summary;
      this.node.appendChild(syn);
    }
    const general = document.createElement('div');
    general.className = 'pl-field-error';
    general.dataset.param = '';
    this.errorDivs.set('', general);
    const params = cls?.params ?? [];
    if (!params.length) {
      const none = document.createElement('div');
      none.className = 'pl-form-note';
      none.textContent = cls ? `${clsName} takes no parameters.` : `unknown class ${clsName}`;
      this.node.appendChild(none);
    }
    for (const p of params) {
      const row = document.createElement('label');
      row.className = 'pl-field';
      const label = document.createElement('span');
      label.className = 'pl-field-name';
      label.textContent = p.name;
      const type = document.createElement('span');
      type.className = 'pl-field-type';
      type.textContent = p.type + (p.live ? ' · live' : '');
      const input = inputFor(p, values[p.name] ?? '');
      input.dataset.param = p.name;
      input.title = p.doc;
      input.addEventListener('keydown', ev => {
        if ((ev as KeyboardEvent).key === 'Enter') this.submit();
        ev.stopPropagation();
      });
      const doc = document.createElement('span');
      doc.className = 'pl-field-doc';
      doc.textContent = p.doc;
      const err = document.createElement('div');
      err.className = 'pl-field-error';
      err.dataset.param = p.name;
      row.append(label, type, input, doc, err);
      this.node.appendChild(row);
      this.inputs.set(p.name, input);
      this.errorDivs.set(p.name, err);
    }
    if (values['']) {
      const rest = document.createElement('div');
      rest.className = 'pl-form-note';
      rest.textContent = `other arguments: ${values['']}`;
      this.node.appendChild(rest);
    }
    this.node.appendChild(general);
    const buttons = document.createElement('div');
    buttons.className = 'pl-form-buttons';
    if (params.length) {
      const set = document.createElement('button');
      set.textContent = 'Set parameters';
      set.dataset.action = 'set';
      set.onclick = () => this.submit();
      buttons.appendChild(set);
    }
    const del = document.createElement('button');
    del.textContent = 'Delete element';
    del.dataset.action = 'delete-element';
    del.onclick = () => this.events.remove(name);
    buttons.appendChild(del);
    this.node.appendChild(buttons);
  }

  /** Inline errors: keyword ('' = whole configuration) -> message. */
  showErrors(errors: Record<string, string>): void {
    for (const [kw, div] of this.errorDivs) {
      div.textContent = errors[kw] ?? '';
      this.inputs.get(kw)?.classList.toggle('pl-invalid', Boolean(errors[kw]));
    }
    for (const [kw, msg] of Object.entries(errors)) {
      if (!this.errorDivs.has(kw)) this.errorDivs.get('')!.textContent += `${kw}: ${msg} `;
    }
  }

  private submit(): void {
    if (!this.name) return;
    const values: Record<string, string> = {};
    for (const [kw, input] of this.inputs) values[kw] = input.value;
    this.events.set(this.name, values);
  }
}
