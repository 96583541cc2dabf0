"""Checks before the engine (each at its spot), quote-relative prices, the intent, the echo."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from conftest import FUND_A

from lucy_tui.clock import KST
from lucy_tui.domain import krx
from lucy_tui.domain.instruments import load_default
from lucy_tui.domain.model import Level, OrderType, Quote, Side, TimeInForce, Venue
from lucy_tui.engine import PlaceOrder
from lucy_tui.orderentry import (
    AmendCmd, CancelCmd, EntryError, Guards, PlaceCmd, PriceSpec, PriceUnavailable, describe,
    parse, resolve_price, to_intent, validate,
)

TODAY = date(2026, 12, 4)
U = load_default()


def spots(text, check):
    return [(text[e.start:e.end], e.message) for e in check.error_spots]


# text → (underlined text, message) of the first error, with the 삼성전자 quote
FIRST_ERRORS = [
    ("b 005930 100 @269050", "@269050",
     "269,050원은 호가단위(500원)에 맞지 않습니다 (269,000원 또는 269,500원)"),
    ("b 005930 100 @400000", "@400000", "400,000원은 상한가(349,500원)를 초과합니다"),
    ("b 005930 100 @71000", "@71000", "71,000원은 하한가(188,500원)보다 낮습니다"),
    ("b 005930 0 @269000", "0", "수량은 1주 이상이어야 합니다"),
    ("b 005930 ₩0 best", "₩0", "수량은 1주 이상이어야 합니다"),
    ("b 005930 ₩100,000 @269000", "₩100,000", "금액 100,000원으로는 1주도 살 수 없습니다"),
    ("b 005930 100 top ioc", "ioc", "최우선지정가 주문에는 IOC 조건을 붙일 수 없습니다"),
    ("b 005930 100 mkt nxt", "nxt", "시장가 주문은 NXT에서 받지 않습니다 (가능: KRX, SOR)"),
    ("b 005930 100 @269000 cond nxt", "nxt", "조건부지정가 주문은 NXT에서 받지 않습니다"),
]


@pytest.mark.parametrize("text,spot,message", FIRST_ERRORS)
def test_first_error_at_its_spot(ctx, quote, text, spot, message):
    cmd = parse(text, ctx)
    assert isinstance(cmd, PlaceCmd), cmd
    check = validate(cmd, quote, today=TODAY)
    assert not check.ok
    got_spot, got_message = spots(text, check)[0]
    assert got_spot == spot and got_message.startswith(message)


def test_messages_are_krx_own(ctx, quote):
    """The line says what the engine's pre-trade check says, word for word."""
    check = validate(parse("b 005930 100 @269050", ctx), quote, today=TODAY)
    v = krx.check_price(269050, upper=349_500, lower=188_500)
    assert check.message == v.ko


def test_a_good_order_passes_and_reports_what_it_sends(ctx, quote):
    check = validate(parse("b 005930 100 @269000", ctx), quote, today=TODAY)
    assert check.ok and check.errors == () and check.warnings == ()
    assert (check.price, check.qty) == (269_000, 100)


def test_amount_is_sized_at_the_limit_or_the_upper_band(ctx, quote):
    limit = validate(parse("b 005930 ₩10,000,000 @269000", ctx), quote, today=TODAY)
    assert limit.ok and limit.qty == 37            # 10,000,000 // 269,000
    market = validate(parse("b 005930 ₩10,000,000 mkt", ctx), quote, today=TODAY)
    assert market.ok and market.qty == 28 and market.price is None   # // 349,500


def test_no_route_is_an_error_at_the_end(ctx, quote):
    from lucy_tui.orderentry import EntryContext
    bare = EntryContext(ctx.universe, ctx.accounts, ctx.plans, None)
    text = "b 005930 1 @269000"
    check = validate(parse(text, bare), quote, today=TODAY)
    assert check.error_spots[0].start == check.error_spots[0].end == len(text)
    assert "계좌나 배분계획(plan)을 지정하세요" in check.message


def test_quote_price_without_a_quote(ctx):
    text = "b 005930 1 @ask+1"
    check = validate(parse(text, ctx), None, today=TODAY)
    assert spots(text, check) == [("@ask+1", "시세를 받지 못해 @ask(매도호가) 가격을 정할 수 없습니다 — "
                                              "no quote yet")]


def test_halted_points_at_the_symbol(ctx, quote):
    from dataclasses import replace
    cmd = parse("b 005930 1 @269000", ctx)
    halted = replace(cmd.instrument, halted=True)
    check = validate(cmd, quote, halted, TODAY)
    assert spots("b 005930 1 @269000", check)[0][0] == "005930"
    assert "거래정지" in check.message


