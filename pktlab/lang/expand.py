"""Compound expansion: parsed scopes -> a flat Graph.

This is Click's Lexer::create_router / expand_compound_element /
Compound::expand_into, in the same order, so names and element order match
Click's:

* file-scope elements keep their place; anonymous ones get their final
  "Class@N" names as they are reached;
* a compound instance `c` picks the overload that fits its argument list and
  the number of input and output ports used on it, becomes a tunnel, and its
  body is appended as "c/name" elements, which are expanded in turn
  (depth first);
* connections through tunnels (compound ports, element groups) collapse into
  direct connections, port numbers carried through. A compound port nobody
  connects to is fine (its inner connections vanish); connecting to a port
  the compound does not have is an error.

Parameters are substituted here, each instance in its own lexical scope.
"""

from __future__ import annotations

from ..graph import Connection, Element, Graph, Loc
from .compound import GROUP, TUNNEL, Compound, deanonymize, plural
from .confstr import argvec, uncomment
from .errors import Reporter
from .variables import ExpansionTooLarge, VarEnv, expand

# Limits of one configuration's expansion: a compound that doubles at each of
# 30 levels must meet an error in seconds, not eat the machine. Nodes count
# the tunnels of compound instances too.
MAX_ELEMENTS = 1 << 17
MAX_NODES = 1 << 20


class ExpansionAborted(Exception):
    pass


_BUSY = object()


