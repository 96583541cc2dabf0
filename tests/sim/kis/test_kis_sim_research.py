"""Research endpoints on the wire: period chart, finance statements and ratios, investor flow,
opinions (layouts in lucy_tui/brokers/kis/research_codes.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kiswire import Wire, base_price

CHART = "/uapi/domestic-stock/v1/quotations/inquire-daily-itemchartprice"
INVESTOR = "/uapi/domestic-stock/v1/quotations/inquire-investor"
OPINION = "/uapi/domestic-stock/v1/quotations/invest-opinion"
BALANCE_SHEET = "/uapi/domestic-stock/v1/finance/balance-sheet"
INCOME = "/uapi/domestic-stock/v1/finance/income-statement"
FIN_RATIO = "/uapi/domestic-stock/v1/finance/financial-ratio"
PROFIT = "/uapi/domestic-stock/v1/finance/profit-ratio"
STABILITY = "/uapi/domestic-stock/v1/finance/stability-ratio"
GROWTH = "/uapi/domestic-stock/v1/finance/growth-ratio"
MINUTE = "/uapi/domestic-stock/v1/quotations/inquire-time-itemchartprice"


def _chart(code="005930", start="20250101", end="20261124", period="D"):
    return {"FID_COND_MRKT_DIV_CODE": "J", "FID_INPUT_ISCD": code, "FID_INPUT_DATE_1": start,
            "FID_INPUT_DATE_2": end, "FID_PERIOD_DIV_CODE": period, "FID_ORG_ADJ_PRC": "0"}


def _fin(code="005930", div="0"):
    # Lower-case keys, as the official sample sends them.
    return {"FID_DIV_CLS_CODE": div, "fid_cond_mrkt_div_code": "J", "fid_input_iscd": code}


async def test_daily_chart_ends_at_the_live_base_price_newest_first(mock: Wire, sim):
    resp = await mock.get(CHART, "FHKST03010100", _chart())
    body = resp.json()
    assert resp.status_code == 200 and body["rt_cd"] == "0"
    rows = body["output2"]
    assert len(rows) == 100                                   # at most 100 per call
    days = [r["stck_bsop_date"] for r in rows]
    assert days == sorted(days, reverse=True)
    # The market is off: nothing traded today, so the newest candle is yesterday, closing at
    # today's base price (2026-11-24 is a Tuesday: yesterday is Monday the 23rd).
    assert days[0] == "20261123"
    assert int(rows[0]["stck_clpr"]) == base_price(sim, "005930")
    assert body["output1"]["stck_prdy_clpr"] == str(base_price(sim, "005930"))
    for r in rows:
        o, h, l, c = (int(r[k]) for k in ("stck_oprc", "stck_hgpr", "stck_lwpr", "stck_clpr"))
        assert l <= min(o, c) <= max(o, c) <= h
        assert date(int(r["stck_bsop_date"][:4]), int(r["stck_bsop_date"][4:6]),
                    int(r["stck_bsop_date"][6:])).weekday() < 5
    # Each row's change is against the row before it (the older one).
    for newer, older in zip(rows, rows[1:]):
        assert int(newer["prdy_vrss"]) == int(newer["stck_clpr"]) - int(older["stck_clpr"])


async def test_chart_is_the_same_on_a_second_call_and_weeks_fold_the_days(real: Wire):
    first = (await real.get(CHART, "FHKST03010100", _chart(start="20261001"))).json()["output2"]
    again = (await real.get(CHART, "FHKST03010100", _chart(start="20261001"))).json()["output2"]
    assert first == again
    weeks = (await real.get(CHART, "FHKST03010100",
                            _chart(start="20261001", period="W"))).json()["output2"]
    days = {r["stck_bsop_date"]: r for r in first}
    # The newest complete week's candle closes at its last day's close, with the max high.
    week = weeks[1]
    last = days[week["stck_bsop_date"]]
    assert week["stck_clpr"] == last["stck_clpr"]
    in_week = [r for d, r in days.items()
               if date.fromisoformat(f"{d[:4]}-{d[4:6]}-{d[6:]}").isocalendar()[:2] ==
               date.fromisoformat(f"{last['stck_bsop_date'][:4]}-{last['stck_bsop_date'][4:6]}-"
                                  f"{last['stck_bsop_date'][6:]}").isocalendar()[:2]]
    assert int(week["stck_hgpr"]) == max(int(r["stck_hgpr"]) for r in in_week)
    assert int(week["acml_vol"]) == sum(int(r["acml_vol"]) for r in in_week)


async def test_chart_input_errors(mock: Wire):
    bad_period = (await mock.get(CHART, "FHKST03010100", _chart(period="X"))).json()
    assert bad_period["rt_cd"] == "2" and bad_period["msg_cd"] == "OPSQ2001"
    unknown = (await mock.get(CHART, "FHKST03010100", _chart(code="999999"))).json()
    assert unknown["rt_cd"] == "7"


async def test_finance_is_real_only(mock: Wire):
    resp = await mock.get(BALANCE_SHEET, "FHKST66430100", _fin())
    assert resp.status_code == 500 and resp.json()["msg_cd"] == "EGW02006"


async def test_balance_sheet_and_income_statement_add_up(real: Wire):
    sheet = (await real.get(BALANCE_SHEET, "FHKST66430100", _fin())).json()
    assert sheet["rt_cd"] == "0"
    rows = sheet["output"]
    assert [r["stac_yymm"] for r in rows] == ["202512", "202412", "202312", "202212", "202112"]
    for r in rows:
        d = {k: Decimal(v) for k, v in r.items() if k != "stac_yymm"}
        assert d["total_aset"] == d["cras"] + d["fxas"]
        assert d["total_lblt"] == d["flow_lblt"] + d["fix_lblt"]
        assert d["total_cptl"] == d["total_aset"] - d["total_lblt"]
        assert d["total_cptl"] == d["cpfn"] + d["cfp_surp"] + d["prfi_surp"]
    income = (await real.get(INCOME, "FHKST66430200", _fin(div="1"))).json()["output"]
    assert len(income) == 8 and income[0]["stac_yymm"] == "202609"
    for r in income:
        d = {k: Decimal(v) for k, v in r.items() if k != "stac_yymm"}
        assert d["sale_totl_prfi"] == d["sale_account"] - d["sale_cost"]
        assert d["bsop_prti"] == d["sale_totl_prfi"] - d["sell_mang"]
    # Quarters are cumulative within the year: September's revenue exceeds June's.
    by = {r["stac_yymm"]: Decimal(r["sale_account"]) for r in income}
    assert by["202609"] > by["202606"] > by["202603"]


async def test_ratios_are_computed_from_the_statements(real: Wire):
    sheet = (await real.get(BALANCE_SHEET, "FHKST66430100", _fin())).json()["output"][0]
    income = (await real.get(INCOME, "FHKST66430200", _fin())).json()["output"][0]
    stability = (await real.get(STABILITY, "FHKST66430600", _fin())).json()["output"][0]
    profit = (await real.get(PROFIT, "FHKST66430400", _fin())).json()["output"][0]
    ratio = (await real.get(FIN_RATIO, "FHKST66430300", _fin())).json()["output"][0]
    growth = (await real.get(GROWTH, "FHKST66430800", _fin())).json()["output"]
    debt = Decimal(sheet["total_lblt"]) * 100 / Decimal(sheet["total_cptl"])
    assert abs(Decimal(stability["lblt_rate"]) - debt) < Decimal("0.01")
    assert ratio["lblt_rate"] == stability["lblt_rate"]
    margin = Decimal(income["sale_totl_prfi"]) * 100 / Decimal(income["sale_account"])
    assert abs(Decimal(profit["sale_totl_rate"]) - margin) < Decimal("0.01")
    assert profit["self_cptl_ntin_inrt"] == ratio["roe_val"]
    assert set(growth[0]) == {"stac_yymm", "grs", "bsop_prfi_inrt", "equt_inrt", "totl_aset_inrt"}


async def test_etf_has_no_statements(real: Wire):
    body = (await real.get(BALANCE_SHEET, "FHKST66430100", _fin(code="069500"))).json()
    assert body["rt_cd"] == "0" and body["output"] == []


async def test_investor_flow_closes_match_the_chart_and_nets_sum_to_zero(mock: Wire):
    flow = (await mock.get(INVESTOR, "FHKST01010900",
                           {"FID_COND_MRKT_DIV_CODE": "J", "FID_INPUT_ISCD": "005930"})).json()
    assert flow["rt_cd"] == "0"
    rows = flow["output"]
    assert len(rows) == 30
    chart = (await mock.get(CHART, "FHKST03010100", _chart(start="20260901"))).json()["output2"]
    closes = {r["stck_bsop_date"]: r["stck_clpr"] for r in chart}
    for r in rows:
        assert closes[r["stck_bsop_date"]] == r["stck_clpr"]
        nets = [int(r[f"{p}_ntby_qty"]) for p in ("prsn", "frgn", "orgn")]
        assert sum(nets) == 0
        for p in ("prsn", "frgn", "orgn"):
            assert int(r[f"{p}_shnu_vol"]) - int(r[f"{p}_seln_vol"]) == int(r[f"{p}_ntby_qty"])


async def test_opinions_in_range_with_targets_and_gaps(real: Wire, mock: Wire):
    query = {"FID_COND_MRKT_DIV_CODE": "J", "FID_COND_SCR_DIV_CODE": "16633",
             "FID_INPUT_ISCD": "005930", "FID_INPUT_DATE_1": "20260501",
             "FID_INPUT_DATE_2": "20261124"}
    body = (await real.get(OPINION, "FHKST663300C0", query)).json()
    assert body["rt_cd"] == "0"
    rows = body["output"]
    assert rows, "a large cap is covered by several brokers in half a year"
    assert all("20260501" <= r["stck_bsop_date"] <= "20261124" for r in rows)
    assert [r["stck_bsop_date"] for r in rows] == sorted((r["stck_bsop_date"] for r in rows),
                                                         reverse=True)
    for r in rows:
        assert int(r["hts_goal_prc"]) > 0 and r["mbcr_name"]
        assert r["invt_opnn_cls_code"] in ("2", "3", "4")
    refused = await mock.get(OPINION, "FHKST663300C0", query)
    assert refused.status_code == 500 and refused.json()["msg_cd"] == "EGW02006"


async def test_minute_chart_bars_up_to_the_asked_minute(mock: Wire, sim):
    from lucy_tui.domain.model import OrderType, Side, TimeInForce

    base = base_price(sim, "005930")
    for i in range(3):                             # trades at 10:00, 10:01 and 10:02
        sim.exchange.submit(owner="t:a", code="005930", side=Side.SELL, qty=2, price=base + 500 * i)
        sim.exchange.submit(owner="t:b", code="005930", side=Side.BUY, qty=2,
                            type=OrderType.MARKET, tif=TimeInForce.IOC)
        sim.clock.advance(60)
    query = {"FID_ETC_CLS_CODE": "", "FID_COND_MRKT_DIV_CODE": "J", "FID_INPUT_ISCD": "005930",
             "FID_INPUT_HOUR_1": "100130", "FID_PW_DATA_INCU_YN": "N"}
    body = (await mock.get(MINUTE, "FHKST03010200", query)).json()
    assert body["rt_cd"] == "0"
    rows = body["output2"]
    assert [r["stck_cntg_hour"] for r in rows] == ["100100", "100000"]      # newest first
    assert rows[0]["stck_prpr"] == str(base + 500) and rows[0]["cntg_vol"] == "2"
    assert body["output1"]["stck_prpr"] == str(base + 1_000)
    # A future hour answers as of now; a malformed one is refused.
    later = (await mock.get(MINUTE, "FHKST03010200", {**query, "FID_INPUT_HOUR_1": "153000"})).json()
    assert len(later["output2"]) == 3
    bad = (await mock.get(MINUTE, "FHKST03010200", {**query, "FID_INPUT_HOUR_1": "10:00"})).json()
    assert bad["rt_cd"] == "2"


async def test_inquire_price_agrees_with_the_chart_and_the_statements(real: Wire):
    price = (await real.get("/uapi/domestic-stock/v1/quotations/inquire-price", "FHKST01010100",
                            {"FID_COND_MRKT_DIV_CODE": "J", "FID_INPUT_ISCD": "005930"})).json()
    out = price["output"]
    chart = []
    # Three calls of fewer than 100 trading days each cover the year.
    for start, end in (("20251125", "20260228"), ("20260301", "20260630"),
                       ("20260701", "20261124")):
        chart += (await real.get(CHART, "FHKST03010100",
                                 _chart(start=start, end=end))).json()["output2"]
    year = [r for r in chart if r["stck_bsop_date"] > "20251124"]
    assert len(year) > 240
    top = max(year, key=lambda r: int(r["stck_hgpr"]))
    assert out["w52_hgpr"] == top["stck_hgpr"] and out["w52_hgpr_date"] == top["stck_bsop_date"]
    assert out["w52_lwpr"] == str(min(int(r["stck_lwpr"]) for r in year))
    ratio = (await real.get(FIN_RATIO, "FHKST66430300", _fin())).json()["output"][0]
    assert out["eps"] == ratio["eps"] and out["bps"] == ratio["bps"]
    per = Decimal(out["stck_prpr"]) / Decimal(out["eps"])
    assert abs(Decimal(out["per"]) - per) < Decimal("0.01")
