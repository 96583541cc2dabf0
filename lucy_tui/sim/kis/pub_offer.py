"""예탁원정보(공모주청약일정) on the KIS front: the demo IPO calendar in KIS's wire format.

Fields and paging as specs/sources.md §5 describes them: rows in ``output1``; while more rows
remain the answer's ``tr_cont`` header is ``M`` and the client re-sends the same query with
``tr_cont: N``. The gateway already refuses the tr on the mock domain (real only), as KIS does.
The offerings are those of :mod:`lucy_tui.sim.ipo_demo`, so the 38.co.kr pages the simulator
serves and this endpoint describe the same deals.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Callable

from ...brokers.kis.codes import Msg, Outcome
from .. import ipo_demo
from .rest import Ctx, Reply, envelope, ymd_arg

if TYPE_CHECKING:
    from .front import KisFront

#: Rows per answer. KIS does not document it; small enough that the demo calendar pages.
PAGE_ROWS = 5
BAD_INPUT = Msg("2", "OPSQ2001", "ERROR : INPUT_FIELD_NAME F_DT")


class KisPubOffers:
    def __init__(self, front: KisFront, offerings: Callable[[date], list] = ipo_demo.offerings):
        self.front = front
        self.offerings = offerings
        # Continuation cursors: (app key, query) → rows already sent.
        self._sent: dict[tuple[str, tuple], int] = {}

    def install(self, rest) -> None:
        rest.handle("pub_offer", self.pub_offer)

    def pub_offer(self, ctx: Ctx) -> Reply:
        first, last = ymd_arg(ctx.arg("F_DT")), ymd_arg(ctx.arg("T_DT"))
        if first is None or last is None:
            field = "F_DT" if first is None else "T_DT"
            return Reply(envelope(Msg(BAD_INPUT.rt_cd, BAD_INPUT.msg_cd,
                                      f"ERROR : INPUT_FIELD_NAME {field}")))
        code = ctx.arg("SHT_CD").strip()
        today = self.front.clock.now().date()
        rows = [self._row(o, today) for o in self.offerings(today)
                if first <= o.start <= last and (not code or o.code == code)]
        key = (ctx.key.app_key, (first, last, code))
        offset = self._sent.get(key, 0) if ctx.tr_cont == "N" else 0
        page = rows[offset: offset + PAGE_ROWS]
        more = offset + PAGE_ROWS < len(rows)
        if more:
            self._sent[key] = offset + PAGE_ROWS
        else:
            self._sent.pop(key, None)
        msg = self.front.messages.get(ctx.domain, Outcome.INQUIRY_OK)
        return Reply(envelope(msg, output1=page), "M" if more else "D")

    @staticmethod
    def _row(o, today: date) -> dict[str, str]:
        priced = o.final_price is not None and o.start <= today
        return {
            "record_date": today.strftime("%Y%m%d"),
            "sht_cd": o.code,
            "isin_name": o.name,
            "fix_subscr_pri": f"{o.final_price:>12}" if priced else " " * 12,
            "face_value": "500",
            "subscr_dt": f"{o.start:%Y/%m/%d} ~ {o.end:%Y/%m/%d}",
            "pay_dt": f"{o.payment:%Y/%m/%d}",
            "refund_dt": f"{o.refund:%Y/%m/%d}",
            "list_dt": f"{o.listing:%Y/%m/%d}" if o.listing else "",
            "lead_mgr": o.underwriters[0],
            "pub_bf_cap": f"{o.shares * 2 * 500:,}",
            "pub_af_cap": f"{o.shares * 3 * 500:,}",
            "assign_stk_qty": f"{o.shares // 10}",
        }

