// The graph as drawn: elements, or whole compounds collapsed into one box.
import { ConnJSON, GraphJSON } from './types';

export interface DNode {
  id: string;
  label: string;
  cls: string;
  nin: number;
  nout: number;
  /** set for a collapsed compound: the element names it stands for */
  members?: string[];
  /** the last input / output port is free to connect (drawn hollow) */
  spareIn?: boolean;
  spareOut?: boolean;
}

export interface DEdge {
  id: string;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  /** the graph connections this edge draws (several when collapsed) */
  conns: ConnJSON[];
  /** a pull edge: its downstream end pulls packets (drawn dashed) */
  pull: boolean;
}

export interface DisplayGraph {
  nodes: DNode[];
  edges: DEdge[];
  /** compound prefixes present in the graph ("a" for "a/x", "a/y") */
  groups: string[];
}

/** The top-level compound an element came from, or null. */
export function groupOf(name: string): string | null {
  const i = name.indexOf('/');
  return i > 0 ? name.slice(0, i) : null;
}

export function displayGraph(g: GraphJSON, collapsed: ReadonlySet<string>): DisplayGraph {
  const groups = new Set<string>();
  const nodeOf = new Map<string, string>();
  const nodes: DNode[] = [];
  const members = new Map<string, string[]>();
  for (const e of g.elements) {
    const grp = groupOf(e.name);
    if (grp) groups.add(grp);
    if (grp && collapsed.has(grp)) {
      nodeOf.set(e.name, grp);
      if (!members.has(grp)) {
        members.set(grp, []);
        nodes.push({ id: grp, label: grp, cls: 'compound', nin: 0, nout: 0, members: members.get(grp) });
      }
      members.get(grp)!.push(e.name);
    } else {
      nodeOf.set(e.name, e.name);
      const [nin, nout] = g.ports[e.name] ?? [1, 1];
      nodes.push({ id: e.name, label: e.name, cls: e.class, nin, nout });
    }
  }
  // Collapsed compounds get one port per distinct outside endpoint.
  const inPorts = new Map<string, Map<string, number>>();
  const outPorts = new Map<string, Map<string, number>>();
  const portFor = (table: Map<string, Map<string, number>>, node: string, key: string) => {
    let m = table.get(node);
    if (!m) table.set(node, (m = new Map()));
    if (!m.has(key)) m.set(key, m.size);
    return m.get(key)!;
  };
  const edges = new Map<string, DEdge>();
  const pulls = new Set(g.pull ?? []);
  for (const c of g.connections) {
    const [s, sp, d, dp] = c;
    const sn = nodeOf.get(s) ?? s;
    const dn = nodeOf.get(d) ?? d;
    if (sn === dn && members.has(sn)) continue; // inside a collapsed compound
    const sport = members.has(sn) ? portFor(outPorts, sn, `${s}:${sp}`) : sp;
    const dport = members.has(dn) ? portFor(inPorts, dn, `${d}:${dp}`) : dp;
    const id = `${sn}:${sport}:${dn}:${dport}`;
    const edge = edges.get(id);
    const pull = pulls.has(`${s}:${sp}`);
    if (edge) {
      edge.conns.push(c);
      edge.pull = edge.pull && pull;
    } else edges.set(id, { id, src: sn, sport, dst: dn, dport, conns: [c], pull });
  }
  for (const n of nodes) {
    if (n.members) {
      n.nin = Math.max(1, inPorts.get(n.id)?.size ?? 0);
      n.nout = Math.max(1, outPorts.get(n.id)?.size ?? 0);
      n.label = `${n.id} (${n.members.length})`;
    }
  }
  return { nodes, edges: [...edges.values()], groups: [...groups].sort() };
}
