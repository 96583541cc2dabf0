"""KRX and Nextrade trading days, sessions and the order types each session accepts.

Source: ../shared/specs/krx.md §3 (sessions), §4 (order types), §5.1 (T+2), §6 (holidays),
§9.4. Holidays come from the maintained ``holidays`` package (``XKRX``), which §6.3 found exact
for 2025-2026 where exchange_calendars is not. Special days (first trading day, CSAT, ad-hoc
notices) are a separate table, as §6.3 asks.

Sessions overlap (the 08:30-08:40 pre-open closing-price trade runs inside the opening auction;
post-close orders are taken from 15:30 but match from 15:40), so an instant can have several open
phases: :func:`phases_at` gives all of them, :func:`session_at` the one that matters most.
"""

from __future__ import annotations

import calendar as pycal
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

import holidays

from ..clock import KST
from .krx import Violation, ViolationCode
from .model import IMMEDIATE_TYPES, OrderType, TimeInForce, Venue

#: KRX pre-market 07:00-08:00 and after-market 16:00-20:00 replace the 16:00-18:00 single-price
#: session from this day (§3.2, [S/U]: third-party evidence, not a KRX notice).
KRX_EXTENDED_FROM = date(2026, 9, 14)
#: Nextrade launched on this day; there are no NXT sessions before it (§3.4).
NXT_LAUNCH = date(2025, 3, 4)
#: KRX added mid-point and stop-limit orders together with NXT's launch (§3.4).
NEW_ORDER_TYPES_FROM = NXT_LAUNCH
#: 2025-11-13 is reported (§3.3); 2026-11-19 is the expected date and unverified [U]. Change it
#: with :func:`set_csat_days` (or a :class:`KrxCalendar` of your own) once KRX confirms.
CSAT_DAYS: frozenset[date] = frozenset({date(2025, 11, 13), date(2026, 11, 19)})


class Phase(enum.Enum):
    CLOSED = "closed"
    PRE_CLOSE_TRADE = "pre_close_trade"    # 장개시전 시간외 종가 08:30-08:40
    OPENING_AUCTION = "opening_auction"    # 장전 동시호가 08:30-09:00
    CONTINUOUS = "continuous"              # 정규장 접속매매 (NXT: main market)
    CLOSING_AUCTION = "closing_auction"    # 장마감 동시호가 15:20-15:30
    POST_CLOSE_TRADE = "post_close_trade"  # 장종료후 시간외 종가 15:40-16:00, entry from 15:30
    AFTER_SINGLE = "after_single"          # 시간외 단일가 16:00-18:00, until 2026-09-13
    PRE_MARKET = "pre_market"              # KRX 07:00-08:00 (from 2026-09-14), NXT 08:00-08:50
    AFTER_MARKET = "after_market"          # KRX 16:00-20:00 (from 2026-09-14), NXT 15:30-20:00
    HALTED = "halted"                      # NXT 08:50-09:00 and 15:20-15:30

    @property
    def korean(self) -> str:
        return _PHASE_KO[self]

    @property
    def english(self) -> str:
        return _PHASE_EN[self]


_PHASE_KO = {
    Phase.CLOSED: "장종료",
    Phase.PRE_CLOSE_TRADE: "장개시전 시간외 종가",
    Phase.OPENING_AUCTION: "장전 동시호가",
    Phase.CONTINUOUS: "정규장",
    Phase.CLOSING_AUCTION: "장마감 동시호가",
    Phase.POST_CLOSE_TRADE: "장종료후 시간외 종가",
    Phase.AFTER_SINGLE: "시간외 단일가",
    Phase.PRE_MARKET: "프리마켓",
    Phase.AFTER_MARKET: "애프터마켓",
    Phase.HALTED: "거래중단",
}
_PHASE_EN = {
    Phase.CLOSED: "market closed",
    Phase.PRE_CLOSE_TRADE: "the pre-open closing-price session",
    Phase.OPENING_AUCTION: "the opening auction",
    Phase.CONTINUOUS: "continuous trading",
    Phase.CLOSING_AUCTION: "the closing auction",
    Phase.POST_CLOSE_TRADE: "the post-close closing-price session",
    Phase.AFTER_SINGLE: "the after-hours single-price session",
    Phase.PRE_MARKET: "the pre-market",
    Phase.AFTER_MARKET: "the after-market",
    Phase.HALTED: "a trading halt",
}

