"""Per-TR request budgets and IGW00201 (ls.md §6.1, §6.2)."""

from __future__ import annotations

import httpx
import pytest

from lucy_tui.sim.ls import LsOptions
from lswire import ACCNO, ETC, MARKET, Wire, base_price, make_server

RATE = {"rsp_cd": "IGW00201", "rsp_msg": "호출 거래건수를 초과하였습니다."}


async def _burst(call, n: int) -> list[httpx.Response]:
    return [await call() for _ in range(n)]


def _limited(responses: list[httpx.Response]) -> list[bool]:
    return [r.json().get("rsp_cd") == "IGW00201" for r in responses]


@pytest.mark.parametrize("tr,path,block,limit", [
    ("t0425", ACCNO, {"expcode": "", "chegb": "0", "medosu": "0", "sortgb": "1", "cts_ordno": ""}, 2),
    ("t0424", ACCNO, {"prcgb": "1", "chegb": "2", "dangb": "0", "charge": "0", "cts_expcode": ""}, 2),
    ("t1102", MARKET, {"shcode": "005930", "exchgubun": "K"}, 10),
    ("t8436", ETC, {"gubun": "1"}, 2),
    ("CSPAQ12200", ACCNO, {"BalCreTp": "0"}, 1),
    ("CSPAQ13700", ACCNO, {"OrdMktCode": "00", "BnsTpCode": "0", "IsuNo": "", "ExecYn": "0",
                           "OrdDt": "", "SrtOrdNo2": 999999999, "BkseqTpCode": "0",
                           "OrdPtnCode": "00"}, 1),
])
async def test_query_limits(real, tr, path, block, limit):
    real.sim.clock.advance(1)
    answers = await _burst(lambda: real.tr(path, tr, block, pace=False), limit + 1)
    assert _limited(answers) == [False] * limit + [True]
    over = answers[-1]
    assert (over.status_code, over.json()) == (500, RATE)
    assert (over.headers["tr_cd"], over.headers["tr_cont"], over.headers["tr_cont_key"]) == \
        (tr, "N", "")
    real.sim.clock.advance(1.001)
    assert _limited([await real.tr(path, tr, block, pace=False)]) == [False]


async def test_new_orders_ten_a_second_amend_and_cancel_three(real, sim):
    price = base_price(sim, "005930")
    sim.clock.advance(1)
    orders = await _burst(lambda: real.order("buy", "005930", 1, price - 10_000, pace=False), 11)
    assert _limited(orders) == [False] * 10 + [True]
    numbers = [r.json()["CSPAT00601OutBlock2"]["OrdNo"] for r in orders[:10]]
    amends = [await real.amend(n, "005930", 1, price - 9_000, pace=False) for n in numbers[:4]]
    assert _limited(amends) == [False, False, False, True]
    cancels = [await real.cancel(n, "005930", 1, pace=False) for n in numbers[5:9]]
    assert _limited(cancels) == [False, False, False, True]
    # The refused ones were never carried out: 10 orders, 3 amends, 3 cancels.
    rows = (await real.t0425()).json()["t0425OutBlock1"]
    assert len(rows) == 16


async def test_budgets_are_per_key_and_per_tr(real, real_b, sim):
    block = {"shcode": "005930", "exchgubun": "K"}
    sim.clock.advance(1)
    assert not any(_limited(await _burst(lambda: real.tr(MARKET, "t1102", block, pace=False), 10)))
    assert _limited([await real.tr(MARKET, "t1102", block, pace=False)]) == [True]
    assert _limited([await real_b.tr(MARKET, "t1102", block, pace=False)]) == [False]
    assert _limited([await real.tr(ETC, "t8436", {"gubun": "1"}, pace=False)]) == [False]


async def test_status_account_gate_and_corporate_table_are_options():
    options = LsOptions(rate_limit_status=429, account_limit=3, corporate=True)
    async with make_server(ls_options=options) as sim:
        async with httpx.AsyncClient(base_url=sim.urls["ls"]["rest"]) as http:
            real = await Wire(sim, "real", http).login()
            block = {"expcode": "", "chegb": "0", "medosu": "0", "sortgb": "1", "cts_ordno": ""}
            answers = await _burst(lambda: real.tr(ACCNO, "t0425", block, pace=False), 3)
            assert not any(_limited(answers))                 # corporate: t0425 10/s, not 2/s
            quote = await real.tr(MARKET, "t1102", {"shcode": "005930"}, pace=False)
            assert (quote.status_code, quote.json()) == (429, RATE)   # account-wide: 3/s
