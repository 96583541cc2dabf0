"""A synthetic market on top of the exchange: a fair price per symbol and participants trading it.

Per symbol, a fair price follows a seeded, mean-reverting log-normal walk kept well inside the
daily band, and is nudged by traded flow (aggressive buying lifts it). Two kinds of synthetic
participants trade through the ordinary exchange API, so everything they do is a real order:

* market makers (owner ``sim:mm``) keep ``levels`` price levels per side one tick either side of
  fair, each level made of one to three orders of random size (larger share counts for cheaper
  stocks, since a level is sized in won). When fair moves they cancel stale quotes and enter new
  ones; a new ask below a user's resting bid trades with it, which is how passive orders fill as
  the market moves through them. Levels taken out by trades are refilled behind whoever now
  stands at that price, so a user at the touch moves up the queue;
* takers (owner ``sim:taker``) arrive as a Poisson process per symbol with marketable orders
  (market or limit IOC at the touch) of random size, sometimes large enough to sweep several
  levels, and, when mid-point orders are resting, opposite mid-point IOC orders.

``step(dt)`` advances simulated time by ``dt`` seconds; the same seed and the same sequence of
``dt`` (and the same outside orders) give the same orders. ``run()`` drives it from the asyncio
loop. The cost of a step is mostly the symbols whose ladder changed; see
``tests/bench/exchange.py`` for measured figures.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections.abc import Iterable

from ..domain import krx
from ..domain.calendar import Phase
from ..domain.model import OrderType, Side, TimeInForce
from .events import ExchangeEvent, Trade
from .exchange import Exchange

MM = "sim:mm"
TAKER = "sim:taker"
#: Sessions with continuous matching, where quoting makes sense.
_QUOTING = frozenset({Phase.CONTINUOUS, Phase.PRE_MARKET, Phase.AFTER_MARKET})
#: Seconds in a regular KRX day (09:00-15:30), to turn a daily volatility into a per-second one.
_DAY_SECONDS = 23_400


class _Book:
    """What the market keeps about one symbol."""

    __slots__ = ("code", "kind", "market", "lot", "base", "log_base", "log_fair", "log_lo",
                 "log_hi", "lower", "upper", "bid0", "ask0", "want_bids", "want_asks", "bids",
                 "asks", "unit", "touched", "flow")

    def __init__(self, code: str, kind, market, lot: int, base: int, lower: int, upper: int,
                 unit: int):
        self.code = code
        self.kind = kind
        self.market = market
        self.lot = lot
        self.base = base
        self.log_base = math.log(base)
        self.log_fair = self.log_base
        # Fair stays within half the band's width either way, so quotes never reach the limits.
        self.log_lo = math.log(base - (base - lower) // 2)
        self.log_hi = math.log(base + (upper - base) // 2)
        self.lower = lower
        self.upper = upper
        self.bid0 = 0
        self.ask0 = 0
        self.want_bids: tuple[int, ...] = ()
        self.want_asks: tuple[int, ...] = ()
        self.bids: dict[int, list[int]] = {}   # price -> market-maker order ids
        self.asks: dict[int, list[int]] = {}
        self.unit = unit                        # typical shares per order at this price
        self.touched = False                    # traded since the last step: check for holes
        self.flow = 0                           # signed traded shares since the last step


class SyntheticMarket:
    def __init__(self, exchange: Exchange, *, seed: int | None = None,
                 codes: Iterable[str] | None = None, levels: int = 5, daily_vol: float = 0.03,
                 taker_rate: float = 0.25, level_value: int = 15_000_000,
                 impact: float = 0.15, refresh_rate: float = 0.05, midpoint_rate: float = 0.2,
                 reversion_half_life: float = 7_200.0, max_dt: float = 2.0):
        """``taker_rate``: marketable orders per symbol per second; ``level_value``: typical
        won value of one market-maker order; ``impact``: fair moves this many ticks-worth of
        log-return per level of net traded size; ``refresh_rate``: chance per symbol per second
        that one level is re-sized; ``midpoint_rate``: mid-point IOC orders per symbol per second
        while mid-point orders rest; ``max_dt`` caps one step (a suspended laptop must not
        unleash an hour of trading at once)."""
        if levels < 1:
            raise ValueError("levels must be at least 1")
        self.exchange = exchange
        self.seed = exchange.seed if seed is None else seed
        self.rng = random.Random(self.seed)
        self.levels = levels
        self.sigma = daily_vol / math.sqrt(_DAY_SECONDS)
        self.taker_rate = taker_rate
        self.level_value = level_value
        self.impact = impact
        self.refresh_rate = refresh_rate
        self.midpoint_rate = midpoint_rate
        self.kappa = math.log(2) / reversion_half_life
        self.max_dt = max_dt
        self.steps = 0
        self.step_seconds = 0.0          # total wall time spent in step()
        self.max_step_seconds = 0.0
        self._books: dict[str, _Book] = {}
        wanted = list(codes) if codes is not None else exchange.codes()
        for code in wanted:
            inst = exchange.instrument(code)
            if inst is None:
                raise KeyError(f"unknown symbol {code!r}")
            if inst.base_price <= 0 or inst.halted:
                continue  # nothing to anchor a price on, or nothing may trade
            self._books[code] = self._new_book(code)
        self._list = list(self._books.values())
        self._quoting = False
        self._day = exchange.day
        exchange.add_listener(self._on_event)
        self._refresh_all()

    # ------------------------------------------------------------------ public

    @property
    def codes(self) -> list[str]:
        return list(self._books)

    def fair(self, code: str) -> float:
        """The current fair price (a model quantity, never an order price)."""
        return math.exp(self._books[code].log_fair)

    def step(self, dt: float) -> None:
        """Advance the market by ``dt`` seconds of simulated time."""
        started = time.perf_counter()
        try:
            self._step(min(max(dt, 0.0), self.max_dt))
        finally:
            spent = time.perf_counter() - started
            self.steps += 1
            self.step_seconds += spent
            if spent > self.max_step_seconds:
                self.max_step_seconds = spent

    async def run(self, interval: float = 0.1) -> None:
        """Step forever with the wall-clock time elapsed between steps (cancel to stop)."""
        loop = asyncio.get_running_loop()
        last = loop.time()
        while True:
            await asyncio.sleep(interval)
            now = loop.time()
            self.step(now - last)
            last = now

    def close(self) -> None:
        self.exchange.remove_listener(self._on_event)

    def _new_book(self, code: str) -> _Book:
        inst = self.exchange.instrument(code)
        quote = self.exchange.quote(code)
        base = inst.base_price
        lower = quote.lower_limit or max(1, base // 2)
        upper = quote.upper_limit or base * 3 // 2
        unit = max(inst.lot, self.level_value // base // inst.lot * inst.lot)
        return _Book(code, inst.kind, inst.market, inst.lot, base, lower, upper, unit)

    def _anchor(self) -> None:
        """A new trading day moved base prices and bands: follow them.

        Fair carries over (clamped into the new band) and the resting quotes stay known, so the
        next re-quote cancels whatever the new ladder no longer wants.
        """
        for i, old in enumerate(self._list):
            b = self._new_book(old.code)
            b.log_fair = min(max(old.log_fair, b.log_lo), b.log_hi)
            b.bids, b.asks = old.bids, old.asks
            self._list[i] = self._books[b.code] = b

    # ------------------------------------------------------------------ the step

    def _step(self, dt: float) -> None:
        quoting = self.exchange.phase in _QUOTING
        if not quoting:
            self._quoting = False
            return
        day = self.exchange.day
        if day != self._day:
            self._day = day
            self._anchor()
        if not self._quoting:
            self._refresh_all()   # a new session: everything from before has expired
        rng = self.rng
        gauss = rng.gauss
        if dt > 0:
            drift = self.kappa * dt
            vol = self.sigma * math.sqrt(dt)
            impact = self.impact
            for b in self._list:
                x = b.log_fair
                x += drift * (b.log_base - x) + vol * gauss(0.0, 1.0)
                if b.flow:
                    # Net buying of about one level's size lifts fair by ``impact`` ticks.
                    ref = b.bid0 or b.base
                    x += impact * b.flow / (b.unit * 2) * self._tick(b, ref) / ref
                    b.flow = 0
                b.log_fair = b.log_lo if x < b.log_lo else b.log_hi if x > b.log_hi else x
        for b in self._list:
            fair = math.exp(b.log_fair)
            if b.touched or not (b.bid0 <= fair < b.ask0):
                self._requote(b, fair)
        if dt <= 0:
            return
        n = len(self._list)
        if not n:
            return
        for _ in range(self._poisson(self.refresh_rate * n * dt)):
            self._resize(self._list[rng.randrange(n)])
        for _ in range(self._poisson(self.taker_rate * n * dt)):
            self._taker(self._list[rng.randrange(n)])
        if self.midpoint_rate:
            for b in self._list:
                buy_qty, sell_qty = self.exchange.midpoint_interest(b.code)
                if (buy_qty or sell_qty) and rng.random() < self.midpoint_rate * dt:
                    self._midpoint_taker(b, buy_qty, sell_qty)

    def _poisson(self, lam: float) -> int:
        if lam <= 0:
            return 0
        if lam > 30:
            return max(0, round(self.rng.gauss(lam, math.sqrt(lam))))
        limit = math.exp(-lam)
        k, p = 0, self.rng.random()
        while p > limit:
            k += 1
            p *= self.rng.random()
        return k

    def _tick(self, b: _Book, price: int) -> int:
        return krx.tick_size(price, b.kind, b.market)

    def _on_event(self, event: ExchangeEvent) -> None:
        if type(event) is Trade:
            b = self._books.get(event.code)
            if b is not None:
                b.touched = True
                b.flow += event.qty if event.side is Side.BUY else -event.qty

    # ------------------------------------------------------------------ market makers

    def _refresh_all(self) -> None:
        if self.exchange.phase not in _QUOTING:
            return
        self._quoting = True
        for b in self._list:
            b.bids.clear()
            b.asks.clear()
            b.bid0 = b.ask0 = 0
            self._requote(b, math.exp(b.log_fair))

    def _ladder(self, b: _Book, fair: float) -> None:
        kind, market = b.kind, b.market
        bid0 = krx.round_to_tick(max(int(fair), b.lower), kind, market)
        ask0 = krx.tick_up(bid0, kind, market)
        if ask0 > b.upper:
            ask0 = krx.round_to_tick(b.upper, kind, market)
            bid0 = krx.tick_down(ask0, kind, market)
        bids, asks = [bid0], [ask0]
        for _ in range(self.levels - 1):
            down = krx.tick_down(bids[-1], kind, market)
            if down < b.lower or down == bids[-1]:
                break
            bids.append(down)
        for _ in range(self.levels - 1):
            up = krx.tick_up(asks[-1], kind, market)
            if up > b.upper:
                break
            asks.append(up)
        b.bid0, b.ask0 = bid0, ask0
        b.want_bids, b.want_asks = tuple(bids), tuple(asks)

    def _requote(self, b: _Book, fair: float) -> None:
        b.touched = False
        if not (b.bid0 <= fair < b.ask0):
            self._ladder(b, fair)
        ex = self.exchange
        # Stale quotes go first, so new asks can only meet other people's bids (and vice versa).
        for mine, want in ((b.bids, b.want_bids), (b.asks, b.want_asks)):
            for price in [p for p in mine if p not in want]:
                for oid in mine.pop(price):
                    if ex.leaves(oid):
                        ex.cancel(oid, owner=MM)
        # Asks before bids: when fair fell, the new asks are what trade with resting user bids.
        for mine, want, side in ((b.asks, b.want_asks, Side.SELL), (b.bids, b.want_bids, Side.BUY)):
            for price in want:
                ids = mine.get(price)
                if ids:
                    ids[:] = [oid for oid in ids if ex.leaves(oid)]
                    if ids:
                        continue
                self._fill_level(b, side, price, mine)

    def _fill_level(self, b: _Book, side: Side, price: int, mine: dict[int, list[int]]) -> None:
        ids = mine.setdefault(price, [])
        for _ in range(1 + self.rng.randrange(3)):
            result = self.exchange.submit(owner=MM, code=b.code, side=side,
                                          qty=self._size(b, 0.6), price=price)
            if result.order_id is not None and self.exchange.leaves(result.order_id):
                ids.append(result.order_id)

    def _size(self, b: _Book, sigma: float, scale: float = 1.0) -> int:
        lots = int(b.unit * scale * self.rng.lognormvariate(0.0, sigma)) // b.lot
        return max(1, lots) * b.lot

    def _resize(self, b: _Book) -> None:
        """Replace one level with a fresh random size, as real quotes come and go."""
        if not b.want_bids:
            return
        side = self.rng.randrange(2)
        mine, want = (b.bids, b.want_bids) if side == 0 else (b.asks, b.want_asks)
        price = want[self.rng.randrange(len(want))]
        for oid in mine.pop(price, ()):
            if self.exchange.leaves(oid):
                self.exchange.cancel(oid, owner=MM)
        self._fill_level(b, Side.BUY if side == 0 else Side.SELL, price, mine)

    # ------------------------------------------------------------------ takers

    def _taker(self, b: _Book) -> None:
        rng = self.rng
        fair = math.exp(b.log_fair)
        mid = (b.bid0 + b.ask0) / 2 or fair
        # Lean with fair's position inside the spread so the tape follows the walk.
        lean = max(-0.2, min(0.2, (fair - mid) / max(1, b.ask0 - b.bid0) * 0.4))
        side = Side.BUY if rng.random() < 0.5 + lean else Side.SELL
        qty = self._size(b, 1.0, 0.6)
        ex = self.exchange
        if rng.random() < 0.7:
            ex.submit(owner=TAKER, code=b.code, side=side, qty=qty, type=OrderType.MARKET,
                      tif=TimeInForce.IOC)
            return
        best_bid, best_ask = ex.best(b.code)
        price = best_ask if side is Side.BUY else best_bid
        if price is None:
            return
        ex.submit(owner=TAKER, code=b.code, side=side, qty=qty, price=price,
                  tif=TimeInForce.IOC)

    def _midpoint_taker(self, b: _Book, buy_qty: int, sell_qty: int) -> None:
        # Meet whichever side rests (the larger if both do), for part or all of it.
        side = Side.SELL if buy_qty >= sell_qty else Side.BUY
        resting = max(buy_qty, sell_qty)
        qty = min(resting, self._size(b, 1.0, 0.8))
        qty = max(b.lot, qty // b.lot * b.lot)
        self.exchange.submit(owner=TAKER, code=b.code, side=side, qty=qty,
                             type=OrderType.MIDPOINT, tif=TimeInForce.IOC)


__all__ = ["MM", "TAKER", "SyntheticMarket"]
