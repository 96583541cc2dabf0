"""The trade screen: the blotter over the live fill tape on the left, the quote and the selected
order's chain on the right, and the command line at the bottom with its echo line above it.

Typing is parsed on every keystroke; the echo line shows the parsed order (or the one thing that
is wrong, underlined at its place). Enter sends; an order that needs confirmation (large, real
money, a duplicate of a recent order) asks for a second Enter. Esc clears."""

from __future__ import annotations

import time

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...engine import EngineError, OrderUpdated, PositionChanged
from ..actions import TRADE_ACTIONS, bindings
from ..tape_model import chain_of, head_and_latest
from ..widgets.blotter import COLUMN_KEYS, COMPACT_KEYS, Blotter
from ..widgets.chain import OrderChain
from ..widgets.command_line import CommandLine
from ..widgets.header import HeaderBar
from ..widgets.quote_panel import QuotePanel
from ..widgets.repaint import repaint
from ..widgets.tape import FillTape
from .entry import EntryDesk, KoreanNames

OK, WARN, ERR, DIM = "#5fd75f", "#ffaf00", "#ff5f5f", "dim"
CHAIN_LINES, CHAIN_HEAD = 40, 4
CHAIN_SECONDS = 0.25   # the selected order's chain follows its fills at most this often
NARROW = 140         # below this many columns the blotter shows its compact column set


class EchoLine(Static):
    DEFAULT_CSS = "EchoLine { height: 1; padding: 0 1; }"

    def say(self, text: str | Text, style: str = "") -> None:
        repaint(self, text if isinstance(text, Text) else Text(text, style=style), "row")


