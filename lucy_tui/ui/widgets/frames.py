"""What widgets fed at the frame rate share: whether writing to them now is worth anything."""

from __future__ import annotations

from textual.dom import NoScreen
from textual.widget import Widget


def in_view(widget: Widget) -> bool:
    """Whether the user can see the widget: laid out (not hidden) on the current screen, or on a
    screen showing through the translucent ones above it (a modal dialog).

    A widget that is not in view is not written to: it keeps its own state and catches up in
    one step when shown, so a hidden pane costs nothing per event.
    """
    if not widget.is_mounted or not widget.display:
        return False
    try:
        screen = widget.screen
    except NoScreen:
        return False
    stack = widget.app.screen_stack
    if screen not in stack:
        return False
    above = stack[stack.index(screen) + 1:]
    if any(s.styles.background.a >= 1 for s in above):
        return False
    return widget.is_on_screen
