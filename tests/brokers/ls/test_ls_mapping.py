"""LS wire values → domain objects: numbers as LS writes them, symbols, order kinds, t0425 rows
(new, amend, cancel, rejected), CSPAQ13700 rows, t0424 with CSPAQ12200, t1102, t8436 and S3_ ticks."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from lucy_tui.brokers.base import BrokerError, NotSupported
from lucy_tui.brokers.ls import mapping
from lucy_tui.brokers.ls.environment import MOCK, REAL
from lucy_tui.clock import KST
from lucy_tui.domain.model import (
    AccountRef, InstrumentKind, Market, OrderType, Side, TimeInForce, Venue,
)

ACCOUNT = AccountRef("ls", "55512345601", "", "paper")
TODAY = date(2026, 11, 24)


@pytest.mark.parametrize("value, expected", [
    ("35000.00", 35000), (35000, 35000), ("", 0), (None, 0), ("0000086382", 86382),
    ("-1500", -1500), ("1,234", 1234), ("12345678901234567.99", 12345678901234567), ("x", 0),
])
def test_numbers(value, expected):
    assert mapping.num(value) == expected


@pytest.mark.parametrize("value, expected", [
    (86382, "86382"), ("0000086382", "86382"), ("0", ""), (0, ""), ("", ""), (None, ""),
])
def test_order_numbers(value, expected):
    assert mapping.order_no(value) == expected


def test_symbols_per_environment_and_kind():
    assert mapping.isu_no("005930", InstrumentKind.STOCK, MOCK) == "A005930"
    assert mapping.isu_no("069500", InstrumentKind.ETF, MOCK) == "A069500"
    assert mapping.isu_no("005930", InstrumentKind.STOCK, REAL) == "005930"
    assert mapping.isu_no("500001", InstrumentKind.ETN, REAL) == "Q500001"
    assert mapping.isu_no("520001", InstrumentKind.ELW, MOCK) == "J520001"
    assert mapping.isu_no("005930", None, MOCK) == "A005930"
    assert mapping.short_code("A005930") == "005930" and mapping.short_code("005930") == "005930"


def test_order_codes_and_kinds():
    assert mapping.order_codes(OrderType.LIMIT, TimeInForce.DAY, MOCK) == ("00", "0")
    assert mapping.order_codes(OrderType.MARKET, TimeInForce.FOK, MOCK) == ("03", "2")
    assert mapping.order_codes(OrderType.BEST, TimeInForce.IOC, REAL) == ("06", "1")
    with pytest.raises(NotSupported, match="모의투자"):
        mapping.order_codes(OrderType.STOP_LIMIT, TimeInForce.DAY, MOCK)
    assert mapping.kind_of("03", "1") == (OrderType.MARKET, TimeInForce.IOC)
    assert mapping.kind_of("99", "7") == (OrderType.LIMIT, TimeInForce.DAY)
    assert mapping.mbr_no(Venue.NXT, REAL) == "NXT"
    with pytest.raises(NotSupported):
        mapping.mbr_no(Venue.NXT, MOCK)
    with pytest.raises(NotSupported):
        mapping.mbr_no(Venue.SOR, REAL)
    assert mapping.venue_of("NXT") is Venue.NXT and mapping.venue_of("") is Venue.KRX


def test_times():
    assert mapping.clock_time("153257702", TODAY) == datetime(2026, 11, 24, 15, 32, 57, 702000, KST)
    assert mapping.clock_time("08410730", TODAY) == datetime(2026, 11, 24, 8, 41, 7, 300000, KST)
    assert mapping.clock_time("093015", TODAY) == datetime(2026, 11, 24, 9, 30, 15, tzinfo=KST)
    assert mapping.clock_time("", TODAY) == datetime(2026, 11, 24, tzinfo=KST)


def t0425(**over):
    row = {"ordno": 86382, "expcode": "005930", "medosu": "매수", "qty": 10, "price": 71000,
           "cheqty": 4, "cheprice": 70950, "ordrem": 6, "cfmqty": 0, "status": "부분체결",
           "orgordno": 0, "ordgb": "보통", "ordtime": "09563602", "ordermtd": "씽(Xing)-F",
           "sysprocseq": 1, "hogagb": "00", "price1": 71000, "orggb": "02", "singb": "00",
           "loandt": "", "exchname": "KRX"}
    row.update(over)
    return row


def test_t0425_new_order_partly_filled():
    r = mapping.order_report(t0425(), ACCOUNT, TODAY)
    assert (r.order_no, r.code, r.side, r.qty, r.price, r.type, r.tif) == (
        "86382", "005930", Side.BUY, 10, 71000, OrderType.LIMIT, TimeInForce.DAY)
    assert (r.filled_qty, r.filled_amount, r.leaves_qty, r.cancelled_qty) == (4, 4 * 70950, 6, 0)
    assert not r.is_amend and not r.is_cancel and r.orig_order_no == ""
    assert r.time == datetime(2026, 11, 24, 9, 56, 36, 20000, KST)


def test_t0425_amend_cancel_and_reject_rows():
    moved = mapping.order_report(t0425(cheqty=0, ordrem=0, status="정정"), ACCOUNT, TODAY)
    assert (moved.cancelled_qty, moved.leaves_qty) == (10, 0)   # all moved to the amend
    amend = mapping.order_report(t0425(ordno=86383, orgordno=86382, cheqty=0, ordrem=10,
                                       status="정정확인", cfmqty=10), ACCOUNT, TODAY)
    assert amend.is_amend and not amend.is_cancel and amend.orig_order_no == "86382"
    assert amend.leaves_qty == 10
    cancel = mapping.order_report(t0425(ordno=86384, orgordno=86383, cheqty=0, ordrem=0,
                                        status="취소확인", cfmqty=10, price=0), ACCOUNT, TODAY)
    assert cancel.is_cancel and cancel.leaves_qty == 0 and cancel.cancelled_qty == 10
    later = mapping.order_report(t0425(ordno=86383, orgordno=86382, cheqty=0, ordrem=0,
                                       status="취소"), ACCOUNT, TODAY)
    assert later.is_amend and later.cancelled_qty == 10          # an amend, cancelled later
    by_label = mapping.order_report(t0425(ordno=9, orgordno=8, medosu="매도취소", ordrem=0,
                                          cheqty=0), ACCOUNT, TODAY)
    assert by_label.is_cancel and by_label.side is Side.SELL
    rejected = mapping.order_report(t0425(status="거부", cheqty=0, ordrem=0), ACCOUNT, TODAY)
    assert (rejected.rejected_qty, rejected.cancelled_qty, rejected.leaves_qty) == (10, 0, 0)
    ioc = mapping.order_report(t0425(ordgb="IOC", hogagb="03", price=0), ACCOUNT, TODAY)
    assert (ioc.type, ioc.tif, ioc.price) == (OrderType.MARKET, TimeInForce.IOC, None)


def test_cspaq13700_rows_of_another_day():
    """What the simulator does not write: a decimal average, an NXT best order with IOC, a
    cancel named only in words, a row without its own OrdDt."""
    row = {"OrdDt": "20261118", "OrdNo": 77, "OrgOrdNo": 0, "IsuNo": "A005930",
           "IsuNm": "삼성전자", "BnsTpCode": "2", "OrdQty": 5, "OrdPrc": "0.00", "ExecQty": 2,
           "ExecPrc": "35012.50", "OrdprcPtnCode": "06", "OrdCndiTpCode": "1", "MbrNo": "NXT",
           "RmnOrdQty": 0, "OrdTime": "093015250", "MrcTpCode": "0"}
    report = mapping.day_order_report(row, ACCOUNT, TODAY)
    assert (report.order_no, report.price, report.filled_amount, report.cancelled_qty) == (
        "77", None, 70025, 3)
    assert (report.type, report.tif, report.venue) == (OrderType.BEST, TimeInForce.IOC, Venue.NXT)
    assert report.time == datetime(2026, 11, 18, 9, 30, 15, 250_000, tzinfo=KST)
    cancel = mapping.day_order_report(
        dict(row, OrdNo=79, OrgOrdNo=78, OrdDt="", OrdQty=3, ExecQty=0, ExecPrc="0.00",
             MrcTpCode="", MrcTpNm="취소"), ACCOUNT, TODAY)
    assert (cancel.is_cancel, cancel.orig_order_no, cancel.cancelled_qty, cancel.leaves_qty,
            cancel.time.date()) == (True, "78", 3, 0, TODAY)


def test_positions_and_balance():
    row = {"expcode": "005930", "janqty": 1000, "mdposqt": 990, "pamt": 260930, "mamt": 260930000,
           "price": 269000, "appamt": 269000000}
    p = mapping.position(row, ACCOUNT)
    assert (p.code, p.qty, p.cost, p.sellable, p.last) == ("005930", 1000, 260930000, 990, 269000)
    assert p.avg_price == Decimal(260930)
    totals = {"sunamt": 1_300_000_000, "mamt": 260930000, "sunamt1": 1_000_000_000,
              "tappamt": 269000000, "tdtsunik": 8070000}
    cash = {"Dps": 1_000_000_000, "D2Dps": 999_000_000, "MnyOrdAbleAmt": 998_000_000,
            "BalEvalAmt": 269000000}
    b = mapping.balance(totals, cash, ACCOUNT)
    assert (b.cash, b.cash_d2, b.buying_power) == (1_000_000_000, 999_000_000, 998_000_000)
    assert (b.stock_value, b.total_value, b.purchase_amount, b.pnl) == (
        269000000, 1_300_000_000, 260930000, 8070000)
    assert mapping.balance({}, {"Dps": 5}, ACCOUNT).buying_power == 5    # the Dps fallback


def test_quote_master_and_tick():
    q = mapping.quote({"shcode": "005930", "price": 268500, "recprice": 269000, "open": 269500,
                       "high": 270000, "low": 268000, "volume": 1234, "value": 331,
                       "uplmtprice": 349500, "dnlmtprice": 188500, "sign": "5", "change": 500},
                      "005930", datetime(2026, 11, 24, 10, tzinfo=KST))
    assert (q.last, q.base, q.change, q.upper_limit, q.lower_limit) == (
        268500, 269000, -500, 349500, 188500)
    assert q.turnover == 331_000_000
    with pytest.raises(BrokerError):
        mapping.quote({}, "005930", datetime(2026, 11, 24, tzinfo=KST))
    inst = mapping.instrument({"hname": "동화약품", "shcode": "000020", "expcode": "KR7000020008",
                               "etfgubun": "0", "uplmtprice": 13710, "dnlmtprice": 7390,
                               "jnilclose": 10550, "memedan": "00001", "recprice": 10550,
                               "gubun": "1", "bu12gubun": "01", "spac_gubun": "N"})
    assert (inst.code, inst.isin, inst.market, inst.kind, inst.base_price, inst.lot) == (
        "000020", "KR7000020008", Market.KOSPI, InstrumentKind.STOCK, 10550, 1)
    etn = mapping.instrument({"shcode": "500001", "etfgubun": "2", "gubun": "2", "memedan": ""})
    assert etn.kind is InstrumentKind.ETN and etn.market is Market.KOSDAQ and etn.lot == 1
    t = mapping.tick({"chetime": "093015", "sign": "2", "change": "500", "price": "269500",
                      "cgubun": "+", "cvolume": "7", "volume": "1007", "offerho": "270000",
                      "bidho": "269500", "shcode": "005930"}, TODAY)
    assert (t.code, t.price, t.qty, t.cum_volume, t.change, t.side, t.bid, t.ask) == (
        "005930", 269500, 7, 1007, 500, Side.BUY, 269500, 270000)
    assert t.time == datetime(2026, 11, 24, 9, 30, 15, tzinfo=KST)
    down = mapping.tick({"sign": "5", "change": "500", "cgubun": "-", "shcode": "A005930"}, TODAY)
    assert down.change == -500 and down.side is Side.SELL and down.code == "005930"