#: Which phase is "the" session when several are open: matching phases of the main market first,
#: the off-hours closing-price trades (which only ride along) next, halts last.
_PRIMARY_ORDER = (
    Phase.CONTINUOUS, Phase.OPENING_AUCTION, Phase.CLOSING_AUCTION, Phase.PRE_MARKET,
    Phase.AFTER_SINGLE, Phase.AFTER_MARKET, Phase.PRE_CLOSE_TRADE, Phase.POST_CLOSE_TRADE,
    Phase.HALTED,
)
_PRIMARY_RANK = {phase: i for i, phase in enumerate(_PRIMARY_ORDER)}


@dataclass(frozen=True, slots=True)
class SessionWindow:
    """One phase on one day: orders are taken from ``entry_start`` and match in [start, end)."""

    phase: Phase
    start: datetime
    end: datetime
    entry_start: datetime

    def accepts_orders(self, when: datetime) -> bool:
        return self.entry_start <= when < self.end

    def is_matching(self, when: datetime) -> bool:
        return self.start <= when < self.end


def _at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), KST)


def _window(phase: Phase, start: datetime, end: datetime, entry: datetime | None = None) -> SessionWindow:
    return SessionWindow(phase, start, end, entry if entry is not None else start)


class KrxCalendar:
    """Trading days and sessions, with the special-day table as data.

    The module-level functions use one shared default instance; configuration changes it with
    :func:`set_csat_days`, :func:`set_nxt_open_delay` and :func:`register_override`. Tests or
    backtests that need other rules can build their own instance.
    """

    def __init__(
        self,
        *,
        csat_days: Iterable[date] = CSAT_DAYS,
        nxt_open_delay: timedelta = timedelta(0),
        extra_holidays: Iterable[date] = (),
        extra_trading_days: Iterable[date] = (),
    ) -> None:
        self._csat = frozenset(csat_days)
        # NXT's main market is widely quoted as starting 30 s late (09:00:30, 10:00:30 on the
        # first trading day); §3.4 leaves it [U] and says to default to on the hour.
        self._nxt_delay = nxt_open_delay
        self._extra_holidays = set(extra_holidays)
        self._extra_trading_days = set(extra_trading_days)
        self._overrides: dict[tuple[date, Venue], tuple[SessionWindow, ...]] = {}
        self._holidays: dict[int, frozenset[date]] = {}
        self._sessions: dict[tuple[date, Venue], tuple[SessionWindow, ...]] = {}

    # -- configuration ---------------------------------------------------------------------

    @property
    def csat_days(self) -> frozenset[date]:
        return self._csat

    def set_csat_days(self, days: Iterable[date]) -> None:
        self._csat = frozenset(days)
        self._sessions.clear()

    @property
    def nxt_open_delay(self) -> timedelta:
        return self._nxt_delay

    def set_nxt_open_delay(self, delay: timedelta) -> None:
        if delay < timedelta(0) or delay >= timedelta(minutes=10):
            raise ValueError(f"NXT open delay out of range: {delay}")
        self._nxt_delay = delay
        self._sessions.clear()

    def add_holiday(self, day: date) -> None:
        """An ad-hoc closure announced after the ``holidays`` release in use."""
        self._extra_trading_days.discard(day)
        self._extra_holidays.add(day)
        self._sessions.clear()

    def add_trading_day(self, day: date) -> None:
        """A day the holiday rules close but KRX opens after all (a cancelled temporary holiday)."""
        self._extra_holidays.discard(day)
        self._extra_trading_days.add(day)
        self._sessions.clear()

    def register_override(self, day: date, venue: Venue, windows: Sequence[SessionWindow]) -> None:
        """Replace a day's sessions on one venue (an ad-hoc late open or early close notice)."""
        if venue is Venue.SOR:
            raise ValueError("register KRX and NXT separately; SOR is their union")
        for w in windows:
            if not (w.entry_start <= w.start < w.end):
                raise ValueError(f"window out of order: {w}")
            if any(t.tzinfo is None for t in (w.start, w.end, w.entry_start)):
                raise ValueError(f"window times must be timezone-aware: {w}")
        self._overrides[(day, venue)] = tuple(sorted(windows, key=lambda w: (w.start, w.end)))
        self._sessions.clear()

    def clear_override(self, day: date, venue: Venue | None = None) -> None:
        for v in (Venue.KRX, Venue.NXT) if venue is None else (venue,):
            self._overrides.pop((day, v), None)
        self._sessions.clear()

    # -- trading days ----------------------------------------------------------------------

    def holidays_in(self, year: int) -> frozenset[date]:
        """KRX closures on weekdays in ``year`` (the library drops weekend holidays)."""
        cached = self._holidays.get(year)
        if cached is None:
            cached = frozenset(holidays.financial_holidays("XKRX", years=year))
            self._holidays[year] = cached
        return cached

    def is_trading_day(self, day: date) -> bool:
        if day in self._extra_trading_days:
            return True
        if day.weekday() >= 5 or day in self._extra_holidays:
            return False
        return day not in self.holidays_in(day.year)

    def next_trading_day(self, day: date) -> date:
        """The first trading day strictly after ``day``."""
        day += timedelta(days=1)
        while not self.is_trading_day(day):
            day += timedelta(days=1)
        return day

    def previous_trading_day(self, day: date) -> date:
        """The last trading day strictly before ``day``."""
        day -= timedelta(days=1)
        while not self.is_trading_day(day):
            day -= timedelta(days=1)
        return day

    def trading_days(self, start: date, end: date) -> list[date]:
        """Trading days in [start, end], both ends included."""
        out = []
        day = start
        while day <= end:
            if self.is_trading_day(day):
                out.append(day)
            day += timedelta(days=1)
        return out

    def settlement_date(self, trade_day: date, days: int = 2) -> date:
        """T+2 in KRX business days (§5.1): a Friday trade settles on Tuesday."""
        if not self.is_trading_day(trade_day):
            raise ValueError(f"{trade_day} is not a KRX trading day")
        for _ in range(days):
            trade_day = self.next_trading_day(trade_day)
        return trade_day

    def is_first_trading_day(self, day: date) -> bool:
        return self.is_trading_day(day) and self.previous_trading_day(day).year < day.year

    # -- sessions --------------------------------------------------------------------------

    def sessions_on(self, day: date, venue: Venue = Venue.KRX) -> list[SessionWindow]:
        """The day's windows in start order; empty on a non-trading day (SOR: KRX ∪ NXT)."""
        key = (day, venue)
        cached = self._sessions.get(key)
        if cached is None:
            cached = self._build(day, venue)
            self._sessions[key] = cached
        return list(cached)

    def _build(self, day: date, venue: Venue) -> tuple[SessionWindow, ...]:
        if not self.is_trading_day(day):
            return ()
        if venue is Venue.SOR:
            both = self.sessions_on(day, Venue.KRX) + self.sessions_on(day, Venue.NXT)
            return tuple(sorted(both, key=lambda w: (w.start, w.end)))
        override = self._overrides.get((day, venue))
        if override is not None:
            return override
        csat = day in self._csat
        first = not csat and self.is_first_trading_day(day)
        if venue is Venue.KRX:
            return self._krx(day, csat=csat, first=first)
        return self._nxt(day, csat=csat, first=first) if day >= NXT_LAUNCH else ()

    def _krx(self, day: date, *, csat: bool, first: bool) -> tuple[SessionWindow, ...]:
        # First trading day: the open moves to 10:00 for the opening ceremony, the close stays.
        # CSAT day: everything moves one hour, but the evening sessions still end on time (§3.3).
        open_shift = timedelta(hours=1) if (csat or first) else timedelta(0)
        close_shift = timedelta(hours=1) if csat else timedelta(0)
        opening = _at(day, 8, 30) + open_shift
        cont = _at(day, 9) + open_shift
        closing = _at(day, 15, 20) + close_shift
        close = _at(day, 15, 30) + close_shift
        out = [
            _window(Phase.PRE_CLOSE_TRADE, opening, opening + timedelta(minutes=10)),
            _window(Phase.OPENING_AUCTION, opening, cont),
            _window(Phase.CONTINUOUS, cont, closing),
            _window(Phase.CLOSING_AUCTION, closing, close),
            _window(Phase.POST_CLOSE_TRADE, close + timedelta(minutes=10),
                    close + timedelta(minutes=30), entry=close),
        ]
        evening = close + timedelta(minutes=30)
        if day < KRX_EXTENDED_FROM:
            out.append(_window(Phase.AFTER_SINGLE, evening, _at(day, 18)))
        else:
            # A CSAT-day shift of the new sessions is not yet documented [U]; moving the
            # pre-market with the rest and ending the after-market on time mirrors §3.3.
            pre = _at(day, 7) + close_shift
            out.insert(0, _window(Phase.PRE_MARKET, pre, pre + timedelta(hours=1)))
            out.append(_window(Phase.AFTER_MARKET, evening, _at(day, 20)))
        return tuple(out)

    def _nxt(self, day: date, *, csat: bool, first: bool) -> tuple[SessionWindow, ...]:
        # NXT holds no pre-market when KRX opens late (first trading day, CSAT day), so there is
        # nothing to halt before its main market opens (§3.3; news1 2025-12-31).
        out = []
        main = _at(day, 9)
        if csat or first:
            main += timedelta(hours=1)
        else:
            out.append(_window(Phase.PRE_MARKET, _at(day, 8), _at(day, 8, 50)))
            out.append(_window(Phase.HALTED, _at(day, 8, 50), main + self._nxt_delay))
        close_shift = timedelta(hours=1) if csat else timedelta(0)
        halt = _at(day, 15, 20) + close_shift
        krx_close = _at(day, 15, 30) + close_shift
        out += [
            _window(Phase.CONTINUOUS, main + self._nxt_delay, halt),
            _window(Phase.HALTED, halt, krx_close),
            # 15:30-15:40 is order intake only; continuous matching runs from 15:40 (§3.4).
            _window(Phase.AFTER_MARKET, krx_close + timedelta(minutes=10), _at(day, 20),
                    entry=krx_close),
        ]
        return tuple(out)

    def windows_at(self, when: datetime, venue: Venue = Venue.KRX) -> list[SessionWindow]:
        """Every window taking orders at ``when``, the primary one first."""
        when = _kst(when)
        open_ = [w for w in self.sessions_on(when.date(), venue) if w.accepts_orders(when)]
        # A window that is matching now outranks one that only takes orders for later.
        open_.sort(key=lambda w: (not w.is_matching(when), _PRIMARY_RANK[w.phase]))
        return open_

    def phases_at(self, when: datetime, venue: Venue = Venue.KRX) -> frozenset[Phase]:
        """Every phase taking orders at ``when``; {CLOSED} when none is."""
        phases = frozenset(w.phase for w in self.windows_at(when, venue))
        return phases or frozenset({Phase.CLOSED})

    def session_at(self, when: datetime, venue: Venue = Venue.KRX) -> Phase:
        """The primary phase at ``when``: the main market's over the off-hours trades riding along."""
        windows = self.windows_at(when, venue)
        return windows[0].phase if windows else Phase.CLOSED


