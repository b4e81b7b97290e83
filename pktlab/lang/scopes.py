"""Parsing the scoped constructs: element groups, compound classes, formals, elementclass.

Methods of the Parser (a mixin class it inherits, kept apart to keep each
module to one concept). A compound body gets a fresh Compound scope and a
fresh level of class definitions; a group shares its enclosing scope but
renames `input` and `output` to its own tunnels while it is open.
"""

from __future__ import annotations

from .compound import ClassRef, Compound
from .lexer import Token


class Scopes:
    """The scoped constructs, as methods of the Parser (a mixin)."""

    def parse_group(self, inports: list[int], t: Token) -> tuple[str, list[int], list[int]]:
        """`( statements )`: returns the group's name and its implied input and output ports."""
        self.enter(t)
        c = self.c
        name = c.anon_name("")
        g = c.add_group(name, self.loc(t))
        saved = (c.element_map.get("input"), c.element_map.get("output"))
        c.element_map["input"], c.element_map["output"] = g + 1, g + 2
        self.groups += 1
        end = self.statements("group")
        self.groups -= 1
        self.nesting -= 1
        loc = self.loc(end)
        nin = c.check_pseudoelement(g + 1, False, "<anonymous group>", loc, self.r)
        nout = c.check_pseudoelement(g + 2, True, "<anonymous group>", loc, self.r)
        for key, old in zip(("input", "output"), saved, strict=True):
            if old is None:
                del c.element_map[key]
            else:
                c.element_map[key] = old
        return name, inports or list(range(nin)), list(range(nout))

    def parse_compound(self, name: str, brace: Token) -> Compound:
        """A compound class body after '{': overloads joined by '||', maybe '...'."""
        self.enter(brace)
        outer = self.c
        first: Compound | None = None
        last: Compound | None = None
        extension: ClassRef | None = None
        start = brace
        while True:
            t = self.lex.next()
            if t.kind == "...":
                extension = self.lookup_class(name)
                if extension is None and (self.classes is None or name in self.classes):
                    extension = name
                if not name or extension is None:
                    self.err(t, f"cannot extend unknown element class '{name}'")
                t = self.lex.next()
                if first is None or t.kind != "}":
                    self.err(t, "'...' should occur last, after one or more compounds")
                if t.kind in ("}", "eof"):
                    break
                if t.kind != "||":
                    self.lex.unlex(t)
                start = t
                continue
            self.lex.unlex(t)
            part = Compound.for_class(name, self.loc(start), outer.depth + 1)
            self.c = part
            self.class_scopes.append({})
            self.parse_formals(part)
            end = self.statements("compound")
            self.class_scopes.pop()
            self.c = outer
            part.finish(self.r)
            if last is None:
                first = part
            else:
                last.overload = part
            last = part
            start = end
            if end.kind != "||":
                break
        if first is None:
            first = last = Compound.for_class(name, self.loc(brace), outer.depth + 1)
        if extension is not None:
            last.overload = extension
        self.nesting -= 1
        return first

    def parse_formals(self, part: Compound) -> None:
        """`$a, KEYWORD $b, __REST__ $c |` at the start of a compound body."""
        while True:
            t = self.lex.next()
            if t.kind == "ident":
                t2 = self.lex.next()
                if t2.kind != "var":
                    if part.formals:
                        self.err(t2, "expected variable")
                    self.lex.unlex(t2)
                    self.lex.unlex(t)
                    return
                keyword, var = t.text, t2
            elif t.kind == "var":
                keyword, var = "", t
            elif t.kind == "|":
                return
            else:
                if part.formals:
                    self.err(t, "expected variable")
                self.lex.unlex(t)
                return
            part.define(var.text[1:], "", keyword, self.loc(var), self.r)
            sep = self.lex.next()
            if sep.kind == "|":
                return
            if sep.kind != ",":
                self.err(sep, "expected ',' or '|'")
                self.lex.unlex(sep)
                return

    def parse_elementclass(self) -> None:
        t = self.lex.next()
        name = ""
        if t.kind == "ident":
            name = t.text
        else:
            self.err(t, "expected element class name")
            self.lex.unlex(t)
        t2 = self.lex.next()
        if t2.kind == "{":
            cls: ClassRef = self.parse_compound(name, t2)
        elif t2.kind == "ident":
            cls = self.force_class(t2.text, t2)  # a synonym
        else:
            self.syntax_error(t2, "'{' or a class name")
            cls = name
        if name:
            self.class_scopes[-1][name] = cls
