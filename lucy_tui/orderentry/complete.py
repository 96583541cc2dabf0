"""Inline completion for the command line: what may replace the token under the cursor.

Where the token sits decides what is offered: the verb first; then the symbol (by code, Korean
or English name, or 초성, labelled ``005930 삼성전자``); then keywords (price types, ``@`` price
helpers, IOC/FOK, venues, ``to``); accounts and plans after ``to``; ``all`` after ``c``. The
universe's search keys are precomputed, so this is a scan of short strings per keystroke.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from . import numbers, vocab
from .commands import EntryContext
from .grammar import MAX_LINE, Token, ends_symbol, route_text, tokenize

SYMBOL_LIMIT = 10


@dataclass(frozen=True, slots=True)
class Candidate:
    insert: str     # what replaces text[start:end]
    label: str      # what the list shows


@dataclass(frozen=True, slots=True)
class Completion:
    start: int
    end: int
    candidates: list[Candidate] = field(default_factory=list)


_VERB_CANDIDATES = (
    Candidate("b", "b 매수"), Candidate("s", "s 매도"), Candidate("c", "c 취소"),
    Candidate("a", "a 정정"), Candidate("q", "q 시세"), Candidate("?", "? 도움말"),
    Candidate("매수", "매수 buy"), Candidate("매도", "매도 sell"), Candidate("취소", "취소 cancel"),
    Candidate("정정", "정정 amend"), Candidate("시세", "시세 quote"),
)
_KEYWORD_CANDIDATES = (
    Candidate("mkt", "mkt 시장가"), Candidate("best", "best 최유리"), Candidate("top", "top 최우선"),
    Candidate("mid", "mid 중간가"), Candidate("cond", "cond 조건부"),
    Candidate("ioc", "ioc 즉시체결 잔량취소"), Candidate("fok", "fok 전량체결 아니면 취소"),
    Candidate("krx", "krx 한국거래소"), Candidate("nxt", "nxt 넥스트레이드"),
    Candidate("sor", "sor 최선집행"), Candidate("to", "to 계좌/plan"),
    Candidate("시장가", "시장가 mkt"), Candidate("최유리", "최유리 best"),
    Candidate("최우선", "최우선 top"), Candidate("중간가", "중간가 mid"),
    Candidate("조건부", "조건부 cond"),
)
_PRICE_CANDIDATES = (
    Candidate("@ask", "@ask 매도호가"), Candidate("@bid", "@bid 매수호가"),
    Candidate("@last", "@last 현재가"), Candidate("@mkt", "@mkt 시장가"),
    Candidate("@best", "@best 최유리"), Candidate("@top", "@top 최우선"),
    Candidate("@mid", "@mid 중간가"),
    Candidate("@매도호가", "@매도호가 ask"), Candidate("@매수호가", "@매수호가 bid"),
    Candidate("@현재가", "@현재가 last"),
)


def _prefixed(cands, prefix: str) -> list[Candidate]:
    """Candidates the prefix begins, typed as is or with the keyboard in 한글 mode (ㅡ → m)."""
    forms = {prefix.casefold(), vocab.latin(prefix)} if prefix else {""}
    return [c for c in cands
            if any(c.insert.casefold().startswith(p) and c.insert.casefold() != p
                   for p in forms)]


def _routes(ctx: EntryContext, prefix: str) -> list[Candidate]:
    out = [Candidate(route_text(a), f"{route_text(a)} {a.key}") for a in ctx.accounts]
    out += [Candidate(f"plan:{p}", f"plan:{p} 배분계획") for p in ctx.plans]
    p = prefix.casefold()
    return [c for c in out if c.insert.casefold().startswith(p) or
            c.insert.casefold().split(":", 1)[-1].startswith(p)]


def _orders(orders: Sequence[Candidate], prefix: str) -> list[Candidate]:
    p = prefix.casefold()
    if not p:
        return list(orders)
    return [c for c in orders if c.insert.casefold().startswith(p)
            or any(word.casefold().startswith(p) for word in c.label.split())]


def _symbols(ctx: EntryContext, query: str) -> list[Candidate]:
    if not query.strip():
        return []
    return [Candidate(i.code, f"{i.code} {i.name}")
            for i in ctx.universe.search(query, limit=SYMBOL_LIMIT)]


def complete(text: str, cursor: int, ctx: EntryContext, *,
             orders: Sequence[Candidate] = ()) -> Completion:
    """Candidates for the token under ``cursor`` (0 ≤ cursor ≤ len(text)); replacing
    ``text[start:end]`` with a candidate's ``insert`` applies it.

    ``orders`` are the open orders a ``c``/``a`` may name, as the console shows them
    (``Candidate("#3", "#3 매수 삼성전자 100 @71,000")`` or a local id); they are offered after
    ``c`` and ``a``, filtered by what was typed (the insert or any word of the label)."""
    cursor = max(0, min(cursor, len(text)))
    if len(text) > MAX_LINE:
        return Completion(cursor, cursor, [])
    current = Token("", cursor, cursor)
    before: list[Token] = []
    for tok in tokenize(text):
        if tok.start <= cursor <= tok.end:
            current = tok
            break
        if tok.end < cursor:
            before.append(tok)
    prefix = text[current.start:cursor]

    def done(cands: list[Candidate], start: int = current.start) -> Completion:
        return Completion(start, current.end, cands)

    if not before:
        return done(_prefixed(_VERB_CANDIDATES, prefix))
    kind = vocab.verb(before[0].text)
    if kind is None:
        return done([])
    args = before[1:]
    if args and vocab.latin(args[-1].text) in vocab.ROUTE_WORDS:
        return done(_routes(ctx, prefix))
    if prefix.casefold().startswith(vocab.PLAN_PREFIX):
        return done(_routes(ctx, prefix))
    if kind in ("quote",) or (kind == "cancel" and args and
                              vocab.latin(args[0].text) in vocab.ALL_WORDS):
        symbol_args = args if kind == "quote" else args[1:]
        start = symbol_args[0].start if symbol_args else current.start
        return done(_symbols(ctx, text[start:cursor]), start)
    if kind in ("cancel", "amend") and not args:
        extra = (Candidate("all", "all 전체 취소"),) if kind == "cancel" else ()
        return done(_prefixed(extra, prefix) + _orders(orders, prefix))
    if kind == "amend":
        if prefix.startswith("@"):
            return done(_prefixed(_PRICE_CANDIDATES[:3] + _PRICE_CANDIDATES[7:], prefix))
        return done([])
    if kind == "cancel":
        return done([])
    if kind not in vocab.SIDES:
        return done([])
    # b / s: the symbol runs until the first number, price or keyword.
    if prefix.startswith("@"):
        return done(_prefixed(_PRICE_CANDIDATES, prefix))
    if not args:
        return done(_symbols(ctx, prefix))
    in_symbol = not any(ends_symbol(t) for t in args[1:])
    if in_symbol and prefix:
        # A name with spaces or numbers ("KODEX 2", "TIGER 미국") goes on; else a keyword.
        start = args[0].start
        names = _symbols(ctx, text[start:cursor])
        if names:
            return done(names, start)
    if numbers.looks_numeric(prefix) or (in_symbol and not prefix):
        return done([])     # a size or a price: nothing to offer
    return done(_prefixed(_KEYWORD_CANDIDATES, prefix))
