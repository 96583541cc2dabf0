"""The shipped instrument list, ISINs, lookup and search (codes, Korean names, 초성)."""

import random
import time
import unicodedata
from dataclasses import replace
from datetime import date

import pytest

from lucy_tui.domain import hangul
from lucy_tui.domain.instruments import (
    AmbiguousInstrument,
    Universe,
    UnknownInstrument,
    check_instrument,
    is_valid_isin,
    isin_check_digit,
    load_default,
    make_isin,
    parse_csv,
)
from lucy_tui.domain.krx import price_band, tick_size
from lucy_tui.domain.model import Instrument, InstrumentKind, Market

U = load_default()
STOCK, ETF = InstrumentKind.STOCK, InstrumentKind.ETF


def codes(results):
    return [i.code for i in results]


def inst(code, name, name_en="", market=Market.KOSPI, kind=STOCK):
    return Instrument(code=code, isin=make_isin(code), name=name, name_en=name_en, market=market,
                      kind=kind, base_price=10_000)


# -- ISIN ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("code, isin", [
    ("005930", "KR7005930003"), ("000660", "KR7000660001"), ("035720", "KR7035720002"),
    ("035420", "KR7035420009"), ("069500", "KR7069500007"), ("247540", "KR7247540008"),
    ("000020", "KR7000020008"), ("005935", "KR7005935002"), ("0004Y0", "KR70004Y0000"),
])
def test_make_isin_reproduces_the_spec_examples(code, isin):
    assert make_isin(code) == isin
    assert make_isin(code.lower()) == isin
    assert is_valid_isin(isin)


def test_exchange_isins_that_the_simple_rule_does_not_produce_still_check():
    # preferred shares carry their class in the ISIN body; only the check digit is verifiable
    for isin, code in (("KR7005381009", "005385"), ("KR7005931001", "005935"),
                       ("KR7000211003", "000215")):
        assert is_valid_isin(isin)
        assert make_isin(code) != isin


def test_isin_validation_rejects_bad_input():
    assert not is_valid_isin("KR7005930004")      # wrong check digit
    assert not is_valid_isin("KR700593000")       # too short
    assert not is_valid_isin("kr7005930003")
    assert not is_valid_isin("KR700593000X")
    assert not is_valid_isin(None)
    assert is_valid_isin("US0378331005")          # Apple: letters and Luhn, not Korea-specific
    assert isin_check_digit("US037833100") == "5"
    with pytest.raises(ValueError):
        isin_check_digit("KR70059300")
    with pytest.raises(ValueError):
        make_isin("5930")


# -- the shipped CSV ----------------------------------------------------------------------------


def test_shipped_list_size_and_shape():
    assert len(U) >= 120
    all_codes = codes(U)
    assert len(set(all_codes)) == len(all_codes)
    for i in U:
        assert len(i.code) == 6 and i.code.isalnum(), i.code
        assert check_instrument(i) == [], check_instrument(i)
        assert i.lot == 1
        assert i.name and i.name_en


def test_every_shipped_isin_checks_and_ordinary_ones_follow_the_rule():
    preferred = {"005935", "005385", "000215"}
    for i in U:
        assert is_valid_isin(i.isin), i
        if i.code not in preferred:
            assert i.isin == make_isin(i.code), i
    assert U.by_isin("KR7005931001").code == "005935"


def test_every_base_price_is_a_valid_tick_for_its_kind():
    for i in U:
        assert i.base_price > 0
        assert i.base_price % tick_size(i.base_price, i.kind, i.market) == 0, i


def test_etfs_include_sub_2000_won_ones_on_the_1_won_tick():
    etfs = [i for i in U if i.kind is ETF]
    assert len(etfs) >= 20
    cheap = [i for i in etfs if i.base_price < 2_000]
    assert cheap and all(tick_size(i.base_price, ETF) == 1 for i in cheap)
    assert any(i.base_price % 5 for i in cheap)    # a price a stock table would reject
    assert all(not i.nxt for i in etfs)
    assert {"069500", "102110", "122630", "252670", "229200", "360750"} <= set(codes(etfs))


