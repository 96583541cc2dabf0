"""Completion of the token under the cursor."""

import time

import pytest

from lucy_tui.orderentry import Candidate, complete


def inserts(c):
    return [x.insert for x in c.candidates]


def apply(text, c, i=0):
    return text[:c.start] + c.candidates[i].insert + text[c.end:]


def test_verbs_at_the_start(ctx):
    c = complete("", 0, ctx)
    assert inserts(c)[:6] == ["b", "s", "c", "a", "q", "?"]
    assert Candidate("b", "b 매수") in c.candidates
    assert inserts(complete("매", 1, ctx)) == ["매수", "매도"]
    assert inserts(complete("b", 1, ctx)) == []          # already whole


@pytest.mark.parametrize("text,first,label", [
    ("b 0059", "005930", "005930 삼성전자"),
    ("b 삼성전", "005930", "005930 삼성전자"),
    ("b ㅅㅅㅈㅈ", "005930", "005930 삼성전자"),
    ("s samsung", "005930", "005930 삼성전자"),
    ("q ㅋㅋ", "035720", "035720 카카오"),
    ("c all 카카", "035720", "035720 카카오"),
])
def test_symbols_by_code_name_and_choseong(ctx, text, first, label):
    c = complete(text, len(text), ctx)
    assert c.candidates[0] == Candidate(first, label)
    assert (c.start, c.end) == (text.index(" ", 1 if not text.startswith("c all") else 4) + 1,
                                len(text))


def test_symbol_in_the_middle_of_a_line_replaces_the_whole_token(ctx):
    text = "b 삼성 100 @71000"
    c = complete(text, 4, ctx)             # cursor after 삼성
    assert (c.start, c.end) == (2, 4)
    assert apply(text, c) == "b 005930 100 @71000"


def test_a_name_with_spaces(ctx):
    text = "b KODEX 삼성"
    c = complete(text, len(text), ctx)
    assert c.start == 2 and inserts(c) == ["102780"]
    text = "b KODEX 2"                  # numbers in names: KODEX 200, KODEX 2차전지산업
    c = complete(text, len(text), ctx)
    assert c.start == 2 and inserts(c)[0] == "069500" and "305720" in inserts(c)


def test_keywords_after_the_size(ctx):
    assert inserts(complete("b 005930 100 i", 14, ctx)) == ["ioc"]
    assert inserts(complete("b 005930 100 n", 14, ctx)) == ["nxt"]
    assert "mkt" in inserts(complete("b 005930 100 m", 14, ctx))
    assert inserts(complete("b 005930 100 최", 14, ctx)) == ["최유리", "최우선"]
    assert inserts(complete("b 005930 100 ㅑ", 14, ctx)) == ["ioc"]      # 한글 mode i
    everything = inserts(complete("b 005930 100 ", 13, ctx))
    assert {"mkt", "best", "top", "mid", "cond", "ioc", "fok", "krx", "nxt", "sor", "to"} <= \
        set(everything)
    assert inserts(complete("b 005930 ", 9, ctx)) == []      # the size comes next


def test_price_helpers_after_at(ctx):
    assert inserts(complete("b 005930 100 @a", 15, ctx)) == ["@ask"]
    assert set(inserts(complete("b 005930 100 @", 14, ctx))) >= {"@ask", "@bid", "@last", "@mkt"}
    assert inserts(complete("b 005930 100 @7", 15, ctx)) == []
    assert "@mkt" not in inserts(complete("a #3 @", 6, ctx))   # an amend takes a price only


def test_routes_after_to(ctx):
    text = "b 005930 100 @71000 to "
    assert inserts(complete(text, len(text), ctx)) == [
        "kis:fundA", "ls:fundB", "kis:87654321-01", "plan:core", "plan:Growth"]
    assert inserts(complete(text + "f", len(text) + 1, ctx)) == ["kis:fundA", "ls:fundB"]
    assert inserts(complete(text + "ls", len(text) + 2, ctx)) == ["ls:fundB"]
    assert inserts(complete("b 005930 1 @1 plan:c", 20, ctx)) == ["plan:core"]
    label = complete(text, len(text), ctx).candidates[0].label
    assert label == "kis:fundA kis:12345678-01"


def test_cancel(ctx):
    assert inserts(complete("c ", 2, ctx)) == ["all"]
    assert inserts(complete("c a", 3, ctx)) == ["all"]
    assert inserts(complete("c #3 ", 5, ctx)) == []


OPEN = [Candidate("#1", "#1 매수 삼성전자 100 @71,000"), Candidate("#2", "#2 매도 카카오 5 @61,200"),
        Candidate("261204-00007", "261204-00007 매수 카카오 1 @61,000")]


def test_open_orders_after_c_and_a(ctx):
    assert inserts(complete("c ", 2, ctx, orders=OPEN)) == ["all", "#1", "#2", "261204-00007"]
    assert inserts(complete("a ", 2, ctx, orders=OPEN)) == ["#1", "#2", "261204-00007"]
    assert inserts(complete("a #", 3, ctx, orders=OPEN)) == ["#1", "#2"]
    assert inserts(complete("c 카카", 4, ctx, orders=OPEN)) == ["#2", "261204-00007"]
    assert inserts(complete("c 2612", 6, ctx, orders=OPEN)) == ["261204-00007"]
    assert inserts(complete("a #1 @", 6, ctx, orders=OPEN))[0] == "@ask"


def test_nothing_for_unknown_verbs_and_numbers(ctx):
    assert inserts(complete("x 삼성", 4, ctx)) == []
    assert inserts(complete("b 005930 10", 11, ctx)) == []


def test_nothing_for_an_overlong_line(ctx):
    text = "q " + "삼" * 400
    assert complete(text, len(text), ctx).candidates == []


def test_cursor_is_clamped(ctx):
    assert complete("b 0059", 99, ctx).end == 6
    assert complete("b 0059", -5, ctx).start == 0


def test_fast(ctx):
    lines = ["b ㅅㅅ", "b 삼성", "b 005930 100 i", "b 005930 100 @71000 to ", "q 카"]
    for line in lines:
        complete(line, len(line), ctx)
    start = time.perf_counter()
    for _ in range(200):
        for line in lines:
            complete(line, len(line), ctx)
    per_call = (time.perf_counter() - start) / (200 * len(lines))
    assert per_call < 0.001, f"{per_call * 1e3:.3f} ms per completion"
