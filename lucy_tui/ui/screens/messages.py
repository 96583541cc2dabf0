"""What the IPO and theme screens ask of the rest of the console.

A screen that shows a symbol does not open other screens itself: it posts one of these and the
app decides (jump to Lookup, or fill the order ticket). Both bubble from the screen to the app.
"""

from __future__ import annotations

from textual.message import Message


class LookupSymbol(Message):
    """Show this symbol in Lookup (quote, book, instrument facts)."""

    def __init__(self, code: str, name: str = "") -> None:
        super().__init__()
        self.code, self.name = code, name


class PrefillOrder(Message):
    """Open the order ticket with this symbol (and a price, when the screen has one)."""

    def __init__(self, code: str, name: str = "", price: int | None = None) -> None:
        super().__init__()
        self.code, self.name, self.price = code, name, price