def test_spec_sample_symbols_are_present():
    expect = {
        "005930": ("삼성전자", Market.KOSPI), "005935": ("삼성전자우", Market.KOSPI),
        "000660": ("SK하이닉스", Market.KOSPI), "035720": ("카카오", Market.KOSPI),
        "035420": ("NAVER", Market.KOSPI), "069500": ("KODEX 200", Market.KOSPI),
        "247540": ("에코프로비엠", Market.KOSDAQ), "086520": ("에코프로", Market.KOSDAQ),
        "000020": ("동화약품", Market.KOSPI), "005385": ("현대차우", Market.KOSPI),
        "000040": ("KR모터스", Market.KOSPI), "0004Y0": ("디비금융제14호스팩", Market.KOSDAQ),
        "023530": ("롯데쇼핑", Market.KOSPI), "032640": ("LG유플러스", Market.KOSPI),
        "030000": ("제일기획", Market.KOSPI), "120110": ("코오롱인더", Market.KOSPI),
        "010950": ("S-Oil", Market.KOSPI), "215000": ("골프존", Market.KOSDAQ),
        "086450": ("동국제약", Market.KOSDAQ), "056190": ("에스에프에이", Market.KOSDAQ),
        "122870": ("와이지엔터테인먼트", Market.KOSDAQ), "078340": ("컴투스", Market.KOSDAQ),
    }
    for code, (name, market) in expect.items():
        assert (U[code].name, U[code].market) == (name, market), code
    assert U["000040"].managed and not U["005930"].managed
    assert U["0004Y0"].spac and U["0004Y0"].listed_on == date(2025, 7, 22)
    assert U["005930"].base_price == 269_000 and U["005930"].listed_on == date(1975, 6, 11)
    assert U["069500"].kind is ETF


def test_ls_example_bases_give_the_published_limits():
    assert price_band(U["000020"].base_price) == (7_390, 13_710)
    assert price_band(U["005385"].base_price) == (75_600, 140_200)


def test_load_default_is_cached():
    assert load_default() is U


def test_csv_errors_name_the_line():
    header = "code,isin,name,name_en,market,kind,nxt,base_price,lot,spac,managed,listed_on\n"
    good = "005930,KR7005930003,삼성전자,Samsung,KOSPI,stock,Y,269000,1,N,N,\n"
    assert parse_csv(header + good)[0].listed_on is None
    with pytest.raises(ValueError, match="line 3: nxt must be Y or N"):
        parse_csv(header + good + good.replace(",Y,", ",yes,"))
    with pytest.raises(ValueError, match="line 2"):
        parse_csv(header + good.replace("KOSPI", "NYSE"))
    with pytest.raises(ValueError, match="expected columns"):
        parse_csv("code,name\n005930,삼성전자\n")


# -- lookup -------------------------------------------------------------------------------------


def test_get_accepts_prefixed_and_untidy_codes():
    samsung = U["005930"]
    for text in ("005930", "A005930", "a005930", " 005930 ", "Q005930"):
        assert U.get(text) is samsung, text
    assert U.get("0004y0").code == "0004Y0"
    assert U.get("999999") is None and U.get("B005930") is None


def test_getitem_raises_a_keyerror_that_says_what_is_missing():
    with pytest.raises(KeyError) as err:
        U["999999"]
    assert str(err.value) == "종목코드 '999999'은(는) 종목 목록에 없습니다"


def test_contains_iter_len_and_isin():
    assert "005930" in U and "A005930" in U and U["005930"] in U
    assert "999999" not in U and 5930 not in U
    assert list(U)[0].code == "005930"
    assert len(list(U)) == len(U)
    assert U.by_isin(" kr7005930003 ").code == "005930"
    assert U.by_isin("KR7999999999") is None


def test_duplicate_codes_are_refused():
    with pytest.raises(ValueError, match="duplicate"):
        Universe([inst("005930", "가"), inst("005930", "나")])


# -- search -------------------------------------------------------------------------------------


def test_code_queries():
    assert codes(U.search("005930"))[0] == "005930"
    assert codes(U.search("A005930"))[0] == "005930"
    assert codes(U.search("0059"))[:2] == ["005930", "005935"]
    assert codes(U.search("KR7005930003"))[0] == "005930"
    assert "005930" in codes(U.search("5930"))          # code substring, 3+ characters