def _kst(when: datetime) -> datetime:
    if when.tzinfo is None:
        raise ValueError(f"naive datetime {when}: pass an aware time (lucy_tui.clock.KST)")
    return when.astimezone(KST)


# -- order types by phase and venue (§4, §9.4) -------------------------------------------------

#: The venues each order type may be sent to (§4 table, "KIS venues" column). Market orders reach
#: NXT only as IOC/FOK (codes 13/14 list NXT; plain 01 does not).
_TYPE_VENUES: dict[OrderType, frozenset[Venue]] = {
    OrderType.LIMIT: frozenset({Venue.KRX, Venue.NXT, Venue.SOR}),
    OrderType.MARKET: frozenset({Venue.KRX, Venue.SOR}),
    OrderType.CONDITIONAL: frozenset({Venue.KRX}),
    OrderType.BEST: frozenset({Venue.KRX, Venue.NXT, Venue.SOR}),
    OrderType.TOP: frozenset({Venue.KRX, Venue.NXT, Venue.SOR}),
    OrderType.PRE_CLOSE: frozenset({Venue.KRX}),
    OrderType.POST_CLOSE: frozenset({Venue.KRX}),
    OrderType.AFTER_SINGLE: frozenset({Venue.KRX}),
    OrderType.MIDPOINT: frozenset({Venue.KRX, Venue.NXT}),
    OrderType.STOP_LIMIT: frozenset({Venue.KRX, Venue.NXT}),
}
_IMMEDIATE_VENUES = frozenset({Venue.KRX, Venue.NXT, Venue.SOR})