def test_session_is_checked_when_a_time_is_given(ctx, quote):
    cmd = parse("b 005930 1 @269000", ctx)
    night = datetime(2026, 12, 4, 21, 0, tzinfo=KST)
    assert "주문 접수 시간이 아닙니다" in validate(cmd, quote, today=TODAY, when=night).message
    noon = datetime(2026, 12, 4, 12, 0, tzinfo=KST)
    assert validate(cmd, quote, today=TODAY, when=noon).ok


def test_a_ticket_made_command_without_spans(quote):
    cmd = PlaceCmd(Side.BUY, U["005930"], 0, 0, PriceSpec("market", 71000), account=FUND_A)
    check = validate(cmd, quote, today=TODAY)
    messages = check.errors
    assert messages[0] == "수량은 1주 이상이어야 합니다"
    assert "시장가 주문에는 가격을 넣지 않습니다 (입력 71,000원)" in messages
    assert all((e.start, e.end) == (0, 0) for e in check.error_spots)
    both = PlaceCmd(Side.BUY, U["005930"], 5, 1_000_000, PriceSpec("limit", 269000),
                    account=FUND_A)
    assert "하나만" in validate(both, quote, today=TODAY).message


def test_guards(ctx, quote):
    text = "b 005930 100 @269000"
    cmd = parse(text, ctx)
    too_many = validate(cmd, quote, today=TODAY, guards=Guards(max_qty=50))
    assert spots(text, too_many) == [("100", "수량 100주가 최대 주문수량 50주를 넘습니다 — above the "
                                             "maximum quantity")]
    too_big = validate(cmd, quote, today=TODAY, guards=Guards(max_value=10_000_000))
    assert "주문금액 26,900,000원이 최대 주문금액 10,000,000원을 넘습니다" in too_big.message
    large = validate(cmd, quote, today=TODAY, guards=Guards(warn_value=20_000_000))
    assert large.ok and "경고 기준 20,000,000원" in large.message
    assert text[large.warning_spots[0].start:large.warning_spots[0].end] == "100"
    assert large.warnings[0] == large.message       # plain strings, like risk.Check


def test_far_through_the_touch_warns_only_when_aggressive(ctx, quote):
    text = "b 005930 1 @300000"
    check = validate(parse(text, ctx), quote, today=TODAY)
    assert check.ok and len(check.warnings) == 1
    assert check.message.startswith("300,000원은 매도호가(269,000원)보다 11.5% 높습니다")
    assert text[check.first.start:check.first.end] == "@300000"
    sell = validate(parse("s 005930 1 @240000", ctx), quote, today=TODAY)
    assert "매수호가(268,500원)보다 10.6% 낮습니다" in sell.message
    passive = validate(parse("b 005930 1 @240000", ctx), quote, today=TODAY)
    assert passive.ok and not passive.warnings
    off = validate(parse(text, ctx), quote, today=TODAY,
                   guards=Guards(warn_away_percent=Decimal(0)))
    assert not off.warnings


def test_amend_checks(ctx, quote):
    inst = U["005930"]
    text = "a #3 @269050 0"
    check = validate(parse(text, ctx), quote, inst, TODAY)
    assert spots(text, check) == [
        ("@269050", "269,050원은 호가단위(500원)에 맞지 않습니다 (269,000원 또는 269,500원)"),
        ("0", "수량은 1주 이상이어야 합니다")]
    good = validate(parse("a #3 @bid+1", ctx), quote, inst, TODAY)
    assert good.ok and good.price == 269_000
    mkt = validate(AmendCmd("#3", PriceSpec("market")), quote, inst, TODAY)
    assert "지정가로만" in mkt.message


def test_other_commands_have_nothing_to_check(quote):
    assert validate(CancelCmd("#1"), quote).ok


# -- resolve_price -------------------------------------------------------------------------------

@pytest.mark.parametrize("spec,want", [
    (PriceSpec("limit", 71000), 71000),
    (PriceSpec("cond", 71000), 71000),
    (PriceSpec("market"), None), (PriceSpec("best"), None), (PriceSpec("top"), None),
    (PriceSpec("mid"), None),
    (PriceSpec("ask"), 269_000), (PriceSpec("bid"), 268_500), (PriceSpec("last"), 269_000),
    (PriceSpec("ask", ticks=2), 270_000), (PriceSpec("bid", ticks=-1), 268_000),
])
def test_resolve_price(quote, spec, want):
    assert resolve_price(spec, quote, U["005930"]) == want


