"""The command language: every form the issue and UX.md name, and where each error points."""

import pytest
from conftest import BARE, FUND_A, FUND_B

from lucy_tui.domain.model import OrderType, Side, TimeInForce, Venue
from lucy_tui.orderentry import (
    AmendCmd, CancelAllCmd, CancelCmd, EntryContext, EntryError, HelpCmd, PlaceCmd, PriceSpec,
    QuoteCmd, parse, tokenize,
)

# text → (side, code, qty, amount, price spec, type, tif, venue, account, plan)
PLACE = [
    ("b 005930 100 @71000",
     (Side.BUY, "005930", 100, 0, PriceSpec("limit", 71000), OrderType.LIMIT, TimeInForce.DAY,
      Venue.KRX, FUND_A, "")),
    ("s 삼성전자 50 mkt",
     (Side.SELL, "005930", 50, 0, PriceSpec("market"), OrderType.MARKET, TimeInForce.DAY,
      Venue.KRX, FUND_A, "")),
    ("b 카카오 ₩10,000,000 @best to plan:core",
     (Side.BUY, "035720", 0, 10_000_000, PriceSpec("best"), OrderType.BEST, TimeInForce.DAY,
      Venue.KRX, None, "core")),
    ("b 005930 10 @71000 ioc to kis:fundA nxt",
     (Side.BUY, "005930", 10, 0, PriceSpec("limit", 71000), OrderType.LIMIT, TimeInForce.IOC,
      Venue.NXT, FUND_A, "")),
    ("매수 005930 100 @71,000",
     (Side.BUY, "005930", 100, 0, PriceSpec("limit", 71000), OrderType.LIMIT, TimeInForce.DAY,
      Venue.KRX, FUND_A, "")),
    ("매도 ㅅㅅㅈㅈ 1,000 시장가 to fundB",
     (Side.SELL, "005930", 1000, 0, PriceSpec("market"), OrderType.MARKET, TimeInForce.DAY,
      Venue.KRX, FUND_B, "")),
    ("B A005930 100주 71000",       # bare price after the size; A-prefixed code; upper-case verb
     (Side.BUY, "005930", 100, 0, PriceSpec("limit", 71000), OrderType.LIMIT, TimeInForce.DAY,
      Venue.KRX, FUND_A, "")),
    ("b 카카오 1억 최유리 plan:core",
     (Side.BUY, "035720", 0, 100_000_000, PriceSpec("best"), OrderType.BEST, TimeInForce.DAY,
      Venue.KRX, None, "core")),
    ("b 카카오 5천만 top",
     (Side.BUY, "035720", 0, 50_000_000, PriceSpec("top"), OrderType.TOP, TimeInForce.DAY,
      Venue.KRX, FUND_A, "")),
    ("b 카카오 10,000,000원 최우선",
     (Side.BUY, "035720", 0, 10_000_000, PriceSpec("top"), OrderType.TOP, TimeInForce.DAY,
      Venue.KRX, FUND_A, "")),
    ("b 카카오 1억5천만 mid sor",
     (Side.BUY, "035720", 0, 150_000_000, PriceSpec("mid"), OrderType.MIDPOINT,
      TimeInForce.DAY, Venue.SOR, FUND_A, "")),
    ("s 005930 1만주 @ask+2 fok",
     (Side.SELL, "005930", 10_000, 0, PriceSpec("ask", ticks=2), OrderType.LIMIT,
      TimeInForce.FOK, Venue.KRX, FUND_A, "")),
    ("b 005930 1 @bid-3", (Side.BUY, "005930", 1, 0, PriceSpec("bid", ticks=-3),
                           OrderType.LIMIT, TimeInForce.DAY, Venue.KRX, FUND_A, "")),
    ("b 005930 1 @매도호가", (Side.BUY, "005930", 1, 0, PriceSpec("ask"), OrderType.LIMIT,
                          TimeInForce.DAY, Venue.KRX, FUND_A, "")),
    ("b 005930 1 @last+1", (Side.BUY, "005930", 1, 0, PriceSpec("last", ticks=1),
                            OrderType.LIMIT, TimeInForce.DAY, Venue.KRX, FUND_A, "")),
    ("b 005930 5 @71000 cond", (Side.BUY, "005930", 5, 0, PriceSpec("cond", 71000),
                                OrderType.CONDITIONAL, TimeInForce.DAY, Venue.KRX, FUND_A, "")),
    ("b 005930 5 조건부 @71000", (Side.BUY, "005930", 5, 0, PriceSpec("cond", 71000),
                               OrderType.CONDITIONAL, TimeInForce.DAY, Venue.KRX, FUND_A, "")),
    ("b 005930 5 @mkt", (Side.BUY, "005930", 5, 0, PriceSpec("market"), OrderType.MARKET,
                         TimeInForce.DAY, Venue.KRX, FUND_A, "")),
    ("b 005930 5 중간가", (Side.BUY, "005930", 5, 0, PriceSpec("mid"), OrderType.MIDPOINT,
                        TimeInForce.DAY, Venue.KRX, FUND_A, "")),
    ("b 005930 @ 71000 5", (Side.BUY, "005930", 5, 0, PriceSpec("limit", 71000),
                            OrderType.LIMIT, TimeInForce.DAY, Venue.KRX, FUND_A, "")),
    ("b 005930 5 @7만1천", (Side.BUY, "005930", 5, 0, PriceSpec("limit", 71000),
                          OrderType.LIMIT, TimeInForce.DAY, Venue.KRX, FUND_A, "")),
    ("b 005930 5 @71000 지정가 day KRX", (Side.BUY, "005930", 5, 0, PriceSpec("limit", 71000),
                                        OrderType.LIMIT, TimeInForce.DAY, Venue.KRX, FUND_A,
                                        "")),
    ("ㅠ 005930 5 @71000 to 87654321-01",      # 한글 mode 'b'; a bare account by number
     (Side.BUY, "005930", 5, 0, PriceSpec("limit", 71000), OrderType.LIMIT, TimeInForce.DAY,
      Venue.KRX, BARE, "")),
    ("ㄴ 005930 5 @71000 → kis:87654321-01",
     (Side.SELL, "005930", 5, 0, PriceSpec("limit", 71000), OrderType.LIMIT, TimeInForce.DAY,
      Venue.KRX, BARE, "")),
    ("b 005930 5 @71000 to core", (Side.BUY, "005930", 5, 0, PriceSpec("limit", 71000),
                                   OrderType.LIMIT, TimeInForce.DAY, Venue.KRX, None, "core")),
    ("b 005930 5 @71000 to PLAN:growth", (Side.BUY, "005930", 5, 0, PriceSpec("limit", 71000),
                                          OrderType.LIMIT, TimeInForce.DAY, Venue.KRX, None,
                                          "Growth")),
    ("b KODEX 삼성그룹 10 @12880", (Side.BUY, "102780", 10, 0, PriceSpec("limit", 12880),
                                 OrderType.LIMIT, TimeInForce.DAY, Venue.KRX, FUND_A, "")),
    # The keyboard still in 한글 mode: ㅠ=b, ㅡㅏㅅ=mkt, ㅑㅐㅊ=ioc, ㅜㅌㅅ=nxt, 새=to, @ㅁ나=@ask
    ("ㅠ 005930 5 ㅡㅏㅅ ㅑㅐㅊ ㅜㅌㅅ 새 fundB",
     (Side.BUY, "005930", 5, 0, PriceSpec("market"), OrderType.MARKET, TimeInForce.IOC,
      Venue.NXT, FUND_B, "")),
    ("ㅠㅕㅛ 005930 5 @ㅁ나+1 래ㅏ", (Side.BUY, "005930", 5, 0, PriceSpec("ask", ticks=1),
                                  OrderType.LIMIT, TimeInForce.FOK, Venue.KRX, FUND_A, "")),
    ("b 005930 5 @매도호가+2", (Side.BUY, "005930", 5, 0, PriceSpec("ask", ticks=2),
                             OrderType.LIMIT, TimeInForce.DAY, Venue.KRX, FUND_A, "")),
    ("b KODEX 200 10 @35000", (Side.BUY, "069500", 10, 0, PriceSpec("limit", 35000),
                               OrderType.LIMIT, TimeInForce.DAY, Venue.KRX, FUND_A, "")),
    ("b TIGER 미국나스닥 100 @1", (Side.BUY, "133690", 100, 0, PriceSpec("limit", 1),
                               OrderType.LIMIT, TimeInForce.DAY, Venue.KRX, FUND_A, "")),
    ("b TIGER 200 IT(139260) 1 mkt", (Side.BUY, "139260", 1, 0, PriceSpec("market"),
                                      OrderType.MARKET, TimeInForce.DAY, Venue.KRX, FUND_A, "")),
    ("b 삼성전자(005930) 100주 @71,000 지정가 DAY KRX → kis:fundA",
     (Side.BUY, "005930", 100, 0, PriceSpec("limit", 71000), OrderType.LIMIT, TimeInForce.DAY,
      Venue.KRX, FUND_A, "")),
    ("b 005930 １００ @７１０００", (Side.BUY, "005930", 100, 0, PriceSpec("limit", 71000),
                               OrderType.LIMIT, TimeInForce.DAY, Venue.KRX, FUND_A, "")),
    ("  b   005930   100   @71000  ", (Side.BUY, "005930", 100, 0, PriceSpec("limit", 71000),
                                       OrderType.LIMIT, TimeInForce.DAY, Venue.KRX, FUND_A, "")),
    ("b 005930 \\1,000,000 best", (Side.BUY, "005930", 0, 1_000_000, PriceSpec("best"),
                                   OrderType.BEST, TimeInForce.DAY, Venue.KRX, FUND_A, "")),
    ("b 005930 ₩ 1,000,000 best", (Side.BUY, "005930", 0, 1_000_000, PriceSpec("best"),
                                   OrderType.BEST, TimeInForce.DAY, Venue.KRX, FUND_A, "")),
]


