// The JSON shapes Python sends (pktlab/notebook/graphview.py and pktlab/notebook/widget.py).

export const GRAPH_MIME = 'application/vnd.pktlab.graph+json';

export interface ElementJSON {
  name: string;
  class: string;
  config: string;
}

/** [src, sport, dst, dport] */
export type ConnJSON = [string, number, string, number];

export interface GraphJSON {
  version?: number;
  elements: ElementJSON[];
  connections: ConnJSON[];
  /** element -> [inputs, outputs] to draw */
  ports: Record<string, [number, number]>;
  positions?: Record<string, [number, number]>;
  requirements?: string[];
  /** "src:sport" of every pull edge (the rest are push) */
  pull?: string[];
}

export interface ParamInfo {
  name: string;
  type: string;
  default: string | null;
  min: number | null;
  max: number | null;
  doc: string;
  positional: boolean;
  live: boolean;
}

export interface ClassInfo {
  name: string;
  ports: string;
  /** [min, max]; max null = unbounded */
  inputs: [number, number | null];
  outputs: [number, number | null];
  same: boolean;
  processing: string;
  synopsis: string;
  summary: string;
  manual: string;
  params: ParamInfo[];
  handlers: string[];
  drops: string[];
}

export interface LiveElement {
  /** packets per second arriving */
  pps: number;
  /** mean batch size over the last interval */
  batch: number;
  /** 0..1 */
  load: number;
  /** total drops counted by this element */
  drops: number;
  /** drops grew in the last interval */
  dropping: boolean;
  /** workers that can push into it (engines with several threads) */
  threads?: number[];
  /** a device output whose threads share a TX queue under a lock */
  locked?: boolean;
}

export interface LiveData {
  /** "src:sport" -> packets per second */
  edges?: Record<string, number>;
  elements?: Record<string, LiveElement>;
}

export function connKey(c: ConnJSON): string {
  return `${c[0]}:${c[1]}:${c[2]}:${c[3]}`;
}

export function formatRate(pps: number): string {
  if (pps >= 1e9) return `${(pps / 1e9).toFixed(2)} Gpps`;
  if (pps >= 1e6) return `${(pps / 1e6).toFixed(2)} Mpps`;
  if (pps >= 1e3) return `${(pps / 1e3).toFixed(1)} kpps`;
  return `${Math.round(pps)} pps`;
}