def test_ticks_cross_band_boundaries():
    # 200,000 is where the tick grows from 100 to 500: one tick down from it is 199,900.
    q = Quote("000660", last=200_000, base=200_000, bids=(Level(200_000, 1),),
              asks=(Level(199_900, 1),))
    inst = U["000660"]
    assert resolve_price(PriceSpec("bid", ticks=1), q, inst) == 200_500
    assert resolve_price(PriceSpec("bid", ticks=-1), q, inst) == 199_900
    assert resolve_price(PriceSpec("ask", ticks=1), q, inst) == 200_000


def test_etf_ticks():
    etf = U["102780"]    # KODEX 삼성그룹: ETF, 5-won ticks from 2,000
    q = Quote("102780", last=12_880, base=12_880, asks=(Level(12_880, 1),))
    assert resolve_price(PriceSpec("ask", ticks=3), q, etf) == 12_895


def test_resolve_price_errors(quote):
    with pytest.raises(PriceUnavailable, match="no quote yet"):
        resolve_price(PriceSpec("ask"), None, U["005930"])
    empty = Quote("005930", last=269_000, base=269_000)
    with pytest.raises(PriceUnavailable, match="매도호가가 없어"):
        resolve_price(PriceSpec("ask"), empty, U["005930"])


def test_price_spec_rejects_unknown_kinds():
    with pytest.raises(ValueError, match="unknown price kind"):
        PriceSpec("limt", 1)


def test_place_cmd_type_must_match_the_price():
    with pytest.raises(ValueError):
        PlaceCmd(Side.BUY, U["005930"], 1, 0, PriceSpec("market"), type=OrderType.LIMIT)


# -- to_intent -------------------------------------------------------------------------------------

def test_to_intent_maps_one_to_one(ctx, quote):
    cmd = parse("s 005930 10 @ask+2 ioc nxt to kis:fundA", ctx)
    assert to_intent(cmd, quote) == PlaceOrder(
        code="005930", side=Side.SELL, qty=10, price=270_000, type=OrderType.LIMIT,
        tif=TimeInForce.IOC, venue=Venue.NXT, account=FUND_A)
    plan = to_intent(parse("b 카카오 ₩10,000,000 @best to plan:core", ctx), None, confirmed=True)
    assert plan == PlaceOrder(code="035720", side=Side.BUY, qty=0, price=None,
                              type=OrderType.BEST, amount=10_000_000, plan="core", confirmed=True)
    cond = to_intent(parse("b 005930 3 @269000 cond", ctx), quote)
    assert (cond.type, cond.price) == (OrderType.CONDITIONAL, 269_000)
    with pytest.raises(PriceUnavailable):
        to_intent(parse("b 005930 1 @bid", ctx), None)


# -- describe ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,echo", [
    ("b 005930 100 @71000 to kis:fundA", "매수 삼성전자(005930) 100주 @71,000 지정가 DAY KRX → kis:fundA"),
    ("b 카카오 ₩10,000,000 @best to plan:core",
     "매수 카카오(035720) ₩10,000,000 @최유리 DAY KRX → plan:core"),
    ("s ㅅㅅㅈㅈ 5 @ask+2 ioc nxt", "매도 삼성전자(005930) 5주 @매도호가+2 지정가 IOC NXT → kis:fundA"),
    ("s 005930 5 @bid-1", "매도 삼성전자(005930) 5주 @매수호가-1 지정가 DAY KRX → kis:fundA"),
    ("b 005930 5 @71000 cond", "매수 삼성전자(005930) 5주 @71,000 조건부 DAY KRX → kis:fundA"),
    ("b 005930 5 mkt to 87654321-01", "매수 삼성전자(005930) 5주 @시장가 DAY KRX → kis:87654321-01"),
    ("c #3", "취소 #3"), ("c all", "취소 전체"), ("c all 카카오", "취소 전체 035720"),
    ("a #3 @71100 50", "정정 #3 @71,100 50주"), ("a #3 @ask", "정정 #3 @매도호가"),
    ("q 카카오", "시세 카카오(035720)"), ("?", "도움말"),
])
def test_describe(ctx, text, echo):
    cmd = parse(text, ctx)
    assert describe(cmd) == echo
    assert parse(echo, ctx) == cmd          # the echo is itself a command line


def test_describe_without_a_route():
    cmd = PlaceCmd(Side.BUY, U["005930"], 1, 0, PriceSpec("limit", 71000))
    assert describe(cmd).endswith("→ 계좌 미지정")


def test_describe_refuses_non_commands():
    with pytest.raises(TypeError):
        describe(EntryError("x", 0, 0))