@pytest.mark.parametrize("text,want", PLACE)
def test_place_forms(ctx, text, want):
    cmd = parse(text, ctx)
    assert isinstance(cmd, PlaceCmd), cmd
    got = (cmd.side, cmd.instrument.code, cmd.qty, cmd.amount, cmd.price, cmd.type, cmd.tif,
           cmd.venue, cmd.account, cmd.plan)
    assert got == want


def test_english_name_with_spaces(ctx):
    cmd = parse("b Samsung Electronics Co., Ltd. 100 @71000", ctx)
    assert isinstance(cmd, PlaceCmd) and cmd.instrument.code == "005930"
    err = parse("b samsung electronics 100 @71000", ctx)     # 삼성전자 and 삼성전자우
    assert isinstance(err, EntryError) and "삼성전자우(005935)" in err.message


def test_default_route_is_marked(ctx):
    typed = parse("b 005930 1 @71000 to kis:fundA", ctx)
    default = parse("b 005930 1 @71000", ctx)
    assert typed == default          # the same route either way …
    assert default.default_route and not typed.default_route   # … but the UI can tell


def test_default_plan_and_venue_from_context(ctx):
    c = EntryContext(ctx.universe, ctx.accounts, ctx.plans, None, "core", Venue.SOR)
    cmd = parse("b 005930 1 @71000", c)
    assert cmd.account is None and cmd.plan == "core" and cmd.venue is Venue.SOR
    none = EntryContext(ctx.universe, ctx.accounts, ctx.plans, None)
    cmd = parse("b 005930 1 @71000", none)
    assert cmd.account is None and cmd.plan == "" and cmd.default_route


