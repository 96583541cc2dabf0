"""What widgets fed at the frame rate share: whether writing to them now is worth anything."""

from __future__ import annotations

from textual.dom import NoScreen
from textual.widget import Widget


def in_view(widget: Widget) -> bool:
    """Whether the widget is laid out on the current screen (not hidden, not on another screen).

    A widget that is not in view is not written to: it keeps its own state and catches up in
    one step when shown, so a hidden pane costs nothing per event.
    """
    if not widget.is_mounted or not widget.display:
        return False
    try:
        screen = widget.screen
    except NoScreen:
        return False
    return screen.is_current and widget.is_on_screen