class Expander:
    def __init__(self, reporter: Reporter):
        self.r = reporter
        self.names: list[str] = []
        self.classes: list = []
        self.configs: list[str] = []
        self.locs: list[Loc | None] = []
        self.source: dict[int, tuple] = {}  # node -> (class loc, config span) where known
        self.envs: list[VarEnv | None] = []
        self.name_map: dict[str, int] = {}
        self.hookups: list[tuple[int, int, int, int, Loc | None]] = []
        self.nports_in: list[int] = []
        self.nports_out: list[int] = []
        self.fwd: dict[int, int] = {}  # tunnel input end -> the end its connections continue from
        self.bwd: dict[int, int] = {}  # tunnel output end -> the end its connections arrive at
        self.outer: set[int] = set()  # compound instances and groups, seen from outside

    # ---- building the flat node list ----------------------------------

    def add_node(self, name: str, cls, config: str, loc: Loc | None, env: VarEnv | None) -> int:
        i = len(self.names)
        if i >= MAX_NODES:
            self.r.error(loc, f"configuration expands to more than {MAX_NODES} elements and "
                              "compound ports (pktlab's limit)")
            raise ExpansionAborted
        self.names.append(name)
        self.classes.append(cls)
        self.configs.append(config)
        self.locs.append(loc)
        self.envs.append(env)
        self.name_map[name] = i
        self.nports_in.append(0)
        self.nports_out.append(0)
        return i

    def hookup(self, fi: int, fp: int, ti: int, tp: int, loc: Loc | None) -> None:
        self.hookups.append((fi, fp, ti, tp, loc))
        if self.nports_out[fi] <= fp:
            self.nports_out[fi] = fp + 1
        if self.nports_in[ti] <= tp:
            self.nports_in[ti] = tp + 1

    def pair(self, outer: int, inp: int, outp: int) -> None:
        """Tie an instance (or group) to its /input and /output tunnels."""
        self.fwd[outer], self.bwd[inp] = inp, outer
        self.fwd[outp], self.bwd[outer] = outer, outp
        self.outer.add(outer)

    def run(self, top: Compound, env: VarEnv) -> None:
        for d in top.decls:
            i = self.add_node(d.name, d.cls, d.config, d.loc, env)
            self.source[i] = (d.cls_loc, d.span)
        for h in top.conns:
            self.hookup(*h)
        for i, d in enumerate(top.decls):
            if d.cls is GROUP:
                self.pair(i, i + 1, i + 2)
        stack = list(range(len(top.decls) - 1, -1, -1))
        while stack:
            children = self.expand_one(stack.pop())
            stack.extend(reversed(children))

    def expand_one(self, i: int) -> list[int]:
        if self.names[i].startswith(";"):
            name = deanonymize(self.names[i], self.name_map)
            self.names[i] = name
            self.name_map[name] = i
        cls = self.classes[i]
        if cls is TUNNEL or cls is GROUP:
            return []
        env = self.envs[i]
        try:
            self.configs[i] = expand(self.configs[i], env)
        except ExpansionTooLarge as e:
            self.r.error(self.locs[i], str(e))
            self.configs[i] = ""
        if not isinstance(cls, Compound):
            return []
        args = argvec(self.configs[i])
        found, values = self.resolve(cls, args, i)
        if not isinstance(found, Compound):
            self.classes[i] = found
            return []
        inner = VarEnv(env.parent_of(found.depth))
        for (_, var), value in zip(found.formals, values, strict=True):
            inner.define(var, value)
        for var, value in found.defines.items():
            try:
                inner.define(var, expand(value, inner))
            except ExpansionTooLarge as e:
                self.r.error(self.locs[i], str(e))
        return self.expand_into(i, found, inner)

    def resolve(self, cls: Compound, args: list[str], i: int):
        """Pick the overload for instance i: (Compound or primitive name, formal values)."""
        nin, nout = self.nports_in[i], self.nports_out[i]
        ct: Compound | str | None = cls
        closest = None
        tried = []
        while isinstance(ct, Compound):
            tried.append(ct)
            values = ct.assign(args)
            if isinstance(values, list):
                if ct.ninputs == nin and ct.noutputs == nout:
                    return ct, values
                closest = (ct, values)
            if not isinstance(ct.overload, Compound) and ct.overload is not None:
                return ct.overload, None  # '...' extended a primitive class
            ct = ct.overload
        who = f"compound '{cls.printable_name}'"
        if not self.names[i].startswith(("@", ";")):
            who += f" (element '{self.names[i]}')"
        if len(tried) == 1 and closest is None:
            self.r.error(self.locs[i], f"{who}: {tried[0].assign(args)}")
        elif len(tried) > 1:
            wanted = (f"{cls.printable_name}[{plural(len(args), 'argument')}, "
                      f"{plural(nin, 'input')}, {plural(nout, 'output')}]")
            options = "; ".join(f"{c.signature()} at {c.loc}" for c in tried)
            self.r.error(self.locs[i], f"{who}: no match for '{wanted}'; candidates are: {options}")
        if closest is None:
            return cls.printable_name, None
        return closest

    def expand_into(self, i: int, comp: Compound, env: VarEnv) -> list[int]:
        ename = self.names[i]
        self.classes[i] = TUNNEL
        inp = self._tunnel(ename + "/input", i)
        outp = self._tunnel(ename + "/output", i)
        if inp < 0 or outp < 0:
            return []
        self.pair(i, inp, outp)
        index = [inp, outp]
        children = []
        k = 2
        decls = comp.decls
        while k < len(decls):
            d = decls[k]
            cname = f"{ename}/{d.name}"
            if cname in self.name_map:
                prev = self.locs[self.name_map[cname]]
                self.r.error(self.locs[i], f"redeclaration of element '{cname}'"
                                           + (f" (previously declared at {prev})" if prev else ""))
                width = 3 if d.cls is GROUP else 1
                index.extend([-1] * width)
                k += width
                continue
            if d.cls is GROUP:
                g = self.add_node(cname, GROUP, "", d.loc, env)
                gi = self.add_node(cname + "/input", TUNNEL, "", d.loc, env)
                go = self.add_node(cname + "/output", TUNNEL, "", d.loc, env)
                self.pair(g, gi, go)
                index.extend([g, gi, go])
                k += 3
                continue
            j = self.add_node(cname, d.cls, d.config, d.loc, env)
            self.source[j] = (d.cls_loc, None)   # its text is the compound's, for every instance
            index.append(j)
            children.append(j)
            k += 1
        for fi, fp, ti, tp, loc in comp.conns:
            if index[fi] >= 0 and index[ti] >= 0:
                self.hookup(index[fi], fp, index[ti], tp, loc)
        return children

    def _tunnel(self, name: str, owner: int) -> int:
        j = self.name_map.get(name)
        if j is None:
            return self.add_node(name, TUNNEL, "", self.locs[owner], None)
        self.r.error(self.locs[owner], f"redeclaration of element '{name}'")
        return -1

    # ---- collapsing tunnels ---------------------------------------------

    def graph(self, requirements: list[str]) -> Graph:
        real = [not (c is TUNNEL or c is GROUP or isinstance(c, Compound)) for c in self.classes]
        if sum(real) > MAX_ELEMENTS:
            self.r.error(None, f"configuration expands to {sum(real)} elements; pktlab runs at "
                               f"most {MAX_ELEMENTS}")
            raise ExpansionAborted
        self._real = real
        self._out: dict[tuple[int, int], list] = {}
        self._in: dict[tuple[int, int], list] = {}
        for fi, fp, ti, tp, loc in self.hookups:
            self._out.setdefault((fi, fp), []).append((ti, tp, loc))
            self._in.setdefault((ti, tp), []).append((fi, fp, loc))
        self._memo: tuple[dict, dict] = ({}, {})
        g = Graph(requirements=requirements)
        g.elements = {self.names[i]: Element(self.names[i], self.classes[i],
                                             uncomment(self.configs[i]), self.locs[i],
                                             *self.source.get(i, (None, None)))
                      for i in range(len(self.names)) if real[i]}
        seen: set[Connection] = set()
        names = self.names
        for fi, fp, ti, tp, loc in self.hookups:
            srcs = [(fi, fp)] if real[fi] else self._through((fi, fp), False, loc)
            dsts = [(ti, tp)] if real[ti] else self._through((ti, tp), True, loc)
            for s, sp in srcs:
                for d, dp in dsts:
                    c = Connection(names[s], sp, names[d], dp)
                    if c not in seen:
                        seen.add(c)
                        g.connections.append(c)
        return g

    def _hops(self, key: tuple[int, int], forward: bool):
        t, p = key
        nxt = (self.fwd if forward else self.bwd).get(t)
        if nxt is None:
            return []
        return (self._out if forward else self._in).get((nxt, p), [])

    def _through(self, start: tuple[int, int], forward: bool, loc: Loc | None) -> list:
        """The real ports a tunnel end leads to (forward: targets; else: sources).

        Iterative and memoized: tunnels chain through every level of
        nesting, and a cycle of tunnels is silently cut, as in Click.
        """
        memo = self._memo[forward]
        got = memo.get(start)
        if got is not None:
            return [] if got is _BUSY else got
        memo[start] = _BUSY
        stack = [(start, iter(self._start(start, forward, loc)), [])]
        while stack:
            key, hops, acc = stack[-1]
            for t, p, hop_loc in hops:
                if self._real[t]:
                    acc.append((t, p))
                    continue
                r = memo.get((t, p))
                if r is None:
                    memo[(t, p)] = _BUSY
                    stack.append(((t, p), iter(self._start((t, p), forward, hop_loc)), []))
                    break
                if r is not _BUSY:
                    acc.extend(r)
            else:
                stack.pop()
                result = list(dict.fromkeys(acc))
                memo[key] = result
                if stack:
                    stack[-1][2].extend(result)
        return memo[start]

    def _start(self, key: tuple[int, int], forward: bool, loc: Loc | None) -> list:
        hops = self._hops(key, forward)
        if not hops and key[0] in self.outer:
            t, p = key
            who = "element group" if self.classes[t] is GROUP else f"'{self.names[t]}'"
            self.r.error(loc, f"{who} has no {'input' if forward else 'output'} {p}")
        return hops