def test_korean_name_queries():
    assert codes(U.search("삼성전자"))[:2] == ["005930", "005935"]
    results = U.search("삼성")
    assert results[0].code == "005930"
    assert len(results) >= 8 and all(i.name.startswith("삼성") for i in results[:8])
    eco = U.search("에코프로")
    assert eco[0].code == "086520"                       # the exact name beats the prefixes
    assert {"247540", "450080"} <= set(codes(eco[1:3]))
    assert codes(U.search("하이닉스")) == ["000660"]      # substring


def test_choseong_queries():
    assert U.search("ㅅㅅㅈㅈ")[0].code == "005930"
    several = U.search("ㅅㅅ", limit=100)
    starts = [hangul.choseong_string(i.name).startswith("ㅅㅅ") for i in several]
    assert sum(starts) >= 5
    assert starts == sorted(starts, reverse=True)        # 초성 prefixes before 초성 substrings
    assert "102780" in codes(several)                      # KODEX 삼성그룹: 초성 substring
    assert codes(several)[:2] == ["005930", "207940"]     # shipped order ≈ market cap
    assert U.search("ㅋㅋㅇ")[0].code == "035720"         # 카카오 whole, before 카카오뱅크
    assert "000660" in codes(U.search("ㅎㅇㄴㅅ"))        # 초성 substring of SK하이닉스


def test_mixed_syllable_and_jamo_queries():
    results = U.search("삼ㅅ", limit=100)
    assert results[0].code == "005930"
    prefix = [i.name[0] == "삼" and hangul.choseong(i.name[1]) == "ㅅ" for i in results]
    assert sum(prefix) >= 10 and prefix == sorted(prefix, reverse=True)
    assert codes(results[sum(prefix):]) == ["102780"]     # "KODEX 삼성그룹" holds 삼성 inside
    assert U.search("삼ㅅㅈㅈ")[0].code == "005930"
    assert U.search("ㅅ성전ㅈ")[0].code == "005930"
    assert U.search("삼ㅂ") == []


def test_english_and_case_insensitive_queries():
    samsung = U.search("samsung")
    assert samsung[0].code == "005930"
    assert all("samsung" in i.name_en.lower() for i in samsung)
    assert U.search("SAMSUNG") == samsung
    assert U.search("naver")[0].code == "035420"
    assert U.search("Naver")[0].code == "035420"
    assert U.search("sk")[0].code == "034730"             # exact name SK before SK하이닉스
    assert U.search("LG")[0].code == "003550"


def test_whitespace_is_ignored():
    assert U.search("삼성 전자")[0].code == "005930"
    assert U.search("  kodex 200 ")[0].code == "069500"
    assert U.search("KODEX200")[0].code == "069500"
    assert U.search("ㅅㅅ ㅈㅈ")[0].code == "005930"


def test_decomposed_and_conjoining_input():
    assert U.search(unicodedata.normalize("NFD", "삼성전자"))[0].code == "005930"
    assert U.search("\u1109\u1109\u110c\u110c")[0].code == "005930"   # conjoining ᄉᄉᄌᄌ


def test_double_consonant_initials_match_exactly():
    small = Universe([inst("000001", "쌍방울"), inst("000002", "상신전자"), inst("000003", "까뮤이앤씨"),
                      inst("000004", "가온전선")])
    assert codes(small.search("ㅆ")) == ["000001", "000003"]   # 쌍…, then …씨 inside
    assert codes(small.search("ㅅ")) == ["000002", "000004"]   # 상…, then …선 inside
    assert codes(small.search("ㄲ")) == ["000003"]
    assert codes(small.search("ㄱ")) == ["000004"]
    assert codes(small.search("쌍ㅂ")) == ["000001"]
    assert codes(small.search("상ㅂ")) == []
    assert codes(small.search("ㅆ방울")) == ["000001"]      # mixed queries: same rule
    assert codes(small.search("ㅅ방울")) == []
    assert codes(small.search("ㄱ뮤")) == []


def test_tier_order_exact_code_then_name_then_prefixes():
    small = Universe([
        inst("222220", "123456"),           # a name equal to another's code, listed first
        inst("111110", "알파123456"),       # its name contains another's code
        inst("123456", "베타"),
        inst("123457", "감마"),
    ])
    assert codes(small.search("123456")) == ["123456", "222220", "111110"]
    # code prefixes, then the name starting with it, then the name containing it
    assert codes(small.search("12345")) == ["123456", "123457", "222220", "111110"]


