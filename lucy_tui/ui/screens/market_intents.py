"""Messages the market screens post for the app to act on: they ask, the app decides."""

from __future__ import annotations

from textual.message import Message

from ...domain.model import Side


class OpenTicket(Message):
    """Open the order ticket prefilled with this symbol and side."""

    def __init__(self, code: str, side: Side, price: int | None = None):
        super().__init__()
        self.code, self.side, self.price = code, side, price


class OpenDetail(Message):
    """Show the stock detail screen of this symbol."""

    def __init__(self, code: str):
        super().__init__()
        self.code = code


class AddToWatchlist(Message):
    """Add this symbol to a watchlist (the app's default one when ``list_name`` is empty)."""

    def __init__(self, code: str, list_name: str = ""):
        super().__init__()
        self.code, self.list_name = code, list_name


class WatchAlert(Message):
    """A base price was crossed: ``text`` is the line for the fill tape."""

    def __init__(self, alert, text: str):
        super().__init__()
        self.alert, self.text = alert, text
