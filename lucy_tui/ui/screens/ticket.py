"""The order ticket (F6 buy, F7 sell): route, price stepping one valid tick with up/down, shares
or an amount in KRW, order type, duration and venue, beside the live quote (band, tick, touch)
and the buying power of the chosen account. It writes the same line the command line takes and
sends it through the same checks; a large order or real money is confirmed here first."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from ...domain import krx
from ...orderentry import EntryError, PlaceCmd, describe, parse
from ..widgets.quote_panel import QuotePanel
from .entry import quote_of

TYPES = (("지정가 limit", ""), ("시장가 market", "mkt"), ("최유리 best", "best"),
         ("최우선 top", "top"), ("중간가 mid", "mid"), ("조건부 cond", "cond"))
PRICELESS = {"mkt", "best", "top", "mid"}
TIFS = (("DAY", ""), ("IOC", "ioc"), ("FOK", "fok"))
VENUES = (("KRX", ""), ("NXT", "nxt"), ("SOR", "sor"))


class PriceInput(Input):
    """Up/down step the price by one valid tick for the symbol at that price."""

    BINDINGS = [Binding("up", "step(1)", "+1틱", show=False, id="ticket_tick_up"),
                Binding("down", "step(-1)", "-1틱", show=False, id="ticket_tick_down")]

    def action_step(self, n: int) -> None:
        self.screen.step_price(n)


class OrderTicket(ModalScreen):
    BINDINGS = [Binding("escape", "dismiss", "닫기 Close", id="ticket_close"),
                Binding("f6", "side('buy')", "매수 Buy", priority=True, id="ticket_side_buy"),
                Binding("f7", "side('sell')", "매도 Sell", priority=True, id="ticket_side_sell")]
    DEFAULT_CSS = """
    OrderTicket { align: center middle; }
    OrderTicket #ticket { width: 96; height: auto; border: thick $primary; background: $surface;
                          padding: 0 1; }
    OrderTicket.-sell #ticket { border: thick #5f87ff; }
    OrderTicket.-buy #ticket { border: thick #ff5f5f; }
    OrderTicket #form { width: 1fr; height: auto; }
    OrderTicket #form Label { margin-top: 1; color: $text-muted; }
    OrderTicket Horizontal { height: auto; }
    OrderTicket #type { width: 22; }
    OrderTicket #tif, OrderTicket #venue { width: 13; }
    OrderTicket QuotePanel { width: 40; }
    OrderTicket #ticket-echo { height: auto; margin-top: 1; }
    OrderTicket #ticket-title { text-style: bold; }
    """

    def __init__(self, entry, side: str, code: str, price: int | None = None):
        super().__init__()
        self.entry, self.side, self.code, self.price = entry, side, code, price
        self.quote = None
        self._armed = ""

    def compose(self) -> ComposeResult:
        spec = self.app.spec
        routes = [(f"{a.ref.broker}:{a.ref.label or a.ref.number}  {a.fund}",
                   f"{a.ref.broker}:{a.ref.label or a.ref.number}") for a in spec.accounts]
        routes += [(f"plan:{p.name}  ({len(p.legs)} legs)", f"plan:{p.name}") for p in spec.plans]
        default = (f"plan:{spec.default_plan}" if spec.default_plan else
                   f"{spec.default_account.broker}:{spec.default_account.label or spec.default_account.number}"
                   if spec.default_account else routes[0][1])
        with Vertical(id="ticket"):
            yield Static(id="ticket-title")
            with Horizontal():
                with Vertical(id="form"):
                    yield Label("종목 Symbol (코드·이름·초성)")
                    yield Input(self.code, id="symbol")
                    yield Label("계좌/배분 Route")
                    yield Select(routes, value=default, allow_blank=False, id="route")
                    yield Label("가격 Price (↑↓ 1틱)")
                    yield PriceInput(str(self.price) if self.price else "", id="price")
                    yield Label("수량 Qty (주) 또는 금액 ₩")
                    yield Input(placeholder="100 또는 ₩10,000,000", id="qty")
                    with Horizontal():
                        yield Select(TYPES, value="", allow_blank=False, id="type")
                        yield Select(TIFS, value="", allow_blank=False, id="tif")
                        yield Select(VENUES, value="", allow_blank=False, id="venue")
                yield QuotePanel(id="ticket-quote")
            yield Static(id="ticket-echo")

    def on_mount(self) -> None:
        self.action_side(self.side)
        self._load_symbol()
        self.query_one("#qty", Input).focus()

    # ------------------------------------------------------------ form

    def action_side(self, side: str) -> None:
        self.side = side
        self.set_class(side == "buy", "-buy")
        self.set_class(side == "sell", "-sell")
        word = Text("매수 BUY", style="bold #ff5f5f") if side == "buy" else Text(
            "매도 SELL", style="bold #5f87ff")
        self.query_one("#ticket-title", Static).update(Text.assemble(
            "주문표 Ticket — ", word, ("   Enter 전송 · Esc 닫기 · F6/F7 매수/매도", "dim")))
        self._preview()

    def _load_symbol(self) -> None:
        inst = self.app.universe.get(self.code)
        if inst is None:
            return
        panel = self.query_one(QuotePanel)
        panel.show(inst)

        def shown(quote) -> None:
            self.quote = quote
            panel.show(inst, quote)
            price = self.query_one("#price", Input)
            if not price.value:
                price.value = str(quote.last)
            self._preview()

        self.app.run_intent(quote_of(self.entry.engine, self.code), shown, f"{self.code} 시세")

    @on(Input.Changed, "#symbol")
    def _symbol(self, event: Input.Changed) -> None:
        found = self.app.universe.search(event.value.strip(), limit=1) if event.value.strip() else []
        if found and found[0].code != self.code:
            self.code = found[0].code
            self.quote = None
            self.query_one("#price", Input).value = ""
            self._load_symbol()
        self._preview()

    @on(Input.Changed, "#price, #qty")
    @on(Select.Changed)
    def _changed(self, _event) -> None:
        self._armed = ""
        self._preview()

    def step_price(self, n: int) -> None:
        inst = self.app.universe.get(self.code)
        price = self.query_one("#price", Input)
        try:
            value = int(price.value.replace(",", ""))
        except ValueError:
            value = self.quote.last if self.quote else 0
        if not inst or not value:
            return
        step = krx.tick_up if n > 0 else krx.tick_down
        value = step(value, inst.kind, inst.market)
        if self.quote and self.quote.upper_limit:
            value = max(self.quote.lower_limit, min(self.quote.upper_limit, value))
        price.value = str(value)

    def line(self) -> str:
        """The ticket as a command line (the one grammar both paths share)."""
        kind = self.query_one("#type", Select).value
        price = self.query_one("#price", Input).value.strip().replace(",", "")
        qty = self.query_one("#qty", Input).value.strip()
        parts = ["b" if self.side == "buy" else "s", self.code, qty or "0"]
        if kind in PRICELESS:
            parts.append(kind)
        else:
            parts.append(f"@{price}" if price else "@")
            if kind:
                parts.append(kind)
        for field in ("#tif", "#venue"):
            value = self.query_one(field, Select).value
            if value:
                parts.append(value)
        parts += ["to", self.query_one("#route", Select).value]
        return " ".join(parts)

    def _preview(self) -> Text:
        text = self.line()
        result = parse(text, self.entry.ctx)
        echo = self.query_one("#ticket-echo", Static)
        if isinstance(result, EntryError):
            shown = Text.assemble(("✕ ", "#ff5f5f"), (result.message, "#ff5f5f"))
        else:
            shown = Text.assemble(("› ", "dim"), describe(result), self._power_text(result))
        echo.update(shown)
        return shown

    def _power_text(self, cmd) -> Text:
        if not isinstance(cmd, PlaceCmd) or cmd.account is None:
            return Text("")
        view = next((v for v in self.app.desk.accounts() if v.account.key == cmd.account.key), None)
        if view is None:
            return Text("")
        if self.side == "sell":
            held = self.app.desk.position(cmd.account, cmd.instrument.code)
            return Text(f"   매도가능 {held.sellable_qty if held else 0:,}주", style="dim")
        return Text(f"   주문가능 ₩{view.buying_power:,}", style="dim")

    # ------------------------------------------------------------ send

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = self.line()
        result = parse(text, self.entry.ctx)
        if isinstance(result, EntryError):
            self.app.bell()
            return
        warnings = self.entry.confirm_reasons(result, self.quote)
        if warnings and self._armed != text:
            self._armed = text
            self.query_one("#ticket-echo", Static).update(Text.assemble(
                ("⚠ ", "#ffaf00"), (warnings[0], "#ffaf00"), ("  — Enter 한 번 더 = 전송", "dim")))
            return
        self.dismiss()
        self.entry.submit(text, confirmed=bool(warnings))