def test_spans_point_at_each_part(ctx):
    text = "b 005930 100 @71000 ioc nxt to kis:fundA"
    cmd = parse(text, ctx)
    part = {name: text[s:e] for name, s, e in cmd.spans}
    assert part == {"symbol": "005930", "size": "100", "price": "@71000", "tif": "ioc",
                    "venue": "nxt", "route": "to kis:fundA", "end": ""}


OTHER = [
    ("c 261204-00003", CancelCmd("261204-00003")),
    ("c #3", CancelCmd("#3")),
    ("취소 0000123456", CancelCmd("0000123456")),
    ("ㅊ #12", CancelCmd("#12")),
    ("c all", CancelAllCmd(None)),
    ("ㅊ 미ㅣ", CancelAllCmd(None)),
    ("c all 삼성전자", CancelAllCmd("005930")),
    ("취소 전체 ㅋㅋㅇ", CancelAllCmd("035720")),
    ("a #3 @71100", AmendCmd("#3", PriceSpec("limit", 71100))),
    ("a #3 @71100 50", AmendCmd("#3", PriceSpec("limit", 71100), 50)),
    ("ㅁ #3 @ㅠㅑㅇ", AmendCmd("#3", PriceSpec("bid"))),
    ("정정 261204-00001 50주 @ask+1", AmendCmd("261204-00001", PriceSpec("ask", ticks=1), 50)),
    ("q 005930", QuoteCmd),
    ("시세 삼성전자", QuoteCmd),
    ("ㅂ ㅅㅅㅈㅈ", QuoteCmd),
    ("?", HelpCmd()),
    ("help", HelpCmd()),
    ("도움말 b", HelpCmd("b")),
]


