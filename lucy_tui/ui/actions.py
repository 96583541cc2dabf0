"""Every action a user can take, in one table: the key bindings, the help screen and the command
palette are all generated from it, so the three never disagree (Posting's and Harlequin's way).

An action's ``id`` is what ``[keymap]`` in config.toml rebinds. Screen switches use the
function keys: they reach the app from any widget, the command line included, and no terminal
multiplexer takes them."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Action:
    id: str
    keys: str
    action: str
    description: str
    group: str
    show: bool = True
    priority: bool = False

    def binding(self) -> Binding:
        return Binding(self.keys, self.action, self.description, show=self.show, id=self.id,
                       priority=self.priority)


APP_ACTIONS: tuple[Action, ...] = (
    Action("screen_help", "f1", "app.show_screen('help')", "도움말 Help", "화면", priority=True),
    Action("screen_trade", "f2", "app.show_screen('trade')", "주문 Trade", "화면", show=False,
           priority=True),
    Action("screen_accounts", "f3", "app.show_screen('accounts')", "잔고 Accounts", "화면",
           priority=True),
    Action("screen_market", "f4", "app.show_screen('market')", "시세 Market", "화면",
           priority=True),
    Action("screen_history", "f5", "app.show_screen('history')", "내역 History", "화면",
           show=False, priority=True),
    Action("goto", "f12", "app.goto", "이동 Go to…", "화면", priority=True),
    Action("command_palette", "ctrl+p", "app.command_palette", "명령 팔레트 Palette", "일반",
           show=False),
    Action("quit", "ctrl+q", "app.quit", "종료 Quit", "일반", priority=True),
)

TRADE_ACTIONS: tuple[Action, ...] = (
    Action("focus_command", "colon", "focus_command", "명령줄 Command", "주문"),
    Action("focus_command_alt", "slash", "focus_command", "명령줄 Command", "주문", show=False),
    Action("ticket_buy", "f6", "ticket('buy')", "매수 Buy ticket", "주문", priority=True),
    Action("ticket_sell", "f7", "ticket('sell')", "매도 Sell ticket", "주문", priority=True),
    Action("focus_blotter", "f8", "focus_pane('blotter')", "주문표 Blotter", "주문", show=False,
           priority=True),
    Action("focus_tape", "f9", "focus_pane('tape')", "체결 Tape", "주문", show=False,
           priority=True),
    Action("refresh", "f10", "refresh", "대사 Reconcile", "주문", priority=True),
    Action("export", "ctrl+e", "export", "CSV 내보내기 Export", "주문", show=False, priority=True),
)

ALL_ACTIONS = APP_ACTIONS + TRADE_ACTIONS


def bindings(actions: tuple[Action, ...]) -> list[Binding]:
    return [a.binding() for a in actions]


def unknown_ids(keymap: dict[str, str], known: set[str]) -> list[str]:
    return sorted(set(keymap) - known)
