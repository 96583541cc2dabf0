"""The one-line header every screen carries: environment badge (DEMO amber, MOCK blue, REAL
red), profile, market session, each broker's connection, and the KST clock."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from .repaint import repaint

from ...brokers.base import Connection

ENV_STYLE = {"demo": "bold black on #ffaf00", "mock": "bold white on #005fd7",
             "real": "bold white on #d70000"}
STATE_STYLE = {Connection.LIVE: ("●", "#5fd75f"), Connection.CONNECTING: ("◌", "#ffaf00"),
               Connection.DEGRADED: ("◐", "#ffaf00"), Connection.RECONNECTING: ("◌", "#ffaf00"),
               Connection.DISCONNECTED: ("○", "#ff5f5f")}


class HeaderBar(Static):
    DEFAULT_CSS = "HeaderBar { height: 1; background: $panel; padding: 0 1; }"

    def on_mount(self) -> None:
        draw = getattr(self.app, "draw_header", None)
        if draw is not None:
            self.call_after_refresh(draw)

    def draw(self, *, environment: str, profile: str, session: str, now,
             brokers: dict[str, Connection | None], screen: str) -> None:
        parts: list = [("LUCY ", "bold"),
                       (f" {environment.upper()} ", ENV_STYLE.get(environment, "reverse"))]
        if environment == "real":
            parts.append((" 실거래 REAL MONEY ", "bold #ff5f5f"))
        parts += ["  ", (profile, "bold"), "  ", session]
        for name, state in brokers.items():
            mark, colour = STATE_STYLE.get(state, ("○", "#808080"))
            word = state.value if state else "—"
            parts += ["  ", (f"{name} {mark} ", colour), (word, "dim"), " "]
        parts += ["  ", now.strftime("%Y-%m-%d %H:%M:%S KST"), "  ", (f"[{screen}]", "dim")]
        # One row whatever it says: never a reason to lay the screen out again.
        repaint(self, Text.assemble(*parts, no_wrap=True, overflow="ellipsis"), "row")