@pytest.mark.parametrize("text,want", OTHER)
def test_other_commands(ctx, text, want):
    cmd = parse(text, ctx)
    if want is QuoteCmd:
        assert isinstance(cmd, QuoteCmd) and cmd.instrument.code in ("005930", "035720")
    else:
        assert cmd == want


# text → (the text the error underlines, a fragment of the message)
ERRORS = [
    ("", ("", "명령을 입력하세요")),
    ("   ", ("", "명령을 입력하세요")),
    ("x 005930 1 @1", ("x", "알 수 없는 명령 'x'")),
    ("b", ("", "종목을 입력하세요")),
    ("b 삼성 10 @71000", ("삼성", "여러 개입니다: 삼성전자(005930)")),
    ("b 삼성젼자 10 @71000", ("삼성젼자", "비슷한 종목: 삼성전자(005930)")),
    ("b zzzz 10 @71000", ("zzzz", "'zzzz' 종목을 찾을 수 없습니다")),
    ("b 005930 @71000", ("", "수량(주) 또는 금액(₩)을 입력하세요")),
    ("b KODEX 200 @1", ("", "수량(주) 또는 금액(₩)을 입력하세요")),
    ("b 삼성젼자 10 @1", ("삼성젼자", "'삼성젼자' 종목을 찾을 수 없습니다")),
    ("b 005930 100", ("", "가격을 입력하세요")),
    ("b 005930 100 @", ("@", "'@' 뒤에 가격이 없습니다")),
    ("b 005930 100 @xyz", ("@xyz", "가격이 아닙니다")),
    ("b 005930 100 @71,00", ("@71,00", "숫자로 읽을 수 없습니다")),
    ("b 005930 71,00 @71000", ("71,00", "쉼표는 세 자리마다")),
    ("b 005930 1.5 @71000", ("1.5", "정수가 아닙니다")),
    ("b 005930 ₩100주 @71000", ("₩100주", "함께 쓸 수 없습니다")),
    ("b 005930 100 @71000 @72000", ("@72000", "가격이(가) 두 번")),
    ("b 005930 100 @71000 ioc fok", ("fok", "체결조건(IOC/FOK)이(가) 두 번")),
    ("b 005930 100 @71000 krx nxt", ("nxt", "두 번")),
    ("b 005930 100 mkt best", ("best", "주문유형이(가) 두 번")),
    ("b 005930 100 @71000 mkt", ("@71000", "시장가 주문에는 가격을 넣지 않습니다 (입력 71,000원)")),
    ("b 005930 100 71000 best", ("71000", "최유리지정가 주문에는 가격을 넣지 않습니다")),
    ("b 005930 100 @ask mkt", ("@ask", "시장가 주문에는 가격을 넣지 않습니다 (입력 @ask)")),
    ("b 005930 100 cond", ("cond", "조건부지정가 주문에는 가격이 필요합니다")),
    ("b 005930 100 @ask cond", ("@ask", "조건부지정가는 숫자 가격으로")),
    ("b 005930 100 71000 72000", ("72000", "무엇인지 알 수 없습니다")),
    ("b 005930 100 @71000 to", ("", "'to' 뒤에 계좌나 plan:이름을 입력하세요")),
    ("b 005930 100 @71000 to fundZ", ("fundZ", "계좌 'fundZ'을(를) 찾을 수 없습니다")),
    ("b 005930 100 @71000 to plan:nope", ("plan:nope", "배분계획 'nope'이(가) 없습니다")),
    ("b 005930 100 @71000 plan:", ("plan:", "plan: 뒤에 배분계획 이름")),
    ("b 005930 100 @71000 to kis:fundA plan:core", ("plan:core", "계좌이(가) 두 번")),
    ("b 005930 100 @71000 fundB", ("fundB", "계좌라면 'to fundB'")),
    ("b 005930 100 @71000 hello", ("hello", "'hello'은(는) 알 수 없는 입력")),
    ("b 카카오(005930) 1 @71000", ("카카오(005930)", "맞지 않습니다")),
    ("b (999999) 1 @71000", ("(999999)", "종목코드 '999999'")),
    ("c", ("", "취소할 주문을 입력하세요")),
    ("c #3 #4", ("#4", "한 번에 한 주문")),
    ("c #x", ("#x", "행 번호는 #1, #2처럼")),
    ("c #0", ("#0", "행 번호는")),
    ("c @71000", ("@71000", "주문이 아닙니다")),
    ("c all zzzz", ("zzzz", "종목을 찾을 수 없습니다")),
    ("c all 005930 x", ("x", "알 수 없는 입력")),
    ("a", ("", "정정할 주문을 입력하세요")),
    ("a #3", ("", "정정할 가격을 입력하세요")),
    ("a #3 71100", ("", "정정할 가격을 입력하세요")),       # a bare number is the quantity
    ("a #3 @71100 @71200", ("@71200", "가격이 두 번")),
    ("a #3 @71100 5 6", ("6", "수량이 두 번")),
    ("a #3 @71100 ₩100", ("₩100", "정정 수량은 주로")),
    ("a #3 mkt", ("mkt", "정정은 가격(과 수량)만")),
    ("a #3 @best", ("@best", "정정은 가격(과 수량)만")),
    ("a #3 @71100 zz", ("zz", "알 수 없는 입력")),
    ("q", ("", "시세를 볼 종목을 입력하세요")),
    ("q 005930 100", ("100", "알 수 없는 입력")),
    ("b 005930 100 @99999999999999999", ("@99999999999999999", "너무 큰 수")),
]


