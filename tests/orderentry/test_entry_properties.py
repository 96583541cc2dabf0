"""Properties: nothing typed makes the parser, the checks or the completer raise; the echo line
parses back to the command; numbers read back whatever way they are written."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BARE, FUND_A, FUND_B
from lucy_tui.domain.instruments import load_default
from lucy_tui.domain.model import Level, Quote, Side, TimeInForce, Venue
from lucy_tui.orderentry import (
    EntryContext, EntryError, PlaceCmd, PriceSpec, complete, describe, parse, validate,
)
from lucy_tui.orderentry.numbers import parse_number

U = load_default()
CTX = EntryContext(U, [FUND_A, FUND_B, BARE], ["core", "Growth"], FUND_A)
INSTRUMENTS = list(U)

WORDS = ["b", "s", "c", "a", "q", "?", "매수", "매도", "취소", "정정", "ㅠ", "all", "to", "plan:core",
         "plan:", "kis:fundA", "fundB", "@", "₩", "@ask+2", "@bid-1", "@71000", "@", "mkt", "best",
         "cond", "ioc", "fok", "nxt", "krx", "sor", "005930", "삼성", "ㅅㅅㅈㅈ", "카카오", "100",
         "1,000", "0", "1억", "5천만", "₩10,000,000", "100주", "71,00", "#3", "#", "→", "(", ")",
         "삼성전자(005930)", "KODEX", "1.5", "원", "주", "-", "+", "@ask+", "@@", "\\"]
lines = st.lists(st.sampled_from(WORDS), max_size=9).map(" ".join)
anything = st.text(max_size=40)


def _check_error(text, result):
    if isinstance(result, EntryError):
        assert 0 <= result.start <= result.end <= len(text)
        assert result.message


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(lines, anything))
def test_parse_never_raises(text):
    _check_error(text, parse(text, CTX))


QUOTE = Quote("005930", last=269_000, base=269_000, upper_limit=349_500, lower_limit=188_500,
              bids=(Level(268_500, 1),), asks=(Level(269_000, 1),))


@settings(max_examples=200, deadline=None)
@given(lines, st.sampled_from([None, QUOTE]))
def test_validate_never_raises_and_points_inside_the_line(text, quote):
    cmd = parse(text, CTX)
    check = validate(cmd, quote)
    for e in check.error_spots + check.warning_spots:
        assert 0 <= e.start <= e.end <= len(text)


@settings(max_examples=200, deadline=None)
@given(st.one_of(lines, anything), st.integers(-2, 60))
def test_complete_never_raises(text, cursor):
    c = complete(text, cursor, CTX)
    assert 0 <= c.start <= c.end <= len(text)


prices = st.one_of(
    st.builds(PriceSpec, st.just("limit"), st.integers(1, 5_000_000)),
    st.builds(PriceSpec, st.just("cond"), st.integers(1, 5_000_000)),
    st.builds(lambda k: PriceSpec(k), st.sampled_from(["market", "best", "top", "mid"])),
    st.builds(lambda k, t: PriceSpec(k, ticks=t), st.sampled_from(["bid", "ask", "last"]),
              st.integers(-20, 20)),
)


@st.composite
def place_cmds(draw):
    size = draw(st.integers(1, 10 ** 9))
    amount = draw(st.booleans())
    route = draw(st.sampled_from([(FUND_A, ""), (FUND_B, ""), (BARE, ""), (None, "core"),
                                  (None, "Growth")]))
    return PlaceCmd(
        side=draw(st.sampled_from(list(Side))), instrument=draw(st.sampled_from(INSTRUMENTS)),
        qty=0 if amount else size, amount=size if amount else 0, price=draw(prices),
        tif=draw(st.sampled_from(list(TimeInForce))), venue=draw(st.sampled_from(list(Venue))),
        account=route[0], plan=route[1])


@settings(max_examples=300, deadline=None)
@given(place_cmds())
def test_describe_parses_back(cmd):
    echo = describe(cmd)
    assert parse(echo, CTX) == cmd, echo


def _korean(n: int) -> str:
    """n written with 억/만 groups, as a trader might: 1억5000만300."""
    eok, rest = divmod(n, 10 ** 8)
    man, one = divmod(rest, 10 ** 4)
    out = (f"{eok}억" if eok else "") + (f"{man}만" if man else "") + (str(one) if one else "")
    return out or "0"


@given(st.integers(0, 10 ** 12))
def test_numbers_read_back(n):
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n
    assert parse_number(_korean(n)) == n


def test_every_shipped_instrument_reads_back_from_the_echo():
    for inst in INSTRUMENTS:
        for size in ({"qty": 10, "amount": 0}, {"qty": 0, "amount": 10 ** 7}):
            cmd = PlaceCmd(Side.SELL, inst, price=PriceSpec("ask", ticks=1), account=FUND_B,
                           **size)
            echo = describe(cmd)
            assert parse(echo, CTX) == cmd, echo
        by_code = parse(f"b {inst.code} 1 @100", CTX)
        by_name = parse(f"b {inst.name} 1 @100", CTX)
        assert by_code.instrument == inst, by_code
        # A name may be a prefix of another (삼성전자, 삼성전자우): the exact name still wins.
        assert by_name.instrument == inst, by_name
