"""``KisBroker``: the KIS session the engine holds (implements :class:`lucy_tui.brokers.base.Broker`).

REST (orders, inquiries, quotes) goes through :class:`KisRest`; realtime notices and ticks
through :class:`KisRealtime`; per-order memory and notice → event mapping through
:class:`OrderTracker`. Everything environment-specific (tr ids, page sizes, order types, venues,
rate) comes from :mod:`.environment`.
"""

from __future__ import annotations

import logging
import weakref
from datetime import date, timedelta

import httpx

from ...clock import Clock
from ...domain.calendar import add_months
from ...domain.model import (
    AccountRef, Balance, Instrument, OrderType, Position, Quote, Side, TimeInForce,
)
from .codes import DAILY_CCLD_RECENT_MONTHS, WS_TRADE
from ..base import (
    BrokerError, BrokerRejected, BuyingPower, NotSupported, OrderReport, OrderRequest,
    OutcomeUnknown, Placed, Tick,
)
from ..ratelimit import Limit, RateLimiter
from ..tokens import TokenCache
from ..client import BrokerClient
from . import environment as fn
from . import frames, mapping
from .mapping import order_no as normal_no
from .realtime import KisRealtime
from .research import KisResearchMixin
from .rest import KisRest
from .settings import KisSettings
from .tracking import OrderTracker

log = logging.getLogger(__name__)

#: One limiter per (host, app key) in this process, shared by every session on that key.
_LIMITERS: weakref.WeakValueDictionary[tuple[str, str], RateLimiter] = weakref.WeakValueDictionary()


def shared_limiter(settings: KisSettings, key_id: str) -> RateLimiter:
    slot = (settings.rest_base, key_id)
    limiter = _LIMITERS.get(slot)
    if limiter is None or limiter.limit != Limit(settings.rate):
        limiter = RateLimiter(Limit(settings.rate), margin=settings.rate_margin)
        _LIMITERS[slot] = limiter
    return limiter


