"""Market TRs: t1102 quote on ``/stock/market-data`` and t8436 stock master on ``/stock/etc``
(ls.md §4.10-4.11, krx.md §7.2).

t1102 answers one object with the REST guide's fields in order plus the NXT fields the spec
adds; integers are numbers, rates and ratios strings with two decimals. t8436 answers one array
row per listed security of the chosen market.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...brokers.ls import codes
from ...brokers.ls.codes import Outcome
from ...domain.model import InstrumentKind, Market
from .formats import sign, signed_rate
from .rest import Ctx, Reply, envelope

if TYPE_CHECKING:
    from .front import LsFront

O = Outcome

#: t1102 fields that are texts; the rest are numbers.
T1102_TEXT = frozenset({
    "hname", "sign", "opentime", "hightime", "lowtime", "high52wdate", "low52wdate", "memedan",
    "shcode", "highyeardate", "lowyeardate", "gsmm", "listdate", "name", "name2", "info1",
    "info2", "info3", "info4", "janginfo", "tonghwa", "info5", "spac_gubun", "alloc_gubun",
    "alloc_text", "shterm_text", "low_lqdt_gu", "abnormal_rise_gu", "lend_text", "ty_text",
    "nxt_janginfo", "nxt_shterm_text", "ex_shcode",
    *(f"{n}{i}" for i in range(1, 6) for n in ("offernocd", "bidnocd", "offerno", "bidno")),
})
#: t1102 numbers with decimals, written as strings with two places.
T1102_DECIMAL = frozenset({
    "diff", "volumediff", "exhratio", "per", "pbrx", "t_per", "ftradmddiff", "ftradmsdiff",
    "salert", "opert", "ordrt", "netrt", "epsrt",
    *(f"{n}{i}" for i in range(1, 6) for n in ("ddiff", "sdiff")),
})

_LISTED_SHARES = {"005930": 5_969_782_550}
_DEFAULT_SHARES = 100_000_000


def _blank(name: str) -> Any:
    if name in T1102_TEXT:
        return ""
    if name in T1102_DECIMAL:
        return "0.00"
    return 0


class LsQuotes:
    def __init__(self, front: LsFront):
        self.front = front

    def install(self, rest) -> None:
        rest.handle(codes.T1102, self.t1102)
        rest.handle(codes.T8436, self.t8436)

    # ------------------------------------------------------------ t1102

    def t1102(self, ctx: Ctx) -> Reply:
        _, code = codes.split_isu_no(ctx.text("shcode"))
        inst = self.front.instrument(code) if code else None
        quote = self.front.quote(code) if inst is not None else None
        if inst is None or quote is None:
            return Reply(envelope(self.front.messages.get(O.QUERY_EMPTY, ctx.domain)))
        last = quote.last or quote.base
        base = quote.base
        change = last - base
        volume, turnover = quote.volume, quote.turnover
        shares = _LISTED_SHARES.get(code, _DEFAULT_SHARES)
        tape = self.front.realtime.tape(code)
        out = {name: _blank(name) for name in codes.T1102_FIELDS}
        out.update({
            "hname": inst.name, "price": last,
            "sign": sign(last, base, quote.upper_limit, quote.lower_limit),
            "change": abs(change), "diff": signed_rate(change, base), "volume": volume,
            "recprice": base, "avg": turnover // volume if volume else last,
            "uplmtprice": quote.upper_limit, "dnlmtprice": quote.lower_limit,
            "open": quote.open or 0, "opentime": tape.open_time if tape else "",
            "high": quote.high or 0, "hightime": tape.high_time if tape else "",
            "low": quote.low or 0, "lowtime": tape.low_time if tape else "",
            "high52w": max(quote.high or last, base), "low52w": min(quote.low or last, base),
            "listing": shares // 1_000, "jkrate": 20, "memedan": f"{inst.lot:05d}",
            "shcode": code, "value": turnover // 1_000_000,
            "highyear": max(quote.high or last, base), "lowyear": min(quote.low or last, base),
            "parprice": 100, "total": last * shares // 100_000_000,
            "listdate": inst.listed_on.strftime("%Y%m%d") if inst.listed_on else "",
            "spac_gubun": "Y" if inst.spac else "N", "tonghwa": "원",
            "issueprice": inst.ipo_price or 0,
            "janginfo": "거래정지" if inst.halted else "",
            "ex_shcode": code,
            "krx_mcls_price": last,
        })
        return Reply(envelope(self.front.messages.get(O.QUERY_OK, ctx.domain), t1102OutBlock=out))

    # ------------------------------------------------------------ t8436

    def t8436(self, ctx: Ctx) -> Reply:
        gubun = ctx.text("gubun") or "0"
        wanted = {"1": Market.KOSPI, "2": Market.KOSDAQ}.get(gubun)
        rows = []
        for code in self.front.exchange.codes():
            inst = self.front.instrument(code)
            if inst is None or inst.market not in codes.MASTER_GUBUN:
                continue
            if wanted is not None and inst.market is not wanted:
                continue
            quote = self.front.quote(code)
            rows.append({
                "hname": inst.name,
                "shcode": inst.code,
                "expcode": inst.isin,
                "etfgubun": codes.ETF_GUBUN.get(inst.kind.value, "0"),
                "uplmtprice": quote.upper_limit if quote else 0,
                "dnlmtprice": quote.lower_limit if quote else 0,
                "jnilclose": inst.base_price,
                "memedan": f"{inst.lot:05d}",
                "recprice": quote.base if quote else inst.base_price,
                "gubun": codes.MASTER_GUBUN[inst.market],
                "bu12gubun": "01" if inst.kind is InstrumentKind.STOCK else "08",
                "spac_gubun": "Y" if inst.spac else "N",
                "filler": "",
            })
        outcome = O.QUERY_OK if rows else O.QUERY_EMPTY
        return Reply(envelope(self.front.messages.get(outcome, ctx.domain), t8436OutBlock=rows))
