"""The command language of the console: tokenizer and parser.

::

    b|s SYMBOL SIZE [PRICE] [TYPE] [ioc|fok|day] [krx|nxt|sor] [to ROUTE | plan:NAME]
    c ORDER | c all [SYMBOL]          a ORDER @PRICE [QTY]          q SYMBOL          ? [TOPIC]

Korean verbs work too (매수 매도 취소 정정 시세). Verbs and keywords typed with the keyboard
still in 한글 mode are read as the keys pressed (ㅠ → b, ㅡㅏㅅ → mkt, 새 → to, @ㅁ나 → @ask);
names of instruments, accounts and plans are never converted.

- SYMBOL: a code (``005930``, ``A005930``), a Korean or English name, or its 초성 (``ㅅㅅㅈㅈ``);
  a unique prefix is enough. A name with spaces may be typed with them (``KODEX 삼성그룹``) up
  to the size; ``삼성전자(005930)``, as the echo line prints it, is read back too.
- SIZE: shares (``100``, ``1,000``, ``100주``, ``1만주``) or KRW (``₩10,000,000``,
  ``10,000,000원``, ``1억``, ``5천만``): a number with 만/억/조 and no 주 is an amount.
- PRICE: ``@71000``, ``@71,000``, ``@7만1천``; ``@bid``/``@ask``/``@last`` (매수호가, 매도호가,
  현재가) with ±ticks (``@ask+2``). A bare number *after the size* is the limit price
  (``b 005930 100 71000``): the first bare number is always the size, so this is never
  ambiguous. In an amend a bare number is the new quantity, so the price there needs ``@``.
- TYPE: ``mkt`` 시장가, ``best`` 최유리, ``top`` 최우선, ``mid`` 중간가 (no price), ``cond``
  조건부 (with a price), ``지정가``/``limit`` (the default, with a price). ``@mkt`` works too.
- ROUTE: ``to kis:fundA`` (broker:label or broker:number), ``to fundA``, ``to plan:core`` or
  just ``plan:core``. Without one the context's default route is used.

Modifiers may come in any order after the symbol. :func:`parse` returns a command or an
:class:`EntryError` whose offsets point at the offending token (``start == end``: something
missing there). It never raises on any input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..domain import hangul, krx
from ..domain.instruments import AmbiguousInstrument, UnknownInstrument, Universe
from ..domain.model import AccountRef, Instrument, OrderType, TimeInForce, Venue
from . import numbers, vocab
from .commands import (
    AmendCmd, CancelAllCmd, CancelCmd, Command, EntryContext, EntryError, HelpCmd, PlaceCmd,
    PriceSpec, QuoteCmd,
)

__all__ = [
    "AmendCmd", "CancelAllCmd", "CancelCmd", "Command", "EntryContext", "EntryError", "HelpCmd",
    "PlaceCmd", "PriceSpec", "QuoteCmd", "Token", "parse", "resolve_route", "resolve_symbol",
    "suggest", "tokenize",
]

#: A command is one line of a few words: longer input is a paste gone wrong, and is refused
#: before any work, so a keystroke never costs more than a few symbol lookups.
MAX_LINE = 300
#: The most words a name spans ("Samsung Electronics Co., Ltd." has four).
MAX_NAME_WORDS = 6
#: Up to this many instruments, an unknown symbol's error lists similar names (≈ 4 ms at 200).
SUGGEST_MAX_UNIVERSE = 300
VERB_HINT = "b 매수 · s 매도 · c 취소 · a 정정 · q 시세 · ? 도움말"
PRICE_HINT = "@71000, @ask, @bid+1, mkt, best, top, mid, cond"


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int


_WORD = re.compile(r"\S+")
_CODE_IN_PARENS = re.compile(r"^(.*)\(([0-9A-Za-z]{6})\)$", re.S)
_QUOTE_PRICE = re.compile(r"^([^\s+\-]+)(?:([+\-])(\d{1,3}))?$")


def tokenize(text: str) -> list[Token]:
    """Whitespace-separated tokens with offsets; a lone ``@`` or ``₩`` joins the next token."""
    raw = [Token(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
    out: list[Token] = []
    i = 0
    while i < len(raw):
        tok = raw[i]
        if tok.text in ("@", "₩", "\\") and i + 1 < len(raw):
            nxt = raw[i + 1]
            out.append(Token(tok.text + nxt.text, tok.start, nxt.end))
            i += 2
            continue
        out.append(tok)
        i += 1
    return out


class _Fail(Exception):
    def __init__(self, message: str, start: int, end: int):
        super().__init__(message)
        self.error = EntryError(message, start, end)


def _fail(message: str, where: Token | tuple[int, int]) -> _Fail:
    if isinstance(where, Token):
        return _Fail(message, where.start, where.end)
    return _Fail(message, *where)


def parse(text: str, ctx: EntryContext) -> Command | EntryError:
    """The command ``text`` spells, or where and why it does not."""
    try:
        return _parse(text, ctx)
    except _Fail as exc:
        return exc.error


def _parse(text: str, ctx: EntryContext) -> Command:
    if len(text) > MAX_LINE:
        raise _fail(f"명령이 너무 깁니다 ({len(text):,}자, 최대 {MAX_LINE}자) — line too long",
                    (MAX_LINE, len(text)))
    tokens = tokenize(text)
    end = (len(text), len(text))
    if not tokens:
        raise _fail(f"명령을 입력하세요 — type a command ({VERB_HINT})", end)
    verb, args = tokens[0], tokens[1:]
    kind = vocab.verb(verb.text)
    if kind is None:
        raise _fail(f"알 수 없는 명령 '{verb.text}' — unknown command ({VERB_HINT})", verb)
    if kind in vocab.SIDES:
        return _place(kind, verb, args, text, ctx)
    if kind == "cancel":
        return _cancel(verb, args, text, ctx)
    if kind == "amend":
        return _amend(verb, args, text)
    if kind == "quote":
        if not args:
            raise _fail("시세를 볼 종목을 입력하세요 — symbol missing", end)
        instrument, _, rest = resolve_symbol(args, text, ctx)
        if rest:
            raise _unexpected(rest[0])
        return QuoteCmd(instrument)
    return HelpCmd(" ".join(t.text for t in args))


def _unexpected(tok: Token, hint: str = "") -> _Fail:
    return _fail(f"'{tok.text}'은(는) 알 수 없는 입력입니다 — unexpected{hint}", tok)


# -- symbols ---------------------------------------------------------------------------------------


_ENDS_WITH_CODE = re.compile(r"\([0-9A-Za-z]{6}\)$")


def ends_symbol(tok: Token) -> bool:
    """Whether a token after the symbol's first one starts the rest of the line: a number, a
    price, an amount or a keyword. ``2차전지산업(305720)`` (the echo's form) still belongs to
    the name."""
    t = tok.text
    if _ENDS_WITH_CODE.search(t):
        return False
    return numbers.looks_numeric(t) or t.startswith(("@", "₩", "\\")) or vocab.is_keyword(t)


def resolve_symbol(tokens: list[Token], text: str, ctx: EntryContext, *, need_size: bool = False
                   ) -> tuple[Instrument, tuple[int, int], list[Token]]:
    """The instrument the leading tokens name, where it was typed, and the tokens after it.

    The first token is always part of the symbol. Names hold spaces and numbers (``KODEX 200``,
    ``TIGER 미국나스닥100``), so later tokens may join it up to the first price or keyword; the
    longest run that resolves wins, provided (with ``need_size``) a number is left for the size.
    When no run resolves, the error is the one for the words before the first number: what
    the user meant as the name.
    """
    if ctx.universe.get(tokens[0].text) is not None and (
            len(tokens) == 1 or ends_symbol(tokens[1])):
        # An exact code is the whole symbol: spare the longer runs a search each.
        span = (tokens[0].start, tokens[0].end)
        return ctx.universe[tokens[0].text], span, tokens[1:]
    most = min(len(tokens), MAX_NAME_WORDS)     # each run tried costs a universe search
    words = 1
    while words < most and not ends_symbol(tokens[words]):
        words += 1
    longest = words
    while longest < most and not _ends_name(tokens[longest]):
        longest += 1
    error: _Fail | None = None
    # With a size needed, a run that would swallow the only number is tried last: then the
    # name is right and the size is what is missing ("b KODEX 200 @1").
    for sized in ((True, False) if need_size else (False,)):
        for k in range(longest, 0, -1):
            if sized and k > words and not any(numbers.looks_numeric(t.text)
                                               for t in tokens[k:]):
                continue
            span = (tokens[0].start, tokens[k - 1].end)
            try:
                return _resolve_one(text[span[0]:span[1]], span, ctx), span, tokens[k:]
            except _Fail as exc:
                if k == words and error is None:
                    error = exc
    assert error is not None
    raise error


def _ends_name(tok: Token) -> bool:
    t = tok.text
    return t.startswith(("@", "₩", "\\")) or vocab.is_keyword(t)


def _resolve_one(query: str, span: tuple[int, int], ctx: EntryContext) -> Instrument:
    universe = ctx.universe
    m = _CODE_IN_PARENS.match(query)
    if m:
        name, code = m.group(1).strip(), m.group(2)
        inst = universe.get(code)
        if inst is None:
            raise _fail(f"종목코드 '{code}'은(는) 종목 목록에 없습니다 — unknown code", span)
        if name and hangul.normalize(name) != hangul.normalize(inst.name):
            raise _fail(f"'{name}'과(와) 종목코드 {code}({inst.name})가 맞지 않습니다 — "
                        "name and code disagree", span)
        return inst
    found = _lookup(universe, query)
    if isinstance(found, str):
        raise _fail(found, span)
    return found


@lru_cache(maxsize=512)
def _lookup(universe: Universe, query: str) -> Instrument | str:
    """The instrument ``query`` names, or why not. Cached: the line is parsed again on every
    keystroke while the symbol stays the same (universes are immutable; keyed by identity)."""
    if not universe.search(query, limit=1):
        # Universe.resolve would rank every name for typo suggestions (54 ms over 2,700
        # instruments): too slow for the keystroke path, so only small universes get them
        # here; suggest() gives them on demand.
        suggestions = universe.similar(query) if len(universe) <= SUGGEST_MAX_UNIVERSE else ()
        return str(UnknownInstrument(query.strip(), suggestions))
    try:
        return universe.resolve(query)
    except (UnknownInstrument, AmbiguousInstrument) as exc:
        return str(exc)


def suggest(query: str, ctx: EntryContext, n: int = 5) -> list[Instrument]:
    """Names close to a mistyped symbol (삼성젼자 → 삼성전자), best first. Costs about 20 µs per
    instrument: call it off the keystroke path for a full master-file universe."""
    return ctx.universe.similar(query, n)


# -- routes --------------------------------------------------------------------------------------


def _account_names(a: AccountRef) -> set[str]:
    names = {a.number.casefold(), a.key.split(":", 1)[1].casefold()}
    if a.label:
        names.add(a.label.casefold())
    return names


def _route_hint(ctx: EntryContext) -> str:
    parts = [route_text(a) for a in ctx.accounts] + [f"plan:{p}" for p in ctx.plans]
    return ", ".join(parts) if parts else "설정된 계좌가 없습니다"


def route_text(account: AccountRef) -> str:
    """How a route is typed and echoed: ``kis:fundA``, or the account key without a label."""
    return f"{account.broker}:{account.label}" if account.label else account.key


def resolve_route(word: str, tok: Token | tuple[int, int], ctx: EntryContext
                  ) -> tuple[AccountRef | None, str]:
    """(account, plan) for ``kis:fundA``, ``fundA``, ``12345678-01``, ``plan:core`` or ``core``."""
    w = word.casefold()
    if w.startswith(vocab.PLAN_PREFIX):
        name = word[len(vocab.PLAN_PREFIX):]
        if not name:
            raise _fail("plan: 뒤에 배분계획 이름을 입력하세요 — plan name missing", tok)
        for plan in ctx.plans:
            if plan.casefold() == name.casefold():
                return None, plan
        known = ", ".join(f"plan:{p}" for p in ctx.plans) or "설정된 배분계획이 없습니다"
        raise _fail(f"배분계획 '{name}'이(가) 없습니다 — no such plan ({known})", tok)
    broker, sep, rest = w.partition(":")
    if sep:
        matches = [a for a in ctx.accounts if a.broker.casefold() == broker
                   and rest in _account_names(a)]
    else:
        matches = [a for a in ctx.accounts if w in _account_names(a)]
        if not matches:
            plans = [p for p in ctx.plans if p.casefold() == w]
            if plans:
                return None, plans[0]
    if len(matches) == 1:
        return matches[0], ""
    if matches:
        raise _fail(f"'{word}' 계좌가 여러 개입니다: {', '.join(a.key for a in matches)} — "
                    "name the broker (kis:…)", tok)
    raise _fail(f"계좌 '{word}'을(를) 찾을 수 없습니다 — unknown account ({_route_hint(ctx)})", tok)


# -- prices ----------------------------------------------------------------------------------------


def _price_after_at(tok: Token) -> PriceSpec | str:
    """A PriceSpec for ``@…``, or a type word (``@mkt``) as its PriceSpec kind."""
    body = tok.text[1:]
    if not body:
        raise _fail(f"'@' 뒤에 가격이 없습니다 — price missing ({PRICE_HINT})", tok)
    for word in dict.fromkeys((body.casefold(), vocab.latin(body))):
        if word in vocab.TYPE_WORDS:
            return vocab.TYPE_WORDS[word]
        m = _QUOTE_PRICE.match(word)
        if m and m.group(1) in vocab.QUOTE_PRICE_WORDS:
            ticks = int(m.group(3) or 0) * (-1 if m.group(2) == "-" else 1)
            return PriceSpec(vocab.QUOTE_PRICE_WORDS[m.group(1)], ticks=ticks)
    if numbers.looks_numeric(body):
        return PriceSpec("limit", _number(numbers.parse_price, body, tok))
    raise _fail(f"'{tok.text}'은(는) 가격이 아닙니다 — not a price ({PRICE_HINT})", tok)


def _number(fn, text: str, tok: Token):
    try:
        return fn(text)
    except numbers.NumberError as exc:
        raise _fail(str(exc), tok) from None


# -- b / s -----------------------------------------------------------------------------------------


def _place(kind: str, verb: Token, args: list[Token], text: str, ctx: EntryContext) -> PlaceCmd:
    end = (len(text), len(text))
    if not args:
        raise _fail("종목을 입력하세요 — symbol missing (예: b 005930 100 @71000)", end)
    instrument, symbol_span, rest = resolve_symbol(args, text, ctx, need_size=True)
    spans: dict[str, tuple[int, int]] = {"symbol": symbol_span}
    size: tuple[str, int] | None = None
    price: PriceSpec | None = None
    type_word: str | None = None        # a PriceSpec kind, or "limit" for 지정가
    tif: TimeInForce | None = None
    venue: Venue | None = None
    route: tuple[AccountRef | None, str] | None = None

    def once(name: str, tok: Token, what: str) -> None:
        if name in spans:
            first = text[spans[name][0]:spans[name][1]]
            raise _fail(f"{what}이(가) 두 번 입력되었습니다: '{first}', '{tok.text}' — "
                        f"{name} given twice", tok)
        spans[name] = (tok.start, tok.end)

    i = 0
    while i < len(rest):
        tok = rest[i]
        raw = numbers.normalize(tok.text).casefold()
        word = vocab.latin(raw)
        i += 1
        if raw.startswith("@"):
            got = _price_after_at(tok)
            if isinstance(got, str):
                once("type", tok, "주문유형")
                type_word = got
            else:
                once("price", tok, "가격")
                price = got
        elif word in vocab.TYPE_WORDS or word in vocab.LIMIT_WORDS:
            once("type", tok, "주문유형")
            type_word = vocab.TYPE_WORDS.get(word, "limit")
        elif word in vocab.TIF_WORDS:
            once("tif", tok, "체결조건(IOC/FOK)")
            tif = vocab.TIF_WORDS[word]
        elif word in vocab.VENUE_WORDS:
            once("venue", tok, "시장(KRX/NXT/SOR)")
            venue = vocab.VENUE_WORDS[word]
        elif word in vocab.ROUTE_WORDS:
            if i >= len(rest):
                raise _fail(f"'{tok.text}' 뒤에 계좌나 plan:이름을 입력하세요 — route missing "
                            f"({_route_hint(ctx)})", end)
            target = rest[i]
            i += 1
            once("route", Token(target.text, tok.start, target.end), "계좌")
            route = resolve_route(target.text, target, ctx)
        elif raw.startswith(vocab.PLAN_PREFIX):
            once("route", tok, "계좌")
            route = resolve_route(tok.text, tok, ctx)
        elif numbers.looks_numeric(raw):
            if size is None:
                size = _number(numbers.parse_size, tok.text, tok)
                spans["size"] = (tok.start, tok.end)
            elif "price" not in spans and not raw.startswith(numbers.AMOUNT_PREFIXES) \
                    and not raw.endswith("주"):
                price = PriceSpec("limit", _number(numbers.parse_price, tok.text, tok))
                spans["price"] = (tok.start, tok.end)
            else:
                raise _fail(f"'{tok.text}'은(는) 무엇인지 알 수 없습니다: 수량/금액은 "
                            f"'{text[slice(*spans['size'])]}', 가격은 @로 입력하세요 — "
                            "size already given", tok)
        else:
            hint = ""
            try:
                resolve_route(tok.text, tok, ctx)
                hint = f"; 계좌라면 'to {tok.text}'"
            except _Fail:
                pass
            raise _unexpected(tok, hint)
    if size is None:
        raise _fail("수량(주) 또는 금액(₩)을 입력하세요 — size missing (예: 100, 100주, ₩1,000만)",
                    (symbol_span[1], symbol_span[1]))
    spec = _combine(price, type_word, spans, end)
    if route is None:
        route = (ctx.default_account, ctx.default_plan)
        default_route = True
    else:
        default_route = False
    account, plan = route
    if plan:
        account = None
    size_kind, size_value = size
    spans["end"] = end
    return PlaceCmd(
        side=vocab.SIDES[kind],
        instrument=instrument,
        qty=size_value if size_kind == "qty" else 0,
        amount=size_value if size_kind == "amount" else 0,
        price=spec,
        tif=tif or TimeInForce.DAY,
        venue=venue or ctx.default_venue,
        account=account,
        plan=plan,
        default_route=default_route,
        spans=tuple((k, s, e) for k, (s, e) in spans.items()),
    )


def _combine(price: PriceSpec | None, type_word: str | None, spans: dict[str, tuple[int, int]],
             end: tuple[int, int]) -> PriceSpec:
    """One PriceSpec from the price typed and the order type typed, or why they do not fit."""
    if type_word is None or type_word == "limit":
        if price is None:
            raise _fail(f"가격을 입력하세요 — price missing ({PRICE_HINT})", end)
        return price
    order_type = PriceSpec(type_word).order_type
    if type_word == "cond":
        if price is None:
            raise _fail(krx.order_violations(OrderType.CONDITIONAL, None, 1)[0].ko, spans["type"])
        if price.kind != "limit":
            raise _fail("조건부지정가는 숫자 가격으로 입력하세요 (예: @71000 cond) — a conditional "
                        "order takes a number", spans["price"])
        return PriceSpec("cond", price.value)
    if price is not None:
        if price.kind == "limit":
            message = krx.order_violations(order_type, price.value, 1)[0].ko
        else:
            message = (f"{order_type.korean} 주문에는 가격을 넣지 않습니다 (입력 "
                       f"@{vocab.KIND_EN[price.kind]}) — no price on a {order_type.value} order")
        raise _fail(message, spans["price"])
    return PriceSpec(type_word)


# -- c / a ---------------------------------------------------------------------------------------


def _target(tok: Token) -> str:
    t = tok.text
    if t.startswith("#"):
        if not t[1:].isdigit() or int(t[1:]) == 0:
            raise _fail(f"'{t}': 행 번호는 #1, #2처럼 씁니다 — row number like #3", tok)
    elif t.startswith(("@", "₩", "\\")) or vocab.is_keyword(t):
        raise _fail(f"'{t}'은(는) 주문이 아닙니다 — an order id, order number or #row comes first",
                    tok)
    return t


def _cancel(verb: Token, args: list[Token], text: str, ctx: EntryContext) -> Command:
    end = (len(text), len(text))
    if not args:
        raise _fail("취소할 주문을 입력하세요: 주문번호, #행 또는 all — order missing", end)
    first = args[0]
    if vocab.latin(first.text) in vocab.ALL_WORDS:
        if len(args) == 1:
            return CancelAllCmd(None)
        instrument, _, rest = resolve_symbol(args[1:], text, ctx)
        if rest:
            raise _unexpected(rest[0])
        return CancelAllCmd(instrument.code)
    target = _target(first)
    if len(args) > 1:
        raise _unexpected(args[1], "; 한 번에 한 주문 (전체는 c all)")
    return CancelCmd(target)


def _amend(verb: Token, args: list[Token], text: str) -> AmendCmd:
    end = (len(text), len(text))
    if not args:
        raise _fail("정정할 주문을 입력하세요: 주문번호 또는 #행 — order missing "
                    "(예: a #3 @71100)", end)
    target = _target(args[0])
    spans: dict[str, tuple[int, int]] = {"target": (args[0].start, args[0].end)}
    price: PriceSpec | None = None
    qty: int | None = None
    for tok in args[1:]:
        raw = numbers.normalize(tok.text).casefold()
        word = vocab.latin(raw)
        if raw.startswith("@"):
            got = _price_after_at(tok)
            if isinstance(got, str):
                raise _fail("정정은 가격(과 수량)만 바꿉니다: @71100처럼 입력하세요 — an amend takes "
                            "a price", tok)
            if price is not None:
                raise _fail(f"가격이 두 번 입력되었습니다: '{tok.text}' — price given twice", tok)
            price, spans["price"] = got, (tok.start, tok.end)
        elif numbers.looks_numeric(raw):
            if qty is not None:
                raise _fail(f"수량이 두 번 입력되었습니다: '{tok.text}' — quantity given twice", tok)
            kind, value = _number(numbers.parse_size, tok.text, tok)
            if kind != "qty":
                raise _fail(f"'{tok.text}': 정정 수량은 주로 입력합니다 (금액 불가) — a quantity in "
                            "shares", tok)
            qty, spans["qty"] = value, (tok.start, tok.end)
        elif word in vocab.TYPE_WORDS or word in vocab.LIMIT_WORDS:
            raise _fail("정정은 가격(과 수량)만 바꿉니다: @71100처럼 입력하세요 — an amend takes "
                        "a price", tok)
        else:
            raise _unexpected(tok)
    if price is None:
        raise _fail("정정할 가격을 입력하세요 (@71100, @ask, @bid+1) — the new price needs @", end)
    spans["end"] = end
    return AmendCmd(target, price, qty, spans=tuple((k, s, e) for k, (s, e) in spans.items()))
