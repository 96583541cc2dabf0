"""Go to (F12): every screen on one single key, for the screens beyond the function keys."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

#: key → (screen name, label). The app knows how to show each name.
DESTINATIONS = (
    ("t", "trade", "주문 Trade (F2)"), ("a", "accounts", "잔고 Accounts (F3)"),
    ("m", "market", "시세 Market / Lookup (F4)"), ("h", "history", "내역 History (F5)"),
    ("w", "watchlist", "관심종목 Watchlist"), ("i", "ipo", "공모주 IPO calendar"),
    ("e", "themes", "테마 Themes"), ("s", "scheduler", "스케줄러 Scheduler"),
    ("u", "users", "사용자 Users / profiles"), ("?", "help", "도움말 Help (F1)"),
)


class GotoScreen(ModalScreen):
    BINDINGS = [Binding("escape,f12", "dismiss", "닫기 Close", id="goto_close")]
    DEFAULT_CSS = """
    GotoScreen { align: center middle; }
    GotoScreen OptionList { width: 44; height: auto; border: round $accent; }
    """

    def __init__(self, available: set[str]):
        super().__init__()
        self.available = available

    def compose(self) -> ComposeResult:
        options = OptionList(id="goto")
        options.border_title = "이동 Go to"
        for key, name, label in DESTINATIONS:
            if name in self.available:
                options.add_option(Option(Text.assemble((f" {key} ", "bold reverse"), "  ", label),
                                          id=name))
        yield options

    def on_key(self, event: events.Key) -> None:
        for key, name, _ in DESTINATIONS:
            if event.character == key and name in self.available:
                event.stop()
                self.dismiss(name)
                return

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_dismiss(self) -> None:
        self.dismiss(None)
