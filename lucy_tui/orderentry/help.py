"""The command line's own help: what ``?`` shows, one line per form, with an example each."""

from __future__ import annotations

from . import vocab

#: (topic verb, syntax, what it does, example)
ENTRIES: tuple[tuple[str, str, str, str], ...] = (
    ("b", "b|매수 종목 수량|₩금액 [가격] [유형] [ioc|fok] [krx|nxt|sor] [to 계좌|plan:이름]",
     "매수 buy", "b 005930 100 @71000"),
    ("s", "s|매도 …", "매도 sell (같은 문법)", "s 삼성전자 50 mkt"),
    ("b", "종목", "코드, 이름, 초성 (005930, 삼성전자, ㅅㅅㅈㅈ, KODEX 200)", "b ㅋㅋㅇ 10 best"),
    ("b", "수량 / 금액", "100, 1,000, 100주, 1만주 / ₩10,000,000, 1000만원, 1억, 5천만",
     "b 카카오 ₩10,000,000 @best to plan:core"),
    ("b", "가격", "@71000, @71,000, 수량 뒤의 숫자; @bid @ask @last ±틱 (@ask+2)",
     "b 005930 10 @ask+1 ioc"),
    ("b", "유형", "mkt 시장가 · best 최유리 · top 최우선 · mid 중간가 · cond 조건부(가격 필요)",
     "b 005930 10 @71000 cond"),
    ("b", "경로", "to kis:fundA · to fundA · to plan:core · plan:core (없으면 기본 계좌)",
     "b 005930 10 @71000 ioc to kis:fundA nxt"),
    ("c", "c|취소 주문 · c all [종목]", "취소: 주문번호, 로컬 id 또는 #행", "c #3 · c all 삼성전자"),
    ("a", "a|정정 주문 @가격 [수량]", "정정 amend (가격은 @ 필수; 숫자만은 수량)", "a #3 @71100 50"),
    ("q", "q|시세 종목", "시세 quote", "q 카카오"),
)


def help_lines(topic: str = "") -> list[str]:
    """Help lines for every form, or for one verb's (``b``, ``매도``, ``c`` …)."""
    kind = vocab.VERBS.get(topic.casefold()) if topic else None
    verb = {"buy": "b", "sell": "b", "cancel": "c", "amend": "a", "quote": "q"}.get(kind or "")
    rows = [e for e in ENTRIES if verb is None or e[0] == verb or (verb == "b" and e[0] == "s")]
    return [f"{syntax}  —  {what}  (예: {example})" for _, syntax, what, example in rows]
