"""A small HTML tree from the standard library's parser, for asserting where things render."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


@dataclass(eq=False)
class Node:
    tag: str
    attrs: dict[str, str | None]
    parent: Node | None = None
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        """Return the text inside, whitespace collapsed."""
        parts = [c if isinstance(c, str) else c.text() for c in self.children]
        return " ".join(" ".join(parts).split())

    def walk(self):
        """Yield this node and every element below it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()

    def by_id(self, element_id: str) -> Node | None:
        """Return the element with this id, or None."""
        return next((n for n in self.walk() if n.attrs.get("id") == element_id), None)

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def closest(self, css_class: str) -> Node | None:
        """Return the nearest ancestor (or self) carrying `css_class`."""
        node = self
        while node is not None and css_class not in node.classes():
            node = node.parent
        return node


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#document", {})

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag):
        node = self.current
        while node.parent is not None and node.tag != tag:
            node = node.parent
        if node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse_html(html: str) -> Node:
    """Parse a page into a tree of Nodes."""
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root