def test_limit_and_empty_queries():
    assert len(U.search("ㅅ", limit=3)) == 3
    assert U.search("ㅅ", limit=0) == []
    assert U.search("") == [] and U.search("   ") == []
    assert U.search("존재하지않는종목이름") == []


# -- resolve ------------------------------------------------------------------------------------


def test_resolve_unique_matches():
    assert U.resolve("005930").code == "005930"
    assert U.resolve("A005930").code == "005930"
    assert U.resolve("삼성전자").code == "005930"
    assert U.resolve("ㅅㅅㅈㅈ").code == "005930"
    assert U.resolve("naver").code == "035420"
    assert U.resolve(" 카카오 ").code == "035720"
    assert U.resolve("하이닉스").code == "000660"


def test_resolve_ambiguous_lists_candidates():
    with pytest.raises(AmbiguousInstrument) as err:
        U.resolve("삼성")
    assert err.value.candidates[0].code == "005930"
    assert all(i.name.startswith("삼성") for i in err.value.candidates)
    message = str(err.value)
    assert message.startswith("'삼성'에 맞는 종목이 여러 개입니다: 삼성전자(005930), ")
    assert "외 " in message
    assert isinstance(err.value, ValueError)


def test_resolve_unknown_suggests_similar_names():
    with pytest.raises(UnknownInstrument) as err:
        U.resolve("삼성젼자")
    assert str(err.value).startswith("'삼성젼자' 종목을 찾을 수 없습니다 — 비슷한 종목: 삼성전자(005930)")
    assert isinstance(err.value, ValueError)
    with pytest.raises(UnknownInstrument) as err:
        U.resolve("zqxwvu")
    assert str(err.value) == "'zqxwvu' 종목을 찾을 수 없습니다" and err.value.suggestions == ()
    with pytest.raises(UnknownInstrument):
        U.resolve("")
    assert U.similar("navre")[0].code == "035420"


# -- merging ------------------------------------------------------------------------------------


def test_merge_replaces_extends_and_keeps_what_the_master_lacks():
    base = Universe([inst("005930", "삼성전자", "Samsung Electronics"),
                     inst("000660", "SK하이닉스", "SK hynix")])
    base = Universe(replace(i, nxt=i.code == "005930") for i in base)
    fresh = [Instrument(code="005930", isin="KR7005930003", name="삼성전자", name_en="",
                        market=Market.KOSPI, kind=STOCK, base_price=270_000),
             inst("0004Y0", "디비금융제14호스팩", market=Market.KOSDAQ)]
    merged = base.merge(fresh)
    assert codes(merged) == ["005930", "000660", "0004Y0"]
    assert merged["005930"].base_price == 270_000
    assert merged["005930"].name_en == "Samsung Electronics" and merged["005930"].nxt is True
    assert merged.merge(fresh, keep_nxt=False)["005930"].nxt is False
    assert codes(base) == ["005930", "000660"]          # the original is unchanged


# -- speed --------------------------------------------------------------------------------------


def _synthetic_universe(n: int) -> Universe:
    rng = random.Random(7)
    syllables = [chr(0xAC00 + rng.randrange(11172)) for _ in range(400)]
    out = []
    for k in range(n):
        name = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 7)))
        out.append(inst(f"{100000 + k:06d}", name, f"Company {k}"))
    return Universe(out)


def test_search_over_3000_instruments_is_fast_and_does_not_redecompose_names(monkeypatch):
    big = _synthetic_universe(3_000)
    names = [i.name for i in big]

    def forbidden(*_args):
        raise AssertionError("search must use the keys computed at construction")

    monkeypatch.setattr(hangul, "choseong_string", forbidden)
    monkeypatch.setattr(hangul, "decompose", forbidden)
    queries = ["100", "1023", "company 12", "ㅅㅅ", "ㄱㄴㄷ", names[10][:2], names[20],
               names[30][0] + "ㅅ", "없는이름", "ㅎ"] * 5
    start = time.perf_counter()
    for q in queries:
        big.search(q)
    per_query = (time.perf_counter() - start) / len(queries)
    assert per_query < 0.02, f"{per_query * 1000:.1f} ms per query"
    assert big.search(names[20])[0].name == names[20]
