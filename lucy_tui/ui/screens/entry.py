"""Order entry behind the trade screen: a typed line → the parsed command → checks → the engine.

The rules the desk follows (UX.md): errors block and say where; warnings (a large order, real
money, a duplicate of a recent order, a price far from the touch) need the same line entered
twice; nothing leaves before the parsed order has been shown. The engine runs its own pre-trade
checks again on every leg; what is checked here is what can be said while typing."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from rich.text import Text

from ...engine import PlaceOrder
from ...orderentry import (
    AmendCmd, CancelAllCmd, CancelCmd, EntryContext, EntryError, HelpCmd, History, PlaceCmd,
    QuoteCmd, describe, parse, resolve_price, to_intent, validate,
)
from ..tape_model import TapeEntry, TapeFeed, head_and_latest

OK, WARN, ERR, DIM = "#5fd75f", "#ffaf00", "#ff5f5f", "dim"


class KoreanNames:
    """Code → Korean name over the instrument universe: a mapping for the blotter, a callable
    for the tape's feed."""

    def __init__(self, universe):
        self.universe = universe

    def get(self, code: str, default: str = "") -> str:
        inst = self.universe.get(code)
        return inst.name if inst else default

    def __call__(self, code: str) -> str | None:
        return self.get(code) or None

    def __getitem__(self, code: str) -> str:
        name = self.get(code)
        if not name:
            raise KeyError(code)
        return name

    def __contains__(self, code) -> bool:
        return self.universe.get(code) is not None


async def quote_of(engine, code: str, *, book: bool = False):
    """The engine's quote; with ``book``, the touch too, from a broker that serves the order
    book by REST when the quote came without one (KIS's price inquiry carries no levels)."""
    quote = await engine.quote(code, max_age=0.5)
    if book and not (quote.bids and quote.asks):
        for broker in engine.brokers.values():
            order_book = getattr(broker, "order_book", None)
            if order_book is not None:
                bids, asks = await order_book(code)
                return replace(quote, bids=tuple(bids), asks=tuple(asks))
    return quote


