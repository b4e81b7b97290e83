"""Parsing the scoped constructs: element groups, compound classes, formals, elementclass.

Functions of the Parser (kept apart to keep each module to one concept). A
compound body gets a fresh Compound scope and a fresh level of class
definitions; a group shares its enclosing scope but renames `input` and
`output` to its own tunnels while it is open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .compound import ClassRef, Compound
from .lexer import Token

if TYPE_CHECKING:
    from .parser import Parser


def group(p: Parser, inports: list[int], t: Token) -> tuple[str, list[int], list[int]]:
    """`( statements )`: returns the group's name and its implied input and output ports."""
    p.enter(t)
    c = p.c
    name = c.anon_name("")
    g = c.add_group(name, p.loc(t))
    saved = (c.element_map.get("input"), c.element_map.get("output"))
    c.element_map["input"], c.element_map["output"] = g + 1, g + 2
    p.groups += 1
    end = p.statements("group")
    p.groups -= 1
    p.nesting -= 1
    loc = p.loc(end)
    nin = c.check_pseudoelement(g + 1, False, "<anonymous group>", loc, p.r)
    nout = c.check_pseudoelement(g + 2, True, "<anonymous group>", loc, p.r)
    for key, old in zip(("input", "output"), saved, strict=True):
        if old is None:
            del c.element_map[key]
        else:
            c.element_map[key] = old
    return name, inports or list(range(nin)), list(range(nout))


def compound(p: Parser, name: str, brace: Token) -> Compound:
    """A compound class body after '{': overloads joined by '||', maybe '...'."""
    p.enter(brace)
    outer = p.c
    first: Compound | None = None
    last: Compound | None = None
    extension: ClassRef | None = None
    start = brace
    while True:
        t = p.lex.next()
        if t.kind == "...":
            extension = p.lookup_class(name)
            if extension is None and (p.classes is None or name in p.classes):
                extension = name
            if not name or extension is None:
                p.err(t, f"cannot extend unknown element class '{name}'")
            t = p.lex.next()
            if first is None or t.kind != "}":
                p.err(t, "'...' should occur last, after one or more compounds")
            if t.kind in ("}", "eof"):
                break
            if t.kind != "||":
                p.lex.unlex(t)
            start = t
            continue
        p.lex.unlex(t)
        part = Compound.for_class(name, p.loc(start), outer.depth + 1)
        p.c = part
        p.class_scopes.append({})
        formals(p, part)
        end = p.statements("compound")
        p.class_scopes.pop()
        p.c = outer
        part.finish(p.r)
        if last is None:
            first = part
        else:
            last.overload = part
        last = part
        start = end
        if end.kind != "||":
            break
    if first is None:
        first = last = Compound.for_class(name, p.loc(brace), outer.depth + 1)
    if extension is not None:
        last.overload = extension
    p.nesting -= 1
    return first


def formals(p: Parser, part: Compound) -> None:
    """`$a, KEYWORD $b, __REST__ $c |` at the start of a compound body."""
    while True:
        t = p.lex.next()
        if t.kind == "ident":
            t2 = p.lex.next()
            if t2.kind != "var":
                if part.formals:
                    p.err(t2, "expected variable")
                p.lex.unlex(t2)
                p.lex.unlex(t)
                return
            keyword, var = t.text, t2
        elif t.kind == "var":
            keyword, var = "", t
        elif t.kind == "|":
            return
        else:
            if part.formals:
                p.err(t, "expected variable")
            p.lex.unlex(t)
            return
        part.define(var.text[1:], "", keyword, p.loc(var), p.r)
        sep = p.lex.next()
        if sep.kind == "|":
            return
        if sep.kind != ",":
            p.err(sep, "expected ',' or '|'")
            p.lex.unlex(sep)
            return


def elementclass(p: Parser) -> None:
    t = p.lex.next()
    name = ""
    if t.kind == "ident":
        name = t.text
    else:
        p.err(t, "expected element class name")
        p.lex.unlex(t)
    t2 = p.lex.next()
    if t2.kind == "{":
        cls: ClassRef = compound(p, name, t2)
    elif t2.kind == "ident":
        cls = p.force_class(t2.text, t2)  # a synonym
    else:
        p.syntax_error(t2, "'{' or a class name")
        cls = name
    if name:
        p.class_scopes[-1][name] = cls
