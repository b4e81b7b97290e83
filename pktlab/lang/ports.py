"""Connecting one comma-separated element list to the next.

`a, b -> c` (many to one), `a -> b, c` (one to many) and `a [0, 1] => b, c`
(many to many, port lists, `=>`) all reduce to this: walk the output ports on
the left and the input ports on the right in step, the way Click's
Lexer::yconnection_connect_all does, including its errors.

A port list is a list of ints; a trailing -1 makes it expandable ("[0,]" or
"[]"): it continues upward from its last port as far as the other side needs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(slots=True)
class Ref:
    """An element in a connection list, with the ports written around it."""

    idx: int
    inports: list[int] = field(default_factory=list)
    outports: list[int] = field(default_factory=list)
    pos: int = 0  # source position, for errors

    def ports(self, output: bool) -> list[int]:
        return self.outports if output else self.inports


def _analyze(refs: list[Ref], output: bool) -> tuple[int, int]:
    """(minimum number of ports, number of expandable port lists) on one side."""
    min_ports = expandable = 0
    for r in refs:
        p = r.ports(output)
        if len(p) <= 1:
            min_ports += 1
        elif p[-1] == -1:
            min_ports += len(p) - 1
            expandable += 1
        else:
            min_ports += len(p)
    return min_ports, expandable


def connect_all(outputs: list[Ref], inputs: list[Ref], double_arrow: bool,
                connect: Callable[[int, int, int, int], None],
                error: Callable[[str], None]) -> None:
    sides = (inputs, outputs)  # index k: 0 = inputs (right), 1 = outputs (left)
    minp = [0, 0]
    expandable = [0, 0]
    minp[0], expandable[0] = _analyze(inputs, False)
    minp[1], expandable[1] = _analyze(outputs, True)
    if expandable[0] + expandable[1] > 1:
        error("at most one expandable port allowed per connection")
        expandable[1 if minp[0] < minp[1] else 0] = 0
    if double_arrow:
        # '=>' reads a missing port on a lone element as "all ports, in order"
        for k in (0, 1):
            if minp[k] == 1 and minp[1 - k] > 1 and not sides[k][0].ports(bool(k)):
                expandable[k] = 1
    step = [minp[k] > 1 or bool(expandable[k]) for k in (0, 1)]
    nexpand = [minp[1 - k] - minp[k] if expandable[k] else 0 for k in (0, 1)]
    if step[0] and step[1]:
        if not double_arrow:
            error("syntax error: many-to-many connections require '=>'")
        if not expandable[0] and not expandable[1] and minp[0] != minp[1]:
            error(f"connection mismatch: {minp[1]} outputs connected to {minp[0]} inputs")
        elif not expandable[0] and minp[0] < minp[1]:
            error(f"connection mismatch: {minp[1]} or more outputs connected to {minp[0]} inputs")
        elif not expandable[1] and minp[1] < minp[0]:
            error(f"connection mismatch: {minp[1]} outputs connected to {minp[0]} or more inputs")
    elif not step[0] and not step[1]:
        step[0] = True

    it = [0, 0]
    ppos = [0, 0]
    port = [-1, -1]
    while it[0] < len(inputs) and it[1] < len(outputs):
        for k in (0, 1):
            if port[k] < 0:
                p = sides[k][it[k]].ports(bool(k))
                port[k] = p[0] if p else 0
        connect(outputs[it[1]].idx, port[1], inputs[it[0]].idx, port[0])
        for k in (0, 1):
            if not step[k]:
                continue
            p = sides[k][it[k]].ports(bool(k))
            n = len(p)
            ppos[k] += 1
            if ppos[k] < n and p[ppos[k]] >= 0:
                port[k] = p[ppos[k]]  # next in the port list
            elif n and p[-1] == -1 and nexpand[k] > 0:
                port[k] = p[-2] + ppos[k] - (n - 2)  # expandable list continues
                nexpand[k] -= 1
            elif n == 0 and minp[k] == 1 and nexpand[k] > 0:
                port[k] = ppos[k]  # missing port read as expandable
                nexpand[k] -= 1
            else:
                port[k] = -1  # next element in the list
                ppos[k] = 0
                it[k] += 1