@pytest.mark.parametrize("text,want", ERRORS)
def test_error_messages_point_at_the_spot(ctx, text, want):
    spot, fragment = want
    err = parse(text, ctx)
    assert isinstance(err, EntryError), err
    assert fragment in err.message
    assert text[err.start:err.end] == spot
    if spot == "":
        # Something is missing: the mark sits at the end of the line or right after the symbol.
        assert err.start in (len(text), len(text.rstrip())) or text[err.start - 1] != " "


def test_missing_size_is_marked_right_after_the_symbol(ctx):
    err = parse("b 005930 @71000", ctx)
    assert (err.start, err.end) == (8, 8)
    err = parse("b KODEX 200 @1", ctx)
    assert (err.start, err.end) == (11, 11)


def test_tokenize_keeps_offsets_and_joins_lone_marks():
    toks = tokenize(" b  005930 @ 71000 ₩ 1,000")
    assert [(t.text, t.start, t.end) for t in toks] == [
        ("b", 1, 2), ("005930", 4, 10), ("@71000", 11, 18), ("₩1,000", 19, 26)]


def _big_universe(n=400):
    from dataclasses import replace

    from lucy_tui.domain.instruments import Universe, load_default
    base = list(load_default())
    extra = [replace(base[i % len(base)], code=f"9{i:05d}", name=f"가상종목{i}", isin="")
             for i in range(n - len(base))]
    return Universe(base + extra)


def test_large_universe_leaves_suggestions_to_suggest():
    from lucy_tui.orderentry import suggest
    big = EntryContext(_big_universe(), [FUND_A], [], FUND_A)
    err = parse("b 삼성젼자 10 @1", big)
    assert err.message == "'삼성젼자' 종목을 찾을 수 없습니다"
    assert suggest("삼성젼자", big)[0].code == "005930"


def test_lookups_follow_the_context_universe(ctx):
    """Resolution is cached per universe: a new universe is seen at once."""
    from lucy_tui.domain.instruments import Universe
    assert parse("b 가상종목150 1 @1", ctx).message.startswith("'가상종목150' 종목을 찾을")
    big = EntryContext(_big_universe(), [FUND_A], [], FUND_A)
    assert parse("b 가상종목150 1 @1", big).instrument.code == "900150"
    small = EntryContext(Universe([ctx.universe["035720"]]), [FUND_A], [], FUND_A)
    assert isinstance(parse("b 005930 1 @1", small), EntryError)


def test_help_lines_parse_as_their_examples_say(ctx):
    from lucy_tui.orderentry import help_lines
    everything = help_lines()
    assert len(everything) >= 10 and any("ㅅㅅㅈㅈ" in line for line in everything)
    assert all(line.startswith(("c", "a")) for line in help_lines("취소") + help_lines("a"))
    assert len(help_lines("b")) > len(help_lines("q")) == 1
    from lucy_tui.orderentry.help import ENTRIES
    for *_, example in ENTRIES:
        for line in example.split(" · "):
            assert not isinstance(parse(line, ctx), EntryError), line


def test_a_pasted_page_is_refused_at_once(ctx):
    import time
    text = "b " + "삼성 " * 2000 + "1 @1"
    start = time.perf_counter()
    err = parse(text, ctx)
    assert time.perf_counter() - start < 0.05
    assert "너무 깁니다" in err.message and err.start == 300 and err.end == len(text)
    long_name = "b " + "가 " * 50 + "1 @1"          # under the limit: a bounded number of lookups
    assert isinstance(parse(long_name, ctx), EntryError)
