"""``LsBroker``: the LS session the engine holds (implements :class:`lucy_tui.brokers.base.Broker`).

REST (orders, inquiries, quotes, the stock master) goes through :class:`LsRest`; SC0–SC4 and
trade ticks through :class:`LsRealtime`; per-order memory and push → event mapping through
:class:`OrderTracker`. Everything environment-specific comes from :mod:`.environment`, every
wire fact from :mod:`.codes`.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from datetime import date

import httpx

from ...clock import Clock
from ...domain import calendar as krx_calendar
from ...domain.model import (
    AccountRef, Balance, Instrument, InstrumentKind, Market, OrderType, Position, Quote,
)
from ..base import (
    BrokerError, BrokerRejected, BuyingPower, NotSupported, OrderReport, OrderRequest, Placed,
)
from ..ratelimit import Limit, RateLimiter
from ..tokens import TokenCache
from ..client import BrokerClient
from . import codes, mapping
from .errors import SUCCESS_CODES, Envelope
from .frames import Push
from .realtime import LsRealtime
from .rest import LsRest
from .settings import LsSettings
from .tracking import OrderMemo, OrderTracker

log = logging.getLogger(__name__)

#: One limiter per (host, app key, budgets) in this process, shared by every session on that key.
_LIMITERS: weakref.WeakValueDictionary[tuple, RateLimiter] = weakref.WeakValueDictionary()

_T0425_ALL = {"expcode": "", "chegb": "0", "medosu": "0", "sortgb": "2", "cts_ordno": ""}
_T0424_ALL = {"prcgb": "1", "chegb": "2", "dangb": "0", "charge": "1", "cts_expcode": ""}
#: CSPAQ13700 for one day (``OrdDt``), every order, oldest first (ls.md §4.6).
_CSPAQ13700_ALL = {"OrdMktCode": "00", "BnsTpCode": "0", "IsuNo": "", "ExecYn": "0", "OrdDt": "",
                   "SrtOrdNo2": 0, "BkseqTpCode": "1", "OrdPtnCode": "00"}
#: CSPAQ13700 asks for one day at a time and LS answers it once a second (§6.1): the longest
#: range, in calendar days, the history inquiry sends (a month, at most ~23 requests).
HISTORY_MAX_DAYS = 31


def tr_limits(settings: LsSettings) -> dict[str, Limit]:
    """Every TR Lucy can send, with its budget: the table, else the most conservative value."""
    table = settings.limits()
    return {tr: Limit(table.get(tr, codes.DEFAULT_TR_LIMIT)) for tr in {*codes.TR_PATH, *table}}


def shared_limiter(settings: LsSettings, key_id: str) -> RateLimiter:
    per_tr = tr_limits(settings)
    overall = Limit(settings.account_rate_limit) if settings.account_rate_limit else None
    slot = (settings.rest_base, key_id, tuple(sorted((t, l.count) for t, l in per_tr.items())),
            overall)
    limiter = _LIMITERS.get(slot)
    if limiter is None:
        limiter = RateLimiter(overall, per_tr=per_tr, margin=settings.rate_margin)
        _LIMITERS[slot] = limiter
    return limiter


def _order_accepted(tr_cd: str, ok_codes: frozenset[str]) -> Callable[[Envelope], bool]:
    """An order TR succeeded when it says so and names the order (its number is what every later
    amend or cancel needs); a success code without a number is ambiguous (errors.py)."""
    def accept(envelope: Envelope) -> bool:
        if envelope.status != 200 or envelope.gateway:
            return False
        number = mapping.order_no(envelope.block(codes.out_block(tr_cd, 2)).get("OrdNo"))
        return bool(number) and (envelope.rsp_cd in ok_codes or envelope.rsp_cd in SUCCESS_CODES)
    return accept


class LsBroker(BrokerClient):
    name = "ls"
    log = log

    def __init__(self, settings: LsSettings, *, clock: Clock | None = None,
                 http: httpx.AsyncClient | None = None, limiter: RateLimiter | None = None,
                 tokens: TokenCache | None = None, universe=None):
        super().__init__(settings, clock=clock, tokens=tokens)
        self.limiter = limiter or shared_limiter(settings, self.tokens.key_id)
        self.rest = LsRest(settings, limiter=self.limiter, tokens=self.tokens, http=http,
                           clock=self.clock)
        self.tracker = OrderTracker(settings, self._today, self._emit)
        self.realtime = LsRealtime(
            settings, token=self.rest.token, replace_token=self.rest.replace_token,
            on_push=self._on_push, on_status=self._on_status,
            issued=lambda: self.tokens.issued)
        self._universe = universe
        self._master: dict[str, dict] | None = None

    def _on_push(self, push: Push) -> None:
        if push.tr_cd in codes.ORDER_EVENT_TRS:
            self.tracker.on_push(push)
        elif push.tr_cd in codes.MARKET_OF_TRADE_TR:
            self._emit(mapping.tick(push.body, self._today()))

    # ------------------------------------------------------------------ session

    def _check_account(self, account: AccountRef) -> None:
        if account.broker != self.name or self.settings.find_account(account.number) is None:
            raise BrokerRejected(f"{account} is not the account of this LS app key "
                                 f"({self.settings.account}); nothing was sent", broker=self.name)

    # ------------------------------------------------------------------ orders

    async def place(self, order: OrderRequest) -> Placed:
        self._check_account(order.account)
        if order.qty < 1:
            raise ValueError("an order needs a positive quantity")
        if order.type.needs_price and not order.price:
            raise ValueError(f"a {order.type.value} order needs a price")
        ptn, cndi = mapping.order_codes(order.type, order.tif, self.env)
        mbr = mapping.mbr_no(order.venue, self.env)
        price = order.price if order.type.needs_price else 0
        fields = {
            "IsuNo": await self._isu_no(order.code),
            "OrdQty": order.qty,
            "OrdPrc": price,
            "BnsTpCode": codes.BNS_OF[order.side],
            "OrdprcPtnCode": ptn,
            "MgntrnCode": codes.MGNTRN_NORMAL,
            "LoanDt": "",
            "OrdCndiTpCode": cndi,
            "MbrNo": mbr,
        }
        envelope = await self.rest.call(codes.CSPAT00601, fields, order=True,
                                        accept=_order_accepted(codes.CSPAT00601, codes.ORDER_OK_CODES))
        placed = self._placed(envelope, codes.CSPAT00601)
        memo = self.tracker.remember(placed.order_no, account=order.account, code=order.code,
                                     side=order.side, type=order.type, tif=order.tif,
                                     venue=order.venue, price=price or None, qty=order.qty)
        if memo.leaves is None:       # the pushes may have told more already
            memo.leaves = order.qty
        return placed

    async def amend(self, account: AccountRef, order_no: str, *, price: int | None,
                    qty: int | None = None, type: OrderType = OrderType.LIMIT) -> Placed:
        self._check_account(account)
        if type.needs_price and not price:
            raise ValueError(f"an amend to {type.value} needs a price")
        if qty is not None and qty < 1:
            raise ValueError("amend quantity must be positive (None for all)")
        number = mapping.order_no(order_no)
        memo = await self._memo(account, number)
        # The order condition (IOC/FOK) cannot change in an amend (§4.3): it is inherited.
        ptn, cndi = mapping.order_codes(type, memo.tif, self.env)
        amend_qty = qty or memo.leaves or memo.qty
        new_price = price if type.needs_price else 0
        fields = {
            "OrgOrdNo": _wire_no(number),
            "IsuNo": await self._isu_no(memo.code),
            "OrdQty": amend_qty,
            "OrdprcPtnCode": ptn,
            "OrdCndiTpCode": cndi,
            "OrdPrc": new_price,
        }
        envelope = await self.rest.call(codes.CSPAT00701, fields, order=True,
                                        accept=_order_accepted(codes.CSPAT00701, codes.AMEND_OK_CODES))
        placed = self._placed(envelope, codes.CSPAT00701)
        new = self.tracker.remember(placed.order_no, account=account, code=memo.code,
                                    side=memo.side, type=type, tif=memo.tif, venue=memo.venue,
                                    price=new_price or None, qty=amend_qty)
        if new.leaves is None:
            new.leaves = amend_qty
        return placed

    async def cancel(self, account: AccountRef, order_no: str, qty: int | None = None) -> Placed:
        self._check_account(account)
        if qty is not None and qty < 1:
            raise ValueError("cancel quantity must be positive (None for all)")
        number = mapping.order_no(order_no)
        memo = await self._memo(account, number)
        fields = {
            "OrgOrdNo": _wire_no(number),
            "IsuNo": await self._isu_no(memo.code),
            # All that is open when no quantity is given; with nothing open, the order's own
            # quantity, so that LS answers in its own words.
            "OrdQty": qty or memo.leaves or memo.qty,
        }
        envelope = await self.rest.call(codes.CSPAT00801, fields, order=True,
                                        accept=_order_accepted(codes.CSPAT00801, codes.CANCEL_OK_CODES))
        return self._placed(envelope, codes.CSPAT00801)

    async def _memo(self, account: AccountRef, number: str) -> OrderMemo:
        memo = self.tracker.orders.get(number)
        if memo is None or not memo.code or memo.leaves is None:
            await self.orders_today(account)      # learns orders placed elsewhere or earlier
            memo = self.tracker.orders.get(number)
        if memo is None or not memo.code:
            raise BrokerRejected(f"order {number} is not among today's orders of {account}",
                                 broker=self.name)
        return memo

    def _placed(self, envelope: Envelope, tr_cd: str) -> Placed:
        number, when = mapping.placed_fields(envelope.block(codes.out_block(tr_cd, 2)))
        return Placed(order_no=number, time=mapping.clock_time(when, self._today()))

    # ------------------------------------------------------------------ inquiries

    async def orders_today(self, account: AccountRef) -> list[OrderReport]:
        self._check_account(account)
        today = self._today()
        rows, _, _ = await self.rest.pages(codes.T0425, dict(_T0425_ALL),
                                           rows=codes.out_block(codes.T0425, 1), cursor="cts_ordno")
        reports: dict[str, OrderReport] = {}
        for row in rows:
            report = mapping.order_report(row, account, today)
            if not report.order_no or report.order_no in reports:
                continue
            reports[report.order_no] = report
            self.tracker.learn(report)
        return list(reports.values())

    async def orders_between(self, account: AccountRef, start: date, end: date) -> list[OrderReport]:
        """Orders and fills from ``start`` to ``end`` (dates, both included), for the history
        screen: one CSPAQ13700 inquiry (and its pages) per KRX trading day up to today, oldest
        first. Ranges longer than :data:`HISTORY_MAX_DAYS` are refused before anything is sent."""
        self._check_account(account)
        if start > end:
            raise BrokerRejected(f"조회 기간: {start} > {end}", broker=self.name)
        days = (end - start).days + 1
        if days > HISTORY_MAX_DAYS:
            raise NotSupported(
                f"LS 주문체결내역(CSPAQ13700)은 하루씩 초당 1건으로 조회해 한 번에 "
                f"{HISTORY_MAX_DAYS}일까지만 조회합니다 ({days}일 요청) — LS order history is one "
                f"request a day at one a second: at most {HISTORY_MAX_DAYS} days a query "
                f"({days} asked)", broker=self.name)
        reports: list[OrderReport] = []
        today = self._today()
        asked = krx_calendar.trading_days(start, min(end, today))
        if start <= today <= end and today not in asked:
            # Today is asked even when the calendar says closed: an order placed today is in
            # the book whatever the calendar thinks (a simulator open every day, a holiday the
            # calendar does not know); on a real closed day the answer is simply empty.
            asked.append(today)
        for day in asked:
            fields = dict(_CSPAQ13700_ALL, OrdDt=day.strftime("%Y%m%d"))
            rows, _, _ = await self.rest.pages(codes.CSPAQ13700, fields,
                                               rows=codes.out_block(codes.CSPAQ13700, 3))
            numbers: set[str] = set()
            for row in rows:
                report = mapping.day_order_report(row, account, day)
                if report.order_no and report.order_no not in numbers:
                    numbers.add(report.order_no)
                    reports.append(report)
        return reports

    async def balance(self, account: AccountRef) -> tuple[Balance, list[Position]]:
        self._check_account(account)
        rows, totals, _ = await self.rest.pages(codes.T0424, dict(_T0424_ALL),
                                                rows=codes.out_block(codes.T0424, 1),
                                                cursor="cts_expcode")
        cash = await self.rest.call(codes.CSPAQ12200, {"RecCnt": 1, "BalCreTp": "0"})
        positions = [mapping.position(row, account) for row in rows]
        # Sold-out lines stay with janqty 0 until settlement: not positions.
        return (mapping.balance(totals, cash.block(codes.out_block(codes.CSPAQ12200, 2)), account),
                [p for p in positions if p.qty > 0])

    async def buying_power(self, account: AccountRef, code: str, price: int | None,
                           type: OrderType = OrderType.LIMIT) -> BuyingPower:
        """CSPAQ12200 ``MnyOrdAbleAmt`` (fallback ``Dps``), what LS clients use (ls.md §4.9), and
        the shares it pays for at ``price`` with the commission on top."""
        self._check_account(account)
        if not type.needs_price or not price:
            # A priceless order is paid for at up to the upper limit.
            price = (await self.quote(code)).upper_limit
        envelope = await self.rest.call(codes.CSPAQ12200, {"RecCnt": 1, "BalCreTp": "0"})
        block = envelope.block(codes.out_block(codes.CSPAQ12200, 2))
        cash = mapping.num(block.get("MnyOrdAbleAmt")) or mapping.num(block.get("Dps"))
        return BuyingPower(account=account, code=code, cash=cash,
                           max_qty=mapping.affordable(cash, price, self.settings.commission_rate))

    async def quote(self, code: str) -> Quote:
        envelope = await self.rest.call(codes.T1102, {"shcode": code, "exchgubun": "K"})
        return mapping.quote(envelope.block(codes.out_block(codes.T1102)), code, self.clock.now())

    async def instrument(self, code: str) -> Instrument:
        row = (await self._master_rows()).get(code)
        if row is None:
            raise BrokerRejected(f"{code} is not in the LS stock master (t8436)", broker=self.name)
        known = self._known(code)
        return mapping.instrument(row, nxt=bool(known and known.nxt),
                                  name_en=known.name_en if known else "")

    async def refresh_master(self) -> int:
        """Read the stock master (t8436) again, as before each open; returns the listing count."""
        self._master = None
        return len(await self._master_rows())

    async def _master_rows(self) -> dict[str, dict]:
        if self._master is None:
            envelope = await self.rest.call(codes.T8436, {"gubun": "0"})
            self._master = {mapping.text(row.get("shcode")): row
                            for row in envelope.rows(codes.out_block(codes.T8436))}
        return self._master

    def _known(self, code: str) -> Instrument | None:
        if self._universe is None:
            from ...domain.instruments import load_default

            self._universe = load_default()
        return self._universe.get(code)

    async def _describe(self, code: str) -> tuple[Market | None, InstrumentKind | None]:
        """Market and kind of ``code``: from the shipped universe, else from t8436."""
        known = self._known(code)
        if known is not None:
            return known.market, known.kind
        try:
            inst = await self.instrument(code)
        except BrokerError as exc:
            log.warning("ls: cannot tell what %s is: %s", code, exc)
            return None, None
        return inst.market, inst.kind

    async def _isu_no(self, code: str) -> str:
        _, kind = await self._describe(code)
        return mapping.isu_no(code, kind, self.env)

    # ------------------------------------------------------------------ ticks

    async def subscribe_ticks(self, codes_: list[str]) -> None:
        for code in codes_:
            await self.realtime.subscribe(await self._trade_tr(code), code)

    async def unsubscribe_ticks(self, codes_: list[str]) -> None:
        for code in codes_:
            for tr_cd in codes.MARKET_OF_TRADE_TR:
                await self.realtime.unsubscribe(tr_cd, code)

    async def _trade_tr(self, code: str) -> str:
        market, _ = await self._describe(code)
        tr_cd = codes.TRADE_TR.get(market) if market else None
        if tr_cd is None:
            raise NotSupported(f"no LS trade feed for {code} ({market.value if market else 'unknown market'})",
                               broker=self.name)
        return tr_cd


def _wire_no(number: str) -> int:
    """Order numbers go out as JSON numbers (``OrgOrdNo``, §4.3)."""
    if not number.isdigit():
        raise BrokerRejected(f"{number!r} is not an LS order number", broker="ls")
    return int(number)
