"""The words of the command language, shared by the parser and the completer.

Every word is matched case-insensitively. Korean synonyms are what a Korean fund manager says
out loud. A keyword typed with the keyboard still in 한글 mode (ㅠ for ``b``, ㅡㅏㅅ for ``mkt``),
a slip made many times a day, is read as the Latin keys that were pressed (:func:`latin`).
"""

from __future__ import annotations

from ..domain import hangul
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

#: The Korean words of the language, which must never be read as 한글-mode Latin.
KOREAN_WORDS = frozenset(
    w for table in (VERBS, TYPE_WORDS, LIMIT_WORDS, QUOTE_PRICE_WORDS, TIF_WORDS, ALL_WORDS)
    for w in table if not w.isascii())

#: How the echo line names each PriceSpec kind, and the English spelling completion offers.
KIND_KO = {"market": "시장가", "best": "최유리", "top": "최우선", "mid": "중간가", "cond": "조건부",
           "bid": "매수호가", "ask": "매도호가", "last": "현재가"}
KIND_EN = {"market": "mkt", "best": "best", "top": "top", "mid": "mid", "cond": "cond",
           "bid": "bid", "ask": "ask", "last": "last"}


def is_keyword(word: str) -> bool:
    """A word that ends a (possibly several-word) symbol: a modifier, never part of a name."""
    w = latin(word)
    return (w in TYPE_WORDS or w in LIMIT_WORDS or w in TIF_WORDS or w in VENUE_WORDS
            or w in ROUTE_WORDS or w.startswith(PLAN_PREFIX))


# -- words typed with the keyboard in 한글 mode --------------------------------------------------

# The 2-beolsik (두벌식) layout: which Latin key makes each jamo. Compound vowels and final
# clusters are typed as two keys.
_KEYS = {
    "ㄱ": "r", "ㄲ": "R", "ㄴ": "s", "ㄷ": "e", "ㄸ": "E", "ㄹ": "f", "ㅁ": "a", "ㅂ": "q",
    "ㅃ": "Q", "ㅅ": "t", "ㅆ": "T", "ㅇ": "d", "ㅈ": "w", "ㅉ": "W", "ㅊ": "c", "ㅋ": "z",
    "ㅌ": "x", "ㅍ": "v", "ㅎ": "g",
    "ㅏ": "k", "ㅐ": "o", "ㅑ": "i", "ㅒ": "O", "ㅓ": "j", "ㅔ": "p", "ㅕ": "u", "ㅖ": "P",
    "ㅗ": "h", "ㅘ": "hk", "ㅙ": "ho", "ㅚ": "hl", "ㅛ": "y", "ㅜ": "n", "ㅝ": "nj", "ㅞ": "np",
    "ㅟ": "nl", "ㅠ": "b", "ㅡ": "m", "ㅢ": "ml", "ㅣ": "l",
    "ㄳ": "rt", "ㄵ": "sw", "ㄶ": "sg", "ㄺ": "fr", "ㄻ": "fa", "ㄼ": "fq", "ㄽ": "ft", "ㄾ": "fx",
    "ㄿ": "fv", "ㅀ": "fg", "ㅄ": "qt",
}


def verb(word: str) -> str | None:
    """The command kind a verb names (``b``, ``매수``, ``ㅠ``, ``ㅠㅕㅛ`` for buy …), or None."""
    return VERBS.get(word.casefold()) or VERBS.get(latin(word))


def qwerty(word: str) -> str:
    """The Latin keys that typed ``word`` in 한글 mode: ``ㅡㅏㅅ`` → ``mkt``, ``ㅑㅐㅊ`` → ``ioc``,
    ``새`` → ``to``. Other characters are kept."""
    # normalize() first: NFKC (applied to numbers upstream) turns ㅅ into a conjoining jamo.
    return "".join(_KEYS.get(j, j) for j in hangul.decompose(hangul.normalize(word)))


def latin(word: str) -> str:
    """``word`` casefolded; a Hangul word that spells none of our Korean words becomes the
    Latin keys it was typed with, so ``ㅑㅐㅊ`` reads as ``ioc``. Korean names never reach
    this: it is applied only where a keyword or verb is expected."""
    w = word.casefold()
    if w.isascii() or w in KOREAN_WORDS:
        return w
    return qwerty(w).casefold()
