"""Binding ids that widgets and screens (not the app) own, so the keymap check and the help
screen know them. Classes are imported lazily: the help screen and the keymap check are the
only readers, and start-up should not pay for screens nobody opened."""

from __future__ import annotations

import importlib

#: (module under lucy_tui.ui, class name) of everything that declares bindings with ids.
OWNERS = (
    ("widgets.command_line", "CommandLine"), ("widgets.blotter", "Blotter"),
    ("widgets.tape", "FillTape"), ("screens.ticket", "OrderTicket"),
    ("screens.ticket", "PriceInput"), ("screens.market", "MarketScreen"),
    ("screens.accounts", "AccountsScreen"), ("screens.history", "HistoryScreen"),
    ("screens.help", "HelpScreen"), ("screens.goto", "GotoScreen"),
    ("screens.watchlist", "WatchlistScreen"), ("screens.stock_detail", "StockDetailScreen"),
    ("screens.ipo", "IpoScreen"), ("screens.themes", "ThemesScreen"),
    ("screens.scheduler", "SchedulerScreen"), ("screens.users", "UsersScreen"),
    ("screens.login", "LoginScreen"),
)


def widget_classes() -> list[type]:
    out = []
    for module, name in OWNERS:
        out.append(getattr(importlib.import_module(f"lucy_tui.ui.{module}"), name))
    return out


def widget_binding_ids() -> set[str]:
    ids = set()
    for cls in widget_classes():
        for binding in getattr(cls, "BINDINGS", ()):
            if getattr(binding, "id", None):
                ids.add(binding.id)
    return ids