_ALL_CONTINUOUS = frozenset({
    OrderType.LIMIT, OrderType.MARKET, OrderType.CONDITIONAL, OrderType.BEST, OrderType.TOP,
    OrderType.MIDPOINT, OrderType.STOP_LIMIT,
})
#: The extended sessions take limit, best-opposite and best-same-side orders (KIS codes 41-47 on
#: KRX; the same set on NXT's pre/after markets), IOC/FOK with limit and best-opposite only.
_EXTENDED = frozenset({OrderType.LIMIT, OrderType.BEST, OrderType.TOP})
_EXTENDED_IMMEDIATE = frozenset({OrderType.LIMIT, OrderType.BEST})

#: (types accepted as DAY orders, types accepted as IOC/FOK) per phase. Auctions collect priced or
#: market orders only: best/top need a live opposite book and IOC/FOK need continuous matching.
_KRX_PHASE_TYPES: dict[Phase, tuple[frozenset[OrderType], frozenset[OrderType]]] = {
    Phase.PRE_CLOSE_TRADE: (frozenset({OrderType.PRE_CLOSE}), frozenset()),
    Phase.OPENING_AUCTION: (frozenset({OrderType.LIMIT, OrderType.MARKET, OrderType.CONDITIONAL}),
                            frozenset()),
    Phase.CONTINUOUS: (_ALL_CONTINUOUS, IMMEDIATE_TYPES),
    Phase.CLOSING_AUCTION: (frozenset({OrderType.LIMIT, OrderType.MARKET}), frozenset()),
    Phase.POST_CLOSE_TRADE: (frozenset({OrderType.POST_CLOSE}), frozenset()),
    Phase.AFTER_SINGLE: (frozenset({OrderType.AFTER_SINGLE}), frozenset()),
    Phase.PRE_MARKET: (_EXTENDED, _EXTENDED_IMMEDIATE),
    Phase.AFTER_MARKET: (_EXTENDED, _EXTENDED_IMMEDIATE),
}
_NXT_PHASE_TYPES: dict[Phase, tuple[frozenset[OrderType], frozenset[OrderType]]] = {
    Phase.CONTINUOUS: (
        frozenset({OrderType.LIMIT, OrderType.BEST, OrderType.TOP, OrderType.MIDPOINT,
                   OrderType.STOP_LIMIT}),
        IMMEDIATE_TYPES,
    ),
    Phase.PRE_MARKET: (_EXTENDED, _EXTENDED_IMMEDIATE),
    Phase.AFTER_MARKET: (_EXTENDED, _EXTENDED_IMMEDIATE),
}
_TIF_KO = {TimeInForce.IOC: "IOC", TimeInForce.FOK: "FOK", TimeInForce.DAY: "당일"}