class TradeScreen(Screen):
    BINDINGS = bindings(TRADE_ACTIONS)
    _chain_id = ""
    _chain_stale = False
    _chain_drawn = 0.0

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        # The blotter takes the full width (its columns need it); the tape shares the lower half
        # with the quote and the selected order's chain.
        narrow = self.app.size.width < NARROW
        yield Blotter(names=KoreanNames(self.app.universe), id="blotter",
                      columns=COMPACT_KEYS if narrow else COLUMN_KEYS)
        with Horizontal(id="trade-main"):
            yield FillTape(id="tape", max_lines=self.app.config.ui.tape_lines, compact=narrow)
            with Vertical(id="trade-right"):
                yield QuotePanel(id="quote")
                yield OrderChain(id="chain")
        yield EchoLine(id="echo")
        yield CommandLine(id="command")
        yield Footer()

    def on_resize(self, event) -> None:
        # Below NARROW columns the blotter and the tape switch to their compact column sets
        # (status, leaves and order numbers stay in view), and back when the terminal widens.
        narrow = event.size.width < NARROW
        self.query_one(Blotter).set_columns(COMPACT_KEYS if narrow else COLUMN_KEYS)
        self.query_one(FillTape).set_compact(narrow)

    def on_mount(self) -> None:
        app = self.app
        self.entry = EntryDesk(app, self)
        self.query_one(Blotter).border_title = "주문 Blotter"
        self.query_one(FillTape).border_title = "체결 Tape"
        self.query_one(CommandLine).setup(self.entry)
        self.echo("':' 명령줄 — b 005930 100 @71000 · s 삼성전자 50 mkt · "
                  "b 카카오 ₩10,000,000 @best to plan:core · c #1 · a #1 @71100 · q 005930 · ?",
                  DIM)
        self.query_one(CommandLine).focus()
        self.query_one(QuotePanel).holdings = self.entry.holdings_text
        self.query_one(QuotePanel).redraw()
        self.set_interval(CHAIN_SECONDS, self._redraw_stale_chain)
        # What happened before this screen existed (recovered orders, the first fills).
        engine = app.session.engine
        self.query_one(FillTape).append(self.entry.day_tape())
        self.query_one(Blotter).apply([*(OrderUpdated(o, created=True) for o in engine.orders),
                                       *(engine.parent(p) for p in engine.book.parents)])

    def on_screen_resume(self) -> None:
        self.app.draw_header()

    # ------------------------------------------------------------ engine events

    def apply_events(self, events, ticks, *, visible: bool) -> None:
        """Called by the app once a frame with what arrived since the last one."""
        tape = self.query_one(FillTape)
        tape.append(self.entry.tape_entries(events))
        self.query_one(Blotter).apply(events)
        quote = self.query_one(QuotePanel)
        held = chained = False          # the quoted symbol's holdings / the chain's order moved
        for event in events:
            if isinstance(event, EngineError):
                self.echo(event.message, ERR)
            elif type(event) is PositionChanged:
                held = held or event.position.code == quote.code
            elif self._chain_id and not chained:
                chained = getattr(getattr(event, "order", None), "local_id", "") == self._chain_id
        if quote.code in ticks:
            quote.on_tick(ticks[quote.code])
        elif held:
            quote.redraw()          # the holdings line
        if chained:
            self._chain_stale = True
            if time.monotonic() - self._chain_drawn >= CHAIN_SECONDS:
                self._redraw_stale_chain()

    def _redraw_stale_chain(self) -> None:
        """The chain follows its order's fills at most every CHAIN_SECONDS: an order filling a
        share at a time would otherwise have its whole chain re-wrapped on every frame, the
        costliest thing on the screen, for a pane read at a glance."""
        if self._chain_stale and self._chain_id:
            self.show_chain(self._chain_id, quote=False)

    def echo(self, text, style: str = "") -> None:
        self.query_one(EchoLine).say(text, style)

    # ------------------------------------------------------------ actions

    def action_focus_command(self) -> None:
        self.query_one(CommandLine).focus()

    def action_focus_pane(self, name: str) -> None:
        self.query_one(f"#{name}").focus()

    def action_ticket(self, side: str) -> None:
        self.entry.open_ticket(side)

    def action_refresh(self) -> None:
        self.echo("대사 중… reconciling with every broker", DIM)
        self.app.run_intent(self.app.session.engine.refresh(),
                            lambda _: self.echo("대사 완료 — reconciled", OK), "대사")

    def action_export(self) -> None:
        self.entry.export()

    # ------------------------------------------------------------ widgets' requests

    @on(Blotter.CancelRequested)
    def _cancel(self, event) -> None:
        self.entry.cancel(event.local_id)

    @on(Blotter.AmendRequested)
    def _amend(self, event) -> None:
        order = self.entry.order_or_parent(event.local_id)
        price = f"@{order.price}" if getattr(order, "price", None) else "@"
        line = self.query_one(CommandLine)
        line.value = f"a {event.local_id} {price}"
        line.cursor_position = len(line.value)
        line.focus()

    @on(Blotter.Selected)
    def _order_selected(self, event) -> None:
        self.show_chain(event.local_id)

    @on(FillTape.Selected)
    def _line_selected(self, event) -> None:
        if event.entry.local_id:
            self.show_chain(event.entry.local_id)
            return
        # A line of no order Lucy knows (a connection change, an alert, a notice for an order
        # placed elsewhere before reconciliation found it): its chain is what the tape has
        # under the same broker numbers.
        self._chain_id, self._chain_stale = "", False
        lines = chain_of(self.query_one(FillTape).entries, event.entry)
        self.query_one(OrderChain).show(head_and_latest(lines, CHAIN_LINES, CHAIN_HEAD), None,
                                        event.entry.name)

    @on(FillTape.FollowChanged)
    def _follow(self, event) -> None:
        self.query_one(FillTape).border_title = (
            "체결 Tape" if event.following else "체결 Tape — 일시정지 paused (End: 따라가기)")

    def show_chain(self, local_id: str, *, quote: bool = True) -> None:
        self._chain_id, self._chain_stale = local_id, False
        self._chain_drawn = time.monotonic()
        order = self.entry.order_or_parent(local_id)
        code = getattr(order, "code", "")
        inst = self.app.universe.get(code) if code else None
        history = self.entry.tape_history(local_id, CHAIN_LINES, CHAIN_HEAD)
        self.query_one(OrderChain).show(history,
                                        order if hasattr(order, "status") else None,
                                        inst.name if inst else "")
        if code and quote:
            self.entry.show_quote(code)

    def clear_command(self) -> None:
        self.query_one(CommandLine).value = ""


__all__ = ["TradeScreen", "EchoLine"]