class EntryDesk:
    def __init__(self, app, screen):
        self.app, self.screen = app, screen
        spec = app.spec
        self.ctx = EntryContext(universe=app.universe, accounts=tuple(a.ref for a in spec.accounts),
                                plans=tuple(p.name for p in spec.plans),
                                default_account=spec.default_account,
                                default_plan=spec.default_plan)
        from platformdirs import user_state_path

        self.history = History(Path(user_state_path("lucy", appauthor=False))
                               / f"history-{spec.profile}.txt")
        self.feed = TapeFeed(KoreanNames(app.universe))
        self._chains: dict[str, list[TapeEntry]] = {}
        self._armed: str | None = None     # the line that was warned about once
        self._quote_code: str | None = None
        self._subscribed: tuple[str, str] | None = None   # (broker, code) with live ticks

    @property
    def engine(self):
        return self.app.session.engine

    # ------------------------------------------------------------ typing

    def _screen_verb(self, text: str):
        """``w SYMBOL`` (관심: add to the watchlist) and ``d SYMBOL`` (상세: stock detail): verbs
        that open screens rather than orders → (verb, instrument | error message)."""
        verb, _, rest = text.strip().partition(" ")
        kind = {"w": "watch", "관심": "watch", "d": "detail", "상세": "detail"}.get(verb.lower())
        if kind is None:
            return None
        found = self.app.universe.search(rest.strip(), limit=2) if rest.strip() else []
        if not found:
            return kind, f"종목 '{rest.strip()}'을(를) 찾을 수 없습니다 — no such symbol"
        return kind, found[0]

    def preview(self, text: str) -> Text:
        """The echo line while typing: what the line means, or the one thing wrong with it."""
        if not text.strip():
            return Text("")
        verb = self._screen_verb(text)
        if verb is not None:
            kind, what = verb
            if isinstance(what, str):
                return Text.assemble(("✕ ", ERR), (what, ERR))
            word = "관심종목에 추가" if kind == "watch" else "종목 상세"
            return Text.assemble(("› ", DIM), f"{word}: {what.name}({what.code})")
        result = parse(text, self.ctx)
        if isinstance(result, EntryError):
            return self._error_text(text, result)
        if text != self._armed:
            self._armed = None
        return Text.assemble(("› ", DIM), describe(result))

    def _error_text(self, text: str, error: EntryError) -> Text:
        start, end = max(0, error.start), max(error.start + 1, error.end)
        spot = text[start:end] or "␣"
        return Text.assemble(("✕ ", ERR), (error.message, ERR), ("   ", ""),
                             (text[:start], DIM), (spot, f"bold underline {ERR}"),
                             (text[end:], DIM))

    def submit(self, text: str, *, confirmed: bool = False) -> None:
        """``confirmed``: the user already confirmed this very line (in the ticket)."""
        if confirmed:
            self._armed = text
        verb = self._screen_verb(text)
        if verb is not None:
            kind, what = verb
            if isinstance(what, str):
                self.screen.echo(f"✕ {what}", ERR)
                return
            from .market_intents import AddToWatchlist, OpenDetail

            self._done(text)
            self.screen.post_message(AddToWatchlist(what.code) if kind == "watch"
                                     else OpenDetail(what.code))
            return
        result = parse(text, self.ctx)
        if isinstance(result, EntryError):
            self.screen.echo(self._error_text(text, result))
            return
        if isinstance(result, HelpCmd):
            self.app.action_show_screen("help")
            self._done(text)
        elif isinstance(result, QuoteCmd):
            self.show_quote(result.instrument.code)
            self._done(text)
        elif isinstance(result, CancelAllCmd):
            self._done(text)
            self.screen.echo(f"전체 취소 요청 — cancelling every open order"
                             f"{' in ' + result.code if result.code else ''}", DIM)
            self.app.run_intent(self.engine.cancel_all(result.code), self._cancelled, "전체 취소")
        elif isinstance(result, CancelCmd):
            local_id = self._target(result.target)
            if local_id:
                self._done(text)
                self.cancel(local_id)
        elif isinstance(result, AmendCmd):
            local_id = self._target(result.target)
            if local_id:
                self.app.run_intent(self._amend(text, local_id, result), None, "정정")
        elif isinstance(result, PlaceCmd):
            self.show_quote(result.instrument.code)
            self.app.run_intent(self._place(text, result), None, "주문")

    def _done(self, text: str) -> None:
        self.history.add(text)
        self._armed = None
        self.screen.clear_command()

    # ------------------------------------------------------------ place

    async def _place(self, text: str, cmd: PlaceCmd) -> None:
        try:
            quote = await quote_of(self.engine, cmd.instrument.code,
                                   book=cmd.price.kind in ("bid", "ask"))
        except Exception as exc:
            quote = None
            if cmd.price.from_quote:
                self.screen.echo(f"✕ {cmd.instrument.name}: 시세를 받지 못했습니다 — {exc}", ERR)
                return
        check = validate(cmd, quote, cmd.instrument, self.app.clock.now().date())
        if check.errors:
            self.screen.echo(f"✕ {check.errors[0]}", ERR)
            return
        intent = to_intent(cmd, quote)
        warnings = list(check.warnings) + self.confirm_reasons(cmd, quote)
        confirmed = bool(warnings) and self._armed == text
        if warnings and not confirmed:
            self._armed = text
            self.screen.echo(Text.assemble(("⚠ ", WARN), (warnings[0], WARN),
                                           ("  — Enter 한 번 더 = 전송 · Esc 취소", DIM)))
            return
        if confirmed:
            intent = PlaceOrder(**{**_fields(intent), "confirmed": True})
        self.screen.echo(Text.assemble(("… ", DIM), describe(cmd), (" 전송 중", DIM)))
        placement = await self.engine.place(intent)
        if placement.errors:
            self.screen.echo(f"✕ {placement.errors[0]}", ERR)
            return
        if placement.warnings and not placement.ok:
            self._armed = text
            self.screen.echo(Text.assemble(("⚠ ", WARN), (placement.warnings[0], WARN),
                                           ("  — Enter 한 번 더 = 전송", DIM)))
            return
        self._done(text)
        self.screen.echo(Text.assemble(("✓ ", OK), (placement.local_id, "bold"), "  ",
                                       describe(cmd)))

    def confirm_reasons(self, cmd: PlaceCmd, quote) -> list[str]:
        """Why this order needs a second Enter: its size against the profile's threshold, or
        real money. Priceless orders are valued at the upper band, as brokers margin them."""
        out = []
        spec = self.app.spec
        price = cmd.price.value or (quote.upper_limit if quote else 0)
        value = cmd.amount or cmd.qty * (price or 0)
        if spec.confirm_above and value > spec.confirm_above:
            out.append(f"큰 주문: ₩{value:,} (확인 기준 ₩{spec.confirm_above:,} 초과)")
        if spec.environment == "real":
            out.append("실거래 REAL MONEY — 실제 주문이 나갑니다")
        return out

    # ------------------------------------------------------------ cancel and amend

    def _target(self, target: str) -> str | None:
        """``#3`` (a blotter row), a local id, or a broker order number → the local id."""
        from ..widgets.blotter import Blotter

        target = target.strip()
        local_id = None
        if target.startswith("#") and target[1:].isdigit():
            local_id = self.screen.query_one(Blotter).local_id_for_row_number(int(target[1:]))
        elif target in self.engine.book.orders or target in self.engine.book.parents:
            local_id = target
        else:
            for order in self.engine.orders:
                if target in (order.order_no, order.order_no.lstrip("0")) and target:
                    local_id = order.local_id
                    break
        if local_id is None:
            self.screen.echo(f"✕ 주문 '{target}'을(를) 찾을 수 없습니다 — no such order "
                             "(#행번호, 주문 id 또는 주문번호)", ERR)
        return local_id

    def cancel(self, local_id: str) -> None:
        self.screen.echo(f"취소 요청 {local_id}", DIM)
        self.app.run_intent(self.engine.cancel(local_id), self._cancelled, "취소")

    def _cancelled(self, problems) -> None:
        problems = [p for p in (problems or []) if p]
        if problems:
            self.screen.echo(f"✕ {problems[0]}", ERR)
        else:
            self.screen.echo("✓ 취소 요청 전송 — cancel sent", OK)

    async def _amend(self, text: str, local_id: str, cmd: AmendCmd) -> None:
        order = self.order_or_parent(local_id)
        code = getattr(order, "code", "")
        price = cmd.price.value
        if cmd.price.from_quote:
            quote = await quote_of(self.engine, code, book=cmd.price.kind in ("bid", "ask"))
            price = resolve_price(cmd.price, quote, self.app.universe.get(code))
        if cmd.qty is not None:
            problems = await self.engine.amend(local_id, price, qty=cmd.qty)
        else:
            problems = await self.engine.amend(local_id, price)
        problems = [p for p in (problems or []) if p]
        if problems:
            self.screen.echo(f"✕ {problems[0]}", ERR)
            return
        self._done(text)
        self.screen.echo(f"✓ 정정 요청 {local_id} @{price:,}" if price else f"✓ 정정 요청 {local_id}",
                         OK)

    def order_or_parent(self, local_id: str):
        book = self.engine.book
        if local_id in book.orders:
            return book.orders[local_id]
        if local_id in book.parents:
            return self.engine.parent(local_id)
        return None

    # ------------------------------------------------------------ quote and ticks

    def show_quote(self, code: str) -> None:
        from ..widgets.quote_panel import QuotePanel

        inst = self.app.universe.get(code)
        if inst is None:
            return
        panel = self.screen.query_one(QuotePanel)
        panel.show(inst)
        self._quote_code = code

        def shown(quote) -> None:
            if self._quote_code == code:
                self.app.desk.mark(code, quote.last)
                panel.show(inst, quote)

        self.app.run_intent(quote_of(self.engine, code), shown, f"{code} 시세")
        self.app.run_intent(self._subscribe(code), None, f"{code} 실시간 등록")

    def holdings_text(self, code: str) -> str:
        """What each account holds of ``code`` ("A:1,004 · C:1,000"), for the quote panel."""
        desk = self.app.desk
        held = [(ref, desk.position(ref, code)) for ref in (a.ref for a in self.app.spec.accounts)]
        return " · ".join(f"{a}:{p.qty:,}" for a, p in held if p is not None and p.qty)

    async def _subscribe(self, code: str) -> None:
        """Live ticks for the quoted symbol only: one registration per broker session, so the
        watchlist keeps the rest of the budget (KIS: 41 per session)."""
        broker = next(iter(self.engine.brokers.values()), None)
        if broker is None or self._subscribed == (broker.name, code):
            return
        previous, self._subscribed = self._subscribed, (broker.name, code)
        if previous is not None and previous[0] in self.engine.brokers:
            await self.engine.brokers[previous[0]].unsubscribe_ticks([previous[1]])
        await broker.subscribe_ticks([code])

    # ------------------------------------------------------------ tape

    def tape_entries(self, events) -> list[TapeEntry]:
        return self._chained(self.feed.feed(events))

    def day_tape(self) -> list[TapeEntry]:
        """The day so far (orders restored from the journal, reconciled or placed before the
        screen existed) as tape lines; events then go on from it."""
        engine = self.engine
        return self._chained(self.feed.history(engine.orders, engine.book.fills))

    def _chained(self, entries: list[TapeEntry]) -> list[TapeEntry]:
        for entry in entries:
            if entry.local_id:
                self._chains.setdefault(entry.local_id, []).append(entry)
        return entries

    def tape_history(self, local_id: str, limit: int = 0, head: int = 0) -> list[TapeEntry]:
        """The order's tape lines; with ``limit``, only its head and latest (head_and_latest)."""
        lines = self._chains.get(local_id, [])
        return head_and_latest(lines, limit, head) if limit else list(lines)

    # ------------------------------------------------------------ ticket and export

    def open_ticket(self, side: str, code: str | None = None, price: int | None = None) -> None:
        from .ticket import OrderTicket

        code = code or self._quote_code or "005930"
        self.app.push_screen(OrderTicket(self, side, code, price))

    def export(self) -> None:
        out = self.app.spec.export_dir
        if out is None:
            self.screen.echo("✕ 내보낼 폴더(export_dir)가 없습니다", ERR)
            return

        def done(paths) -> None:
            self.screen.echo(f"✓ CSV {len(paths)}개 → {out}", OK)

        self.app.run_intent(self.engine.export_csv(out), done, "CSV 내보내기")


def _fields(intent: PlaceOrder) -> dict:
    from dataclasses import fields

    return {f.name: getattr(intent, f.name) for f in fields(intent)}