def _phase_accepts(table, order_type: OrderType, tif: TimeInForce, phase: Phase) -> bool:
    day_types, immediate_types = table.get(phase, (frozenset(), frozenset()))
    return order_type in (day_types if tif is TimeInForce.DAY else immediate_types)


def order_type_allowed(
    order_type: OrderType,
    tif: TimeInForce,
    phase: Phase,
    venue: Venue = Venue.KRX,
    on: date | None = None,
) -> Violation | None:
    """Why ``order_type``/``tif`` cannot be sent to ``venue`` during ``phase`` on ``on``, or None.

    ``on`` (None: today's rules) decides the dated rules: NXT and the mid-point and stop-limit
    types exist from 2025-03-04, the single-price session type only before 2026-09-14.
    """
    name = order_type.korean
    if on is not None and venue in (Venue.NXT, Venue.SOR) and on < NXT_LAUNCH:
        return Violation(ViolationCode.VENUE_NOT_ALLOWED,
                         f"넥스트레이드는 {NXT_LAUNCH.isoformat()}부터 운영합니다",
                         f"Nextrade opened on {NXT_LAUNCH.isoformat()}; route to KRX")
    if (on is not None and on < NEW_ORDER_TYPES_FROM
            and order_type in (OrderType.MIDPOINT, OrderType.STOP_LIMIT)):
        return Violation(ViolationCode.ORDER_TYPE_NOT_ALLOWED,
                         f"{name} 주문은 {NEW_ORDER_TYPES_FROM.isoformat()}부터 가능합니다",
                         f"{order_type.value} orders exist from {NEW_ORDER_TYPES_FROM.isoformat()}")
    if order_type is OrderType.AFTER_SINGLE and (on is None or on >= KRX_EXTENDED_FROM):
        return Violation(ViolationCode.ORDER_TYPE_NOT_ALLOWED,
                         f"시간외단일가는 {KRX_EXTENDED_FROM.isoformat()} 애프터마켓 도입으로 "
                         "폐지되었습니다",
                         "the after-hours single-price session was replaced by the KRX "
                         f"after-market on {KRX_EXTENDED_FROM.isoformat()}")
    if tif is not TimeInForce.DAY:
        if order_type not in IMMEDIATE_TYPES:
            return Violation(ViolationCode.ORDER_TYPE_NOT_ALLOWED,
                             f"{name} 주문에는 {_TIF_KO[tif]} 조건을 붙일 수 없습니다",
                             f"{tif.value.upper()} cannot be combined with a "
                             f"{order_type.value} order")
        venues = _IMMEDIATE_VENUES if order_type is not OrderType.MIDPOINT else \
            _TYPE_VENUES[OrderType.MIDPOINT]
    else:
        venues = _TYPE_VENUES[order_type]
    if venue not in venues:
        where = ", ".join(v.value for v in (Venue.KRX, Venue.NXT, Venue.SOR) if v in venues)
        return Violation(ViolationCode.VENUE_NOT_ALLOWED,
                         f"{name}{_tif_suffix(tif)} 주문은 {venue.value}에서 받지 않습니다 "
                         f"(가능: {where})",
                         f"{venue.value} does not accept {order_type.value}{_tif_suffix(tif)} "
                         f"orders (allowed: {where})")
    if phase is Phase.CLOSED:
        return Violation(ViolationCode.SESSION_CLOSED,
                         f"{venue.value} 주문 접수 시간이 아닙니다",
                         f"{venue.value} is not taking orders now")
    if phase is Phase.HALTED:
        return Violation(ViolationCode.HALTED,
                         f"{venue.value} 거래중단 시간입니다 (KRX 단일가 매매 중)",
                         f"{venue.value} is halted while KRX runs its auction")
    if venue is Venue.KRX:
        ok = _phase_accepts(_KRX_PHASE_TYPES, order_type, tif, phase)
    elif venue is Venue.NXT:
        ok = _phase_accepts(_NXT_PHASE_TYPES, order_type, tif, phase)
    else:
        # SOR routes to whichever venue is open and takes the order.
        ok = (_phase_accepts(_KRX_PHASE_TYPES, order_type, tif, phase)
              or _phase_accepts(_NXT_PHASE_TYPES, order_type, tif, phase))
    if not ok:
        return Violation(ViolationCode.ORDER_TYPE_NOT_ALLOWED,
                         f"{name}{_tif_suffix(tif)} 주문은 {phase.korean} 시간에 낼 수 없습니다",
                         f"{order_type.value}{_tif_suffix(tif)} orders are not accepted during "
                         f"{phase.english} on {venue.value}")
    return None


