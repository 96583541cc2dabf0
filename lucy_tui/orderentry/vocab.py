"""The words of the command language, shared by the parser and the completer.

Every word is matched case-insensitively. Korean synonyms are what a Korean fund manager says
out loud; the lone jamo verbs (ㅠ, ㄴ, ㅊ, ㅁ, ㅂ) are what ``b``, ``s``, ``c``, ``a`` and ``q``
become when the keyboard is still in 한글 mode (2-beolsik layout), a slip made many times a day.
"""

from __future__ import annotations

from ..domain.model import Side, TimeInForce, Venue

# verb → command kind
VERBS: dict[str, str] = {
    "b": "buy", "buy": "buy", "매수": "buy", "ㅠ": "buy",
    "s": "sell", "sell": "sell", "매도": "sell", "ㄴ": "sell",
    "c": "cancel", "cancel": "cancel", "취소": "cancel", "ㅊ": "cancel",
    "a": "amend", "amend": "amend", "정정": "amend", "ㅁ": "amend",
    "q": "quote", "quote": "quote", "시세": "quote", "호가": "quote", "ㅂ": "quote",
    "?": "help", "help": "help", "도움말": "help",
}
SIDES = {"buy": Side.BUY, "sell": Side.SELL}

#: Priced-by-the-market order types (a PriceSpec kind each); ``cond`` is different: it is a
#: limit that turns market at the close, so it takes a price as well.
TYPE_WORDS: dict[str, str] = {
    "mkt": "market", "market": "market", "시장가": "market",
    "best": "best", "최유리": "best", "최유리지정가": "best",
    "top": "top", "최우선": "top", "최우선지정가": "top",
    "mid": "mid", "중간가": "mid",
    "cond": "cond", "조건부": "cond", "조건부지정가": "cond",
}
#: ``지정가`` (limit) is accepted as a marker so the echo line reads back; it needs a price.
LIMIT_WORDS = frozenset({"limit", "lmt", "지정가"})

#: Price helpers after ``@``: a price taken from the quote, optionally moved by ±N ticks.
QUOTE_PRICE_WORDS: dict[str, str] = {
    "bid": "bid", "매수호가": "bid",
    "ask": "ask", "매도호가": "ask",
    "last": "last", "현재가": "last",
}

TIF_WORDS: dict[str, TimeInForce] = {
    "day": TimeInForce.DAY, "당일": TimeInForce.DAY,
    "ioc": TimeInForce.IOC, "fok": TimeInForce.FOK,
}
VENUE_WORDS: dict[str, Venue] = {"krx": Venue.KRX, "nxt": Venue.NXT, "sor": Venue.SOR}
ROUTE_WORDS = frozenset({"to", "→", "->"})
PLAN_PREFIX = "plan:"
ALL_WORDS = frozenset({"all", "전체", "모두"})

#: How the echo line names each PriceSpec kind, and the English spelling completion offers.
KIND_KO = {"market": "시장가", "best": "최유리", "top": "최우선", "mid": "중간가", "cond": "조건부",
           "bid": "매수호가", "ask": "매도호가", "last": "현재가"}
KIND_EN = {"market": "mkt", "best": "best", "top": "top", "mid": "mid", "cond": "cond",
           "bid": "bid", "ask": "ask", "last": "last"}


def is_keyword(word: str) -> bool:
    """A word that ends a (possibly several-word) symbol: a modifier, never part of a name."""
    w = word.casefold()
    return (w in TYPE_WORDS or w in LIMIT_WORDS or w in TIF_WORDS or w in VENUE_WORDS
            or w in ROUTE_WORDS or w.startswith(PLAN_PREFIX))
