"""Realtime market-data records: H0STCNT0 trades (46 fields) and H0STASP0 order book (59 fields),
kis.md §5.6-5.7. Values are text; signed changes carry a leading ``-``; rates have two decimals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_DOWN, Decimal

from ...domain.model import Level, Side
from ...brokers.kis import codes
from .quotes import sign


def _pct(num: int, den: int) -> str:
    if not den:
        return "0.00"
    return f"{(Decimal(num) * 100 / den).quantize(Decimal('0.01'), rounding=ROUND_DOWN):.2f}"


def _flat_sign(price: int, ref: int) -> str:
    return "2" if price > ref else "5" if price < ref else "3"


def mkop_cls_code(session: str, time: datetime) -> str:
    """NEW_MKOP_CLS_CODE of a trade (§5.6): session digit 1 pre / 2 regular / 3 post / 4 after-hours
    single price, then type digit 0 normal / 1 closing price."""
    morning = time.hour < 9
    if session == "close_price":
        return "11" if morning else "31"
    if session == "after_single":
        return "40"
    if session == "extended":
        return "10" if morning else "30"
    return "20"


def ccld_dvsn(session: str, time: datetime, side: Side | None) -> str:
    """CCLD_DVSN (§5.6): 3 for the pre-open auction's uncross, else 1 buy- / 5 sell-initiated."""
    if session == "auction" and time.hour < 12:
        return "3"
    return "5" if side is Side.SELL else "1"


@dataclass
class Tape:
    """Per-symbol running figures the trade record reports (counts and sums by aggressor)."""

    code: str
    turnover: int = 0
    sell_count: int = 0
    buy_count: int = 0
    sell_volume: int = 0
    buy_volume: int = 0
    open_time: str = ""
    high_time: str = ""
    low_time: str = ""
    high: int = 0
    low: int = 0
    day: str = ""
    extra: list[str] = field(default_factory=list)

    def apply(self, *, time: datetime, price: int, qty: int, side: Side | None,
              high: int, low: int) -> None:
        """Count one trade (cheap: runs for every trade, subscribed or not)."""
        day = time.strftime("%Y%m%d")
        hhmmss = time.strftime("%H%M%S")
        if day != self.day:
            self.__init__(self.code)  # a new trading day starts the counts afresh
            self.day = day
        self.turnover += price * qty
        if side is Side.SELL:
            self.sell_count += 1
            self.sell_volume += qty
        else:
            self.buy_count += 1
            self.buy_volume += qty
        if not self.open_time:
            self.open_time = hhmmss
        if high and high != self.high:
            self.high, self.high_time = high, hhmmss
        if low and low != self.low:
            self.low, self.low_time = low, hhmmss

    def record(self, *, time: datetime, price: int, qty: int, side: Side | None, cum_volume: int,
               open_: int, high: int, low: int, base: int, upper: int, lower: int,
               asks: list[Level], bids: list[Level], market_cls_code: bool = False,
               session: str = "regular") -> list[str]:
        """The H0STCNT0 record of the trade :meth:`apply` counted last."""
        day = time.strftime("%Y%m%d")
        hhmmss = time.strftime("%H%M%S")
        open_ = open_ or price
        high = high or price
        low = low or price
        volume = max(cum_volume, qty)
        vwap = Decimal(self.turnover) / volume if volume else Decimal(price)
        strength = _pct(self.buy_volume, self.sell_volume) if self.sell_volume else "0.00"
        change = price - base
        fields = [
            self.code,                                  # 0 MKSC_SHRN_ISCD
            hhmmss,                                     # 1 STCK_CNTG_HOUR
            str(price),                                 # 2 STCK_PRPR
            sign(price, base, upper, lower),            # 3 PRDY_VRSS_SIGN
            str(change),                                # 4 PRDY_VRSS
            _pct(change, base),                         # 5 PRDY_CTRT
            f"{vwap.quantize(Decimal('0.01'), rounding=ROUND_DOWN):.2f}",  # 6 WGHN_AVRG_STCK_PRC
            str(open_),                                 # 7 STCK_OPRC
            str(high),                                  # 8 STCK_HGPR
            str(low),                                   # 9 STCK_LWPR
            str(asks[0].price if asks else 0),          # 10 ASKP1
            str(bids[0].price if bids else 0),          # 11 BIDP1
            str(qty),                                   # 12 CNTG_VOL
            str(volume),                                # 13 ACML_VOL
            str(self.turnover),                         # 14 ACML_TR_PBMN
            str(self.sell_count),                       # 15 SELN_CNTG_CSNU
            str(self.buy_count),                        # 16 SHNU_CNTG_CSNU
            str(self.buy_count - self.sell_count),      # 17 NTBY_CNTG_CSNU
            strength,                                   # 18 CTTR
            str(self.sell_volume),                      # 19 SELN_CNTG_SMTN
            str(self.buy_volume),                       # 20 SHNU_CNTG_SMTN
            ccld_dvsn(session, time, side),             # 21 CCLD_DVSN
            _pct(self.buy_volume, self.buy_volume + self.sell_volume),  # 22 SHNU_RATE
            "0.00",                                     # 23 PRDY_VOL_VRSS_ACML_VOL_RATE
            self.open_time,                             # 24 OPRC_HOUR
            _flat_sign(price, open_),                   # 25 OPRC_VRSS_PRPR_SIGN
            str(price - open_),                         # 26 OPRC_VRSS_PRPR
            self.high_time or hhmmss,                   # 27 HGPR_HOUR
            _flat_sign(price, high),                    # 28 HGPR_VRSS_PRPR_SIGN
            str(price - high),                          # 29 HGPR_VRSS_PRPR
            self.low_time or hhmmss,                    # 30 LWPR_HOUR
            _flat_sign(price, low),                     # 31 LWPR_VRSS_PRPR_SIGN
            str(price - low),                           # 32 LWPR_VRSS_PRPR
            day,                                        # 33 BSOP_DATE
            mkop_cls_code(session, time),               # 34 NEW_MKOP_CLS_CODE
            "N",                                        # 35 TRHT_YN
            str(asks[0].qty if asks else 0),            # 36 ASKP_RSQN1
            str(bids[0].qty if bids else 0),            # 37 BIDP_RSQN1
            str(sum(lv.qty for lv in asks)),            # 38 TOTAL_ASKP_RSQN
            str(sum(lv.qty for lv in bids)),            # 39 TOTAL_BIDP_RSQN
            "0.00",                                     # 40 VOL_TNRT
            "0",                                        # 41 PRDY_SMNS_HOUR_ACML_VOL
            "0.00",                                     # 42 PRDY_SMNS_HOUR_ACML_VOL_RATE
            "0",                                        # 43 HOUR_CLS_CODE (continuous)
            "",                                         # 44 MRKT_TRTM_CLS_CODE
            str(open_),                                 # 45 VI_STND_PRC
        ]
        assert len(fields) == codes.H0STCNT0_FIELDS
        if market_cls_code:
            # 46 MARKET_CLS_CODE (unverified, opt-in): 1 pre, 2 regular, 3 after, 5 closing price
            fields.append({"1": "1", "2": "2", "3": "3", "4": "3"}[fields[34][0]]
                          if session != "close_price" else "5")
        return fields