def _tif_suffix(tif: TimeInForce) -> str:
    return "" if tif is TimeInForce.DAY else f"({tif.value.upper()})"


# -- the shared default calendar ----------------------------------------------------------------

default_calendar = KrxCalendar()


def order_type_allowed_at(
    order_type: OrderType,
    tif: TimeInForce,
    when: datetime,
    venue: Venue = Venue.KRX,
    calendar: KrxCalendar | None = None,
) -> Violation | None:
    """:func:`order_type_allowed` against every phase open at ``when``: one that takes it is enough."""
    cal = calendar or default_calendar
    phases = sorted(cal.phases_at(when, venue), key=lambda p: _PRIMARY_RANK.get(p, -1))
    on = _kst(when).date()
    first: Violation | None = None
    for phase in phases:
        violation = order_type_allowed(order_type, tif, phase, venue, on)
        if violation is None:
            return None
        first = first or violation
    return first


def session_at(when: datetime, venue: Venue = Venue.KRX) -> Phase:
    return default_calendar.session_at(when, venue)


def phases_at(when: datetime, venue: Venue = Venue.KRX) -> frozenset[Phase]:
    return default_calendar.phases_at(when, venue)


def windows_at(when: datetime, venue: Venue = Venue.KRX) -> list[SessionWindow]:
    return default_calendar.windows_at(when, venue)


