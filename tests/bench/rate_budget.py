"""Rate budget: ``python tests/bench/rate_budget.py [CHILDREN]``.

A 200-child allocation (100 parents, each split over an LS account and one of the two KIS
accounts, so 100 LS children and 50 + 50 KIS children sharing one KIS app key) goes through the
engine to the simulator's KIS and LS fronts at their published mock-environment limits — no
overrides on either side: KIS 2 requests/s per app key, LS 10/s for the order TR CSPAT00601 (and
10/s for the quote TR t1102 the plan is priced with, the plan's first leg being LS; the engine
shares one quote among the parents, so t1102 is asked once). Cash checks
are off (``check_cash=False``) so that every request in the busy period is an order or a quote:
the figure is the pacing of the order path, not of buying-power inquiries (LS CSPBQ00200 is 1/s).

Every request is seen on the wire through httpx event hooks. For each limit, its share used is
``requests / (limit × (⌊T⌋ + 1))``, T being the seconds from the first to the last request on
that budget in the busy period — the most a one-second sliding window lets through in T, so the
figure is the share of what the broker would have taken over the time the sends took (a burst
in the first window counts as what it is, not as a rate above the limit). The busiest one-second
window is printed too (it must not exceed the limit). ``rate_limit_answers`` counts EGW00201 / IGW00201
answers seen. The last line printed is one JSON object. Not collected by pytest.
"""

from __future__ import annotations

import asyncio
import bisect
import json
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from lucy_tui.brokers.kis import KisBroker, KisSettings  # noqa: E402
from lucy_tui.brokers.kis.codes import DEFAULT_LIMITS, Domain  # noqa: E402
from lucy_tui.brokers.ls import codes as ls_codes  # noqa: E402
from lucy_tui.brokers.ls.client import LsBroker  # noqa: E402
from lucy_tui.brokers.ls.settings import LsSettings  # noqa: E402
from lucy_tui.domain.model import OrderStatus, Side  # noqa: E402
from lucy_tui.engine import Engine, Leg, PlaceOrder, Plan  # noqa: E402
from lucy_tui.sim.server import SimServer  # noqa: E402

CODE, PRICE = "005930", 269_000
RATE_CODES = ("EGW00201", "IGW00201")


class Wire:
    """Every request and answer of one httpx client: (sent at, path, tr, rate-limited)."""

    def __init__(self, header: str):
        self.header = header
        self.sent: list[tuple[float, str, str]] = []
        self.rate_limited = 0

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=httpx.Timeout(30.0),
                                 event_hooks={"request": [self._request],
                                              "response": [self._response]})

    async def _request(self, request: httpx.Request) -> None:
        self.sent.append((time.perf_counter(), request.url.path,
                          request.headers.get(self.header, "")))

    async def _response(self, response: httpx.Response) -> None:
        body = await response.aread()
        if any(code.encode() in body for code in RATE_CODES):
            self.rate_limited += 1


def share(stamps: list[float], limit: int) -> dict:
    stamps = sorted(stamps)
    if len(stamps) < 2:
        return {"requests": len(stamps), "seconds": 0.0, "share": 0.0, "max_in_1s": len(stamps)}
    span = stamps[-1] - stamps[0]
    most = max(bisect.bisect_left(stamps, t + 1.0) - i for i, t in enumerate(stamps))
    # The most a one-second sliding window lets through in a span of T seconds, starting with a
    # full budget, is limit × (⌊T⌋ + 1): the share is against that, so a burst within the first
    # window counts as what it is, not as a rate above the limit.
    allowed = limit * (int(span) + 1)
    return {"requests": len(stamps), "seconds": span, "share": len(stamps) / allowed,
            "max_in_1s": most}