@dataclass
class BookState:
    """Last totals sent per symbol, for the *_ICDC (change) fields of H0STASP0."""

    total_ask: int = 0
    total_bid: int = 0


def book_record(code: str, time: datetime, asks: list[Level], bids: list[Level], volume: int,
                state: BookState) -> list[str]:
    total_ask = sum(lv.qty for lv in asks[:10])
    total_bid = sum(lv.qty for lv in bids[:10])

    def level(side: list[Level], i: int, qty: bool) -> str:
        if i >= len(side):
            return "0"
        return str(side[i].qty if qty else side[i].price)

    fields = [code, time.strftime("%H%M%S"), "0"]
    fields += [level(asks, i, False) for i in range(10)]
    fields += [level(bids, i, False) for i in range(10)]
    fields += [level(asks, i, True) for i in range(10)]
    fields += [level(bids, i, True) for i in range(10)]
    fields += [
        str(total_ask), str(total_bid),                 # 43, 44
        "0", "0",                                       # 45, 46 OVTM_TOTAL_*_RSQN
        "0", "0", "0", "0", "3", "0.00",                # 47-52 expected-price fields (no auction)
        str(volume),                                    # 53 ACML_VOL
        str(total_ask - state.total_ask),               # 54 TOTAL_ASKP_RSQN_ICDC
        str(total_bid - state.total_bid),               # 55 TOTAL_BIDP_RSQN_ICDC
        "0", "0",                                       # 56, 57 OVTM_TOTAL_*_ICDC
        "0",                                            # 58 STCK_DEAL_CLS_CODE
    ]
    state.total_ask, state.total_bid = total_ask, total_bid
    assert len(fields) == codes.H0STASP0_FIELDS
    return fields
