"""A synthetic past for every symbol of the exchange: daily candles, investor flow and brokers'
opinions that end exactly where the live market stands.

The live exchange only knows today. Chart, flow and opinion endpoints need years behind it, and
those must agree with what the exchange says now, so the history is walked *backwards* from
today's base price (yesterday's close): each earlier close is the later one divided by a seeded
log-normal daily return. The same seed and the same base give the same past, call after call;
when the day rolls (the base moves to the new close) the past is drawn again from there.

Each day's open, high and low are drawn around the close, rounded to the KRX tick and kept inside
that day's ±30 % band of the previous close; volume grows with the size of the move. Today's
candle, when the exchange has traded, is the exchange's own open/high/low/last/volume.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

from ..domain import krx
from ..domain.model import Instrument
from ..domain.research import Candle, InvestorFlow, Opinion
from .exchange import Exchange

#: Trading days of history kept per symbol (about three years).
DAYS = 750
DAILY_VOL = 0.021
#: Shares listed, as inquire-price reports them (lstn_stcn): one real figure, else 100 million.
LISTED = {"005930": 5_969_782_550}
DEFAULT_LISTED = 100_000_000

BROKERS = ("삼성증권", "미래에셋증권", "NH투자증권", "KB증권", "한국투자증권", "키움증권",
           "신한투자증권", "하나증권", "대신증권", "메리츠증권", "유안타증권", "교보증권")
#: (opinion text, class code); the codes are this simulator's own (the portal lists none).
OPINIONS = (("매수", "2"), ("BUY", "2"), ("Trading Buy", "2"), ("중립", "3"), ("HOLD", "3"),
            ("매도", "4"))


def listed_shares(code: str) -> int:
    return LISTED.get(code, DEFAULT_LISTED)


@dataclass(frozen=True, slots=True)
class FlowDay:
    flow: InvestorFlow
    buys: tuple[int, int, int]        # individual, foreign, institution shares bought


class PriceHistory:
    def __init__(self, exchange: Exchange, *, seed: int | None = None, days: int = DAYS,
                 daily_vol: float = DAILY_VOL):
        self.exchange = exchange
        self.seed = exchange.seed if seed is None else seed
        self.days = days
        self.daily_vol = daily_vol
        self._past: dict[str, tuple[tuple[date, int], list[Candle]]] = {}
        self._days: tuple[date, list[date]] | None = None

    # ------------------------------------------------------------------ prices

    def past(self, code: str) -> list[Candle]:
        """Daily candles before the exchange's current day, oldest first (cached per day)."""
        inst = self.exchange.instrument(code)
        if inst is None:
            raise KeyError(code)
        stamp = (self.exchange.day, inst.base_price)
        hit = self._past.get(code)
        if hit is None or hit[0] != stamp:
            hit = (stamp, self._draw(inst, self.exchange.day))
            self._past[code] = hit
        return hit[1]

    def daily(self, code: str) -> list[Candle]:
        """The past plus today's candle when the exchange has traded today."""
        candles = list(self.past(code))
        q = self.exchange.quote(code)
        if q.volume and q.open:
            candles.append(Candle(self.exchange.day, q.open, max(q.high, q.open, q.last),
                                  min(q.low, q.open, q.last), q.last, q.volume, q.turnover))
        return candles

    def _days_before(self, today: date) -> list[date]:
        if self._days is not None and self._days[0] == today:
            return self._days[1]
        cal = self.exchange.calendar
        out: list[date] = []
        day = today
        while len(out) < self.days:
            day = cal.previous_trading_day(day)
            out.append(day)
        out.reverse()
        self._days = (today, out)      # the same trading days serve every symbol
        return out

    def _draw(self, inst: Instrument, today: date) -> list[Candle]:
        if inst.base_price <= 0:
            return []
        rng = random.Random(f"history:{self.seed}:{inst.code}")
        days = self._days_before(today)
        n = len(days)
        kind, market = inst.kind, inst.market
        vol = self.daily_vol
        returns = [rng.gauss(0.0003, vol) for _ in range(n)]
        closes = [0] * n
        closes[-1] = inst.base_price
        for i in range(n - 1, 0, -1):
            r = max(-0.25, min(0.25, returns[i]))
            prev = max(1, int(closes[i] / math.exp(r)))
            closes[i - 1] = max(1, krx.round_to_tick(prev, kind, market))
        unit = max(1_000, listed_shares(inst.code) * 3 // 1_000)   # ~0.3 % of shares a day
        candles: list[Candle] = []
        prev_close = closes[0]
        for i, (day, close) in enumerate(zip(days, closes)):
            lo_band, hi_band = _band(prev_close)
            open_ = _tick(prev_close * math.exp(rng.gauss(0.0, vol * 0.35)), inst)
            open_ = min(max(open_, lo_band), hi_band)
            top, bottom = max(open_, close), min(open_, close)
            high = max(top, min(hi_band, _tick(top * math.exp(abs(rng.gauss(0, vol * 0.5))), inst)))
            low = min(bottom, max(lo_band, _tick(bottom * math.exp(-abs(rng.gauss(0, vol * 0.5))),
                                                 inst)))
            move = abs(close - prev_close) / prev_close if prev_close else 0.0
            volume = max(1, int(unit * rng.lognormvariate(0.0, 0.35) * (1 + 12 * move)))
            turnover = volume * (open_ + high + low + close) // 4
            candles.append(Candle(day, open_, high, low, close, volume, turnover))
            prev_close = close
        return candles

    # ------------------------------------------------------------------ investor flow

    def flows(self, code: str, count: int = 30) -> list[FlowDay]:
        """Net buying by investor group over the last ``count`` past days, newest first.

        Foreigners lean with the day's move, institutions half as much, and individuals take the
        other side, so the three nets sum to zero as exchange-wide nets do.
        """
        candles = self.past(code)
        out: list[FlowDay] = []
        for i in range(len(candles) - 1, max(-1, len(candles) - 1 - count), -1):
            c = candles[i]
            prev = candles[i - 1].close if i > 0 else c.open
            rng = random.Random(f"flow:{self.seed}:{code}:{c.day.isoformat()}")
            move = (c.close - prev) / prev if prev else 0.0
            lean = max(-1.0, min(1.0, move / (self.daily_vol * 2)))
            foreign = int(c.volume * (0.08 * lean + rng.gauss(0, 0.04)))
            institution = int(c.volume * (0.04 * lean + rng.gauss(0, 0.03)))
            individual = -(foreign + institution)
            avg = c.turnover // c.volume if c.volume else c.close
            nets = (individual, foreign, institution)
            shares = (0.55, 0.25, 0.20)
            buys = tuple(max(n, 0) + int(c.volume * s * 0.5) for n, s in zip(nets, shares))
            flow = InvestorFlow(day=c.day, close=c.close, change=c.close - prev,
                                individual=individual, foreign=foreign, institution=institution,
                                individual_value=individual * avg, foreign_value=foreign * avg,
                                institution_value=institution * avg)
            out.append(FlowDay(flow, buys))   # type: ignore[arg-type]
        return out

    # ------------------------------------------------------------------ opinions

    def opinions(self, code: str) -> list[tuple[Opinion, str, str]]:
        """Every broker report in the history, newest first: (opinion, class code, previous
        class code). ETFs and ETNs get none, as brokers do not cover them."""
        inst = self.exchange.instrument(code)
        if inst is None or inst.is_etp:
            return []
        candles = self.past(code)
        by_day = {c.day: i for i, c in enumerate(candles)}
        rng = random.Random(f"opinion:{self.seed}:{code}")
        reports: list[tuple[Opinion, str, str]] = []
        covering = rng.sample(BROKERS, k=3 + rng.randrange(len(BROKERS) - 3))
        for broker in covering:
            bullish = rng.random() < 0.8
            day = candles[0].day + timedelta(days=rng.randrange(60))
            last_text, last_code = "", ""
            while True:
                while day not in by_day and day <= candles[-1].day:
                    day += timedelta(days=1)
                if day > candles[-1].day:
                    break
                i = by_day[day]
                prev_close = candles[i - 1].close if i > 0 else candles[i].open
                pick = OPINIONS[rng.randrange(3)] if bullish or rng.random() < 0.3 \
                    else OPINIONS[3 + rng.randrange(3)]
                upside = rng.uniform(0.12, 0.45) if pick[1] == "2" else rng.uniform(-0.15, 0.08)
                target = _round_target(prev_close * (1 + upside))
                reports.append((Opinion(day=day, broker=broker, opinion=pick[0],
                                        previous_opinion=last_text, target=target,
                                        prev_close=prev_close), pick[1], last_code))
                last_text, last_code = pick
                day += timedelta(days=35 + rng.randrange(70))
        reports.sort(key=lambda r: (r[0].day, r[0].broker), reverse=True)
        return reports


def _band(prev_close: int) -> tuple[int, int]:
    width = prev_close * 30 // 100
    return max(1, prev_close - width), prev_close + width


def _tick(value: float, inst: Instrument) -> int:
    return max(1, krx.round_to_tick(max(1, int(value)), inst.kind, inst.market))


def _round_target(value: float) -> int:
    step = 1_000 if value >= 50_000 else 100 if value >= 5_000 else 10
    return max(step, int(value) // step * step)