class KisBroker(KisResearchMixin, BrokerClient):
    name = "kis"
    log = log

    def __init__(self, settings: KisSettings, *, clock: Clock | None = None,
                 http: httpx.AsyncClient | None = None, limiter: RateLimiter | None = None,
                 tokens: TokenCache | None = None):
        super().__init__(settings, clock=clock, tokens=tokens)
        self.limiter = limiter or shared_limiter(settings, self.tokens.key_id)
        self.rest = KisRest(settings, limiter=self.limiter, tokens=self.tokens, http=http)
        self.tracker = OrderTracker(settings, self._today, self._emit)
        self.realtime = KisRealtime(
            settings, approval=self.rest.approval_key, on_notice=self.tracker.on_notice,
            on_tick=self._on_tick, on_status=self._on_status,
            on_open=self.tracker.session_opened, on_live=self._seed)

    # ------------------------------------------------------------------ session

    async def _seed(self) -> None:
        """Seed the per-order fill counts from today's orders (see :mod:`.tracking`)."""
        reports: list[OrderReport] | None = []
        try:
            for account in self.accounts:
                reports.extend(await self.orders_today(account))
        except BrokerError as exc:
            log.warning("kis: could not seed fill counts: %s", exc)
            reports = None
        except Exception:      # held notices must flow even if the inquiry's mapping breaks
            log.exception("kis: seeding fill counts failed")
            reports = None
        self.tracker.seeded(reports)

    # ------------------------------------------------------------------ orders

    async def place(self, order: OrderRequest) -> Placed:
        if order.qty < 1:
            raise ValueError("an order needs a positive quantity")
        if order.type.needs_price and not order.price:
            raise ValueError(f"a {order.type.value} order needs a price")
        dvsn = mapping.ord_dvsn(order.type, order.tif, self.env)
        venue = mapping.venue_code(order.venue, self.env)
        body = {
            "CANO": order.account.number,
            "ACNT_PRDT_CD": order.account.product,
            "PDNO": order.code,
            "ORD_DVSN": dvsn,
            "ORD_QTY": str(order.qty),
            "ORD_UNPR": mapping.price_field(order.price if order.type.needs_price else None),
            "EXCG_ID_DVSN_CD": venue,
        }
        if order.type is OrderType.STOP_LIMIT:
            if not order.stop_price:
                raise ValueError("a stop-limit order needs a stop price")
            body["CNDT_PRIC"] = str(order.stop_price)
        function = fn.SELL if order.side is Side.SELL else fn.BUY
        envelope = await self.rest.call("POST", function, body=body, order=True)
        placed = self._placed(envelope.body)
        self.tracker.remember(placed.order_no, account=order.account, branch=placed.branch,
                              dvsn=dvsn, venue=venue, qty=order.qty)
        return placed

    async def amend(self, account: AccountRef, order_no: str, *, price: int | None,
                    qty: int | None = None, type: OrderType = OrderType.LIMIT) -> Placed:
        dvsn = mapping.ord_dvsn(type, TimeInForce.DAY, self.env)
        if type.needs_price and not price:
            raise ValueError(f"an amend to {type.value} needs a price")
        return await self._rvsecncl(account, order_no, mapping.AMEND_CODE, dvsn,
                                    price if type.needs_price else None, qty)

    async def cancel(self, account: AccountRef, order_no: str, qty: int | None = None) -> Placed:
        memo = self.tracker.orders.get(normal_no(order_no))
        dvsn = memo.dvsn if memo and memo.dvsn else "00"
        return await self._rvsecncl(account, order_no, mapping.CANCEL_CODE, dvsn, None, qty)

    async def _rvsecncl(self, account: AccountRef, number: str, action: str, dvsn: str,
                        price: int | None, qty: int | None) -> Placed:
        number = normal_no(number)
        memo = await self._memo_with_branch(account, number)
        if qty is not None and qty < 1:
            raise ValueError("amend/cancel quantity must be positive (None for all)")
        body = {
            "CANO": account.number,
            "ACNT_PRDT_CD": account.product,
            "KRX_FWDG_ORD_ORGNO": memo.branch,
            "ORGN_ODNO": number,
            "ORD_DVSN": dvsn,
            "RVSE_CNCL_DVSN_CD": action,
            "ORD_QTY": str(qty or 0),
            "ORD_UNPR": mapping.price_field(price),
            "QTY_ALL_ORD_YN": "Y" if qty is None else "N",
            "EXCG_ID_DVSN_CD": memo.venue or "KRX",
        }
        envelope = await self.rest.call("POST", fn.RVSECNCL, body=body, order=True)
        placed = self._placed(envelope.body)
        self.tracker.remember(placed.order_no, account=account, branch=placed.branch,
                              dvsn=dvsn, venue=memo.venue)
        return placed

    async def _memo_with_branch(self, account: AccountRef, number: str):
        memo = self.tracker.orders.get(number)
        if memo is None or not memo.branch:
            await self.orders_today(account)     # learns branches of orders placed elsewhere
            memo = self.tracker.orders.get(number)
        if memo is None or not memo.branch:
            raise BrokerRejected(f"order {number} is not among today's orders of {account}",
                                 broker=self.name)
        return memo

    def _placed(self, body: dict) -> Placed:
        out = body.get("output") or {}
        if isinstance(out, list):
            out = out[0] if out else {}
        # Upper-case in order answers (§4.2); lower-case accepted in case a front differs.
        def get(name: str) -> str:
            return str(out.get(name) or out.get(name.lower()) or "").strip()

        number = normal_no(get("ODNO"))
        if not number:
            # rt_cd 0 said it was taken: sending it again could double it, so the caller must look.
            raise OutcomeUnknown("order accepted (rt_cd 0) but the answer carried no ODNO; "
                                 "check today's orders", broker=self.name)
        return Placed(order_no=number, time=mapping.hhmmss(get("ORD_TMD"), self._today()),
                      branch=get("KRX_FWDG_ORD_ORGNO"))

    # ------------------------------------------------------------------ inquiries

    async def orders_today(self, account: AccountRef) -> list[OrderReport]:
        today = self._today()
        reports = []
        for report, row in await self._daily_ccld(account, (fn.DAILY_CCLD, today, today)):
            reports.append(report)
            self.tracker.remember(report.order_no, account=account,
                                  branch=str(row.get("ord_gno_brno", "")),
                                  dvsn=str(row.get("ord_dvsn_cd", "")).strip(),
                                  venue=report.venue.value)
        return reports

    async def orders_between(self, account: AccountRef, start: date, end: date) -> list[OrderReport]:
        """Orders and fills from ``start`` to ``end`` (dates), for the history screen. The
        inquiry's current tr id serves the last three months; the days before them go to the tr
        id for older orders (kis.md §4.1, same query), and the answers are merged."""
        if start > end:
            raise BrokerRejected(f"조회 기간: {start} > {end}", broker=self.name)
        parts = ccld_parts(start, end, self._today())
        return [report for report, _ in await self._daily_ccld(account, *parts)]

    async def _daily_ccld(self, account: AccountRef,
                          *parts: tuple[str, date, date]) -> list[tuple[OrderReport, dict]]:
        """Every row of inquire-daily-ccld over ``parts`` (function, first day, last day), one
        report an order: numbers restart each day, so an order is its (day, number)."""
        out: dict[tuple[str, str], tuple[OrderReport, dict]] = {}
        for function, start, end in parts:
            params = {
                "CANO": account.number, "ACNT_PRDT_CD": account.product,
                "INQR_STRT_DT": start.strftime("%Y%m%d"), "INQR_END_DT": end.strftime("%Y%m%d"),
                "SLL_BUY_DVSN_CD": "00",
                "INQR_DVSN": "00", "PDNO": "", "CCLD_DVSN": "00", "ORD_GNO_BRNO": "", "ODNO": "",
                "INQR_DVSN_3": "00", "INQR_DVSN_1": "",
                "EXCG_ID_DVSN_CD": self.env.daily_ccld_venue,
            }
            rows, _ = await self.rest.pages(function, params)
            for row in rows:
                report = mapping.order_report(row, account, self._today())
                key = (str(row.get("ord_dt", "")), report.order_no)
                if report.order_no and key not in out:
                    out[key] = (report, row)
        return list(out.values())

    async def balance(self, account: AccountRef) -> tuple[Balance, list[Position]]:
        params = {
            "CANO": account.number, "ACNT_PRDT_CD": account.product, "AFHR_FLPR_YN": "N",
            "OFL_YN": "", "INQR_DVSN": "01", "UNPR_DVSN": "01", "FUND_STTL_ICLD_YN": "N",
            "FNCG_AMT_AUTO_RDPT_YN": "N", "PRCS_DVSN": "00",
        }
        rows, totals = await self.rest.pages(fn.BALANCE, params)
        positions = [mapping.position(row, account) for row in rows]
        # Sold-out lines stay with hldg_qty 0 until D+2 (§4.6): not positions.
        return mapping.balance(totals, account), [p for p in positions if p.qty > 0]

    async def buying_power(self, account: AccountRef, code: str, price: int | None,
                           type: OrderType = OrderType.LIMIT) -> BuyingPower:
        params = {
            "CANO": account.number, "ACNT_PRDT_CD": account.product, "PDNO": code,
            "ORD_UNPR": str(price) if price and type.needs_price else "",
            "ORD_DVSN": mapping.ord_dvsn(type, TimeInForce.DAY, self.env),
            "CMA_EVLU_AMT_ICLD_YN": "N", "OVRS_ICLD_YN": "N",
        }
        envelope = await self.rest.call("GET", fn.PSBL_ORDER, params=params)
        return mapping.buying_power(_output(envelope.body), account, code)

    async def quote(self, code: str) -> Quote:
        params = {"FID_COND_MRKT_DIV_CODE": "J", "FID_INPUT_ISCD": code}
        envelope = await self.rest.call("GET", fn.PRICE, params=params)
        return mapping.quote(_output(envelope.body), code, self.clock.now())

    async def instrument(self, code: str) -> Instrument:
        if not self.env.serves(fn.STOCK_INFO):
            raise NotSupported("search-stock-info is not offered by KIS mock (모의투자 미지원)",
                               broker=self.name)
        params = {"PRDT_TYPE_CD": "300", "PDNO": code}
        envelope = await self.rest.call("GET", fn.STOCK_INFO, params=params)
        return mapping.instrument(_output(envelope.body), code)

    # ------------------------------------------------------------------ ticks

    async def subscribe_ticks(self, codes: list[str]) -> None:
        for code in codes:
            await self.realtime.subscribe(WS_TRADE, code)

    async def unsubscribe_ticks(self, codes: list[str]) -> None:
        for code in codes:
            await self.realtime.unsubscribe(WS_TRADE, code)

    def _on_tick(self, record: list[str]) -> None:
        day = self._today()
        side = {"1": Side.BUY, "5": Side.SELL}.get(record[frames.TICK_SIDE].strip())
        self._emit(Tick(
            code=record[frames.TICK_CODE].strip(), price=mapping.num(record[frames.TICK_PRICE]),
            qty=mapping.num(record[frames.TICK_QTY]),
            time=mapping.hhmmss(record[frames.TICK_HOUR], day),
            cum_volume=mapping.num(record[frames.TICK_CUM_VOLUME]),
            change=mapping.num(record[frames.TICK_CHANGE]), side=side,
            bid=mapping.num(record[frames.TICK_BID1]) or None,
            ask=mapping.num(record[frames.TICK_ASK1]) or None))


def ccld_parts(start: date, end: date, today: date) -> list[tuple[str, date, date]]:
    """The inquiries a range needs, as (function, first day, last day): the days before the line
    three calendar months back go to the old-orders tr id, the days from it to the current one."""
    line = add_months(today, -DAILY_CCLD_RECENT_MONTHS)
    parts = []
    if start < line:
        parts.append((fn.DAILY_CCLD_OLD, start, min(end, line - timedelta(days=1))))
    if end >= line:
        parts.append((fn.DAILY_CCLD, max(start, line), end))
    return parts


def _output(body: dict) -> dict:
    out = body.get("output") or {}
    if isinstance(out, list):
        out = out[0] if out else {}
    return out

