"""Updating a Static without laying the screen out again.

``Static.update`` asks for a layout by default, and a layout re-arranges every widget of the
screen (about 2 ms on the trade screen). The header, the quote panel and the order chain change
several times a second and far more often under a fill storm, while their height rarely does: a
repaint is enough until the content's shape (the rows it needs) changes."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.widgets import Static


def repaint(widget: Static, content, shape: object = None) -> None:
    """Show ``content``; lay out only when ``shape`` differs from the last one shown."""
    layout = shape is None or shape != getattr(widget, "_lucy_shape", None)
    widget._lucy_shape = shape
    widget.update(content, layout=layout)


def text_rows(lines: Iterable[Text], width: int) -> int:
    """Rows ``lines`` take at ``width`` cells when each wraps on its own."""
    width = max(width, 1)
    return sum(max(1, -(-line.cell_len // width)) for line in lines)