async def run(children: int, tmp: Path) -> dict:
    async with SimServer(seed=11, market=False, session="always") as server:
        kis_wire, ls_wire = Wire("tr_id"), Wire("tr_cd")
        kc = server.credentials["kis"]["mock"]
        kis = KisBroker(KisSettings(
            app_key=kc["app_key"], app_secret=kc["app_secret"], hts_id=kc["hts_id"],
            accounts=tuple(KisSettings.make_account(n, label=f"kis{i}")
                           for i, n in enumerate(kc["accounts"])),
            env="mock", rest_url=server.urls["kis"]["rest"],
            ws_url=server.urls["kis"]["ws"] + "/tryitout", token_dir=tmp / "tokens"),
            http=kis_wire.client())
        lc = server.credentials["ls"]["mock"]
        ls = LsBroker(LsSettings(
            app_key=lc["app_key"], app_secret=lc["app_secret"],
            accounts=(LsSettings.make_account(lc["account"], "ls0"),), env="mock",
            rest_url=server.urls["ls"]["rest"], ws_url=server.urls["ls"]["ws"],
            token_dir=tmp / "ls-tokens"), http=ls_wire.client())
        engine = Engine(journal_dir=tmp / "journal", check_cash=False, journal_fsync=True)
        engine.add_broker(kis)
        engine.add_broker(ls)
        await engine.start()
        (kis0, kis1), ls0 = kis.accounts, ls.accounts[0]
        engine.add_plan(Plan("a", (Leg(ls0, Decimal(1)), Leg(kis0, Decimal(1)))))
        engine.add_plan(Plan("b", (Leg(ls0, Decimal(1)), Leg(kis1, Decimal(1)))))
        kis_from, ls_from = len(kis_wire.sent), len(ls_wire.sent)
        start = time.perf_counter()
        placements = await asyncio.gather(*(
            engine.place(PlaceOrder(CODE, Side.BUY, 2 + 2 * (i % 5), PRICE - 10_000,
                                    plan="ab"[i % 2], confirmed=True))
            for i in range(children // 2)))
        elapsed = time.perf_counter() - start
        kids = [o for o in engine.orders if o.parent_id]
        statuses = {s.name: n for s in OrderStatus
                    if (n := sum(o.status is s for o in kids))}
        at_sim = sum(len(server.exchange.orders(owner)) for owner in (
            f"kis:mock:{kis0.number}-{kis0.product}", f"kis:mock:{kis1.number}-{kis1.product}",
            f"ls:mock:{ls0.number}"))
        failed = [p.message for p in placements if not p.ok]
        await engine.close()
    kis_busy = [t for t, path, tr in kis_wire.sent[kis_from:] if "oauth2" not in path
                and "Approval" not in path]
    ls_orders = [t for t, path, tr in ls_wire.sent[ls_from:] if tr == ls_codes.CSPAT00601]
    ls_quotes = [t for t, path, tr in ls_wire.sent[ls_from:] if tr == ls_codes.T1102]
    return {"children": len(kids), "statuses": statuses, "at_sim": at_sim, "failed": failed,
            "elapsed_s": elapsed,
            "kis": share(kis_busy, DEFAULT_LIMITS[Domain.MOCK]),
            "ls_orders": share(ls_orders, ls_codes.TR_LIMITS[ls_codes.CSPAT00601]),
            "ls_quotes": share(ls_quotes, ls_codes.TR_LIMITS[ls_codes.T1102]),
            "rate_limit_answers": kis_wire.rate_limited + ls_wire.rate_limited,
            "kis_rate_limit_answers": kis_wire.rate_limited,
            "ls_rate_limit_answers": ls_wire.rate_limited}


def main() -> None:
    children = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as tmp:
        r = asyncio.run(run(children, Path(tmp)))
    k, lo, lq = r["kis"], r["ls_orders"], r["ls_quotes"]
    print(f"{r['children']} children in {r['elapsed_s']:.1f} s, statuses {r['statuses']}, "
          f"{r['at_sim']} orders at the simulator, {len(r['failed'])} parents failed")
    print(f"KIS (mock, {DEFAULT_LIMITS[Domain.MOCK]}/s per app key): {k['requests']} requests "
          f"in {k['seconds']:.2f} s = {k['share']:.1%} of the limit, busiest second {k['max_in_1s']}")
    print(f"LS CSPAT00601 ({ls_codes.TR_LIMITS[ls_codes.CSPAT00601]}/s): {lo['requests']} "
          f"requests in {lo['seconds']:.2f} s = {lo['share']:.1%}, busiest second {lo['max_in_1s']}")
    print(f"LS t1102 ({ls_codes.TR_LIMITS[ls_codes.T1102]}/s): {lq['requests']} requests in "
          f"{lq['seconds']:.2f} s = {lq['share']:.1%}, busiest second {lq['max_in_1s']}")
    print(f"rate-limit answers: KIS {r['kis_rate_limit_answers']}, LS {r['ls_rate_limit_answers']}")
    for message in r["failed"][:5]:
        print("failed:", message)
    print(json.dumps({"children": r["children"], "at_sim": r["at_sim"],
                      "kis_limit_share": round(k["share"], 4),
                      "ls_limit_share": round(lo["share"], 4),
                      "ls_quote_limit_share": round(lq["share"], 4),
                      "kis_max_in_1s": k["max_in_1s"], "ls_max_in_1s": lo["max_in_1s"],
                      "rate_limit_answers": r["rate_limit_answers"],
                      "elapsed_s": round(r["elapsed_s"], 1)}))


if __name__ == "__main__":
    main()