def sessions_on(day: date, venue: Venue = Venue.KRX) -> list[SessionWindow]:
    return default_calendar.sessions_on(day, venue)


def is_trading_day(day: date) -> bool:
    return default_calendar.is_trading_day(day)


def next_trading_day(day: date) -> date:
    return default_calendar.next_trading_day(day)


def previous_trading_day(day: date) -> date:
    return default_calendar.previous_trading_day(day)


def trading_days(start: date, end: date) -> list[date]:
    return default_calendar.trading_days(start, end)


def settlement_date(trade_day: date) -> date:
    return default_calendar.settlement_date(trade_day)


def add_months(day: date, n: int) -> date:
    """``day`` moved by ``n`` calendar months (back when negative); a day the target month lacks
    becomes its last day (05-31 three months back is 02-28)."""
    index = day.year * 12 + day.month - 1 + n
    year, month = divmod(index, 12)
    last = pycal.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def set_csat_days(days: Iterable[date]) -> None:
    default_calendar.set_csat_days(days)


def set_nxt_open_delay(delay: timedelta) -> None:
    default_calendar.set_nxt_open_delay(delay)


def register_override(day: date, venue: Venue, windows: Sequence[SessionWindow]) -> None:
    default_calendar.register_override(day, venue, windows)


def clear_override(day: date, venue: Venue | None = None) -> None:
    default_calendar.clear_override(day, venue)


def shifted(windows: Iterable[SessionWindow], by: timedelta) -> list[SessionWindow]:
    """Windows moved by ``by``: the usual shape of an ad-hoc late-open notice."""
    return [replace(w, start=w.start + by, end=w.end + by, entry_start=w.entry_start + by)
            for w in windows]
